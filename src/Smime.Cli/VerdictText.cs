using System.Globalization;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>Prints a verdict as a person reads it.</summary>
internal static class VerdictText
{
    /// <summary>Writes the verdict; what comes from the message is escaped by
    /// <see cref="PrintableWriter"/>, so a subject cannot forge a "Verdict:" line.</summary>
    public static void Write(ReadResult read, TextWriter output)
    {
        WriteVerdict(read, new PrintableWriter(output));
    }

    /// <summary>The whole verdict as one string, for a command that must not print half of
    /// it when something fails on the way.</summary>
    public static string Render(ReadResult read)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(read, text);
        return text.ToString();
    }

    private static void WriteVerdict(ReadResult read, TextWriter output)
    {
        Verdict verdict = read.Verdict;
        output.WriteLine($"Verdict: {verdict.Outcome}");
        output.WriteLine($"Reason:  {verdict.Reason}");
        foreach (Layer layer in read.Layers)
        {
            output.WriteLine($"Layer:   {layer.Kind}: {layer.Description}");
        }

        string senders = verdict.SenderAddresses.Count == 0
            ? "(none)"
            : string.Join(", ", verdict.SenderAddresses);
        output.WriteLine($"Sender:  {senders}");
        if (verdict.Signers.Count > 0 && !verdict.WholeMessageSigned)
        {
            output.WriteLine("Warning: the signature covers only part of the message.");
        }

        for (int i = 0; i < verdict.Signers.Count; i++)
        {
            WriteSigner(i + 1, verdict.Signers[i], output);
        }
    }

    private static void WriteSigner(int number, SignerResult signer, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Signer {number}: {signer.Signer}");
        string addresses = signer.Addresses.Count == 0
            ? "(none)"
            : string.Join(", ", signer.Addresses);
        string match = signer.AddressMatches ? "matches the sender" : "does not match the sender";
        output.WriteLine($"  addresses:  {addresses} ({match})");
        output.WriteLine($"  digest:     {signer.DigestAlgorithm}");
        output.WriteLine($"  algorithm:  {signer.SignatureAlgorithm}");
        string time = signer.SigningTime?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)
            ?? "(not given)";
        output.WriteLine($"  signed at:  {time}");
        string signature = signer.SignatureValid ? "valid" : $"INVALID: {signer.Failure}";
        output.WriteLine($"  signature:  {signature}");
        output.WriteLine($"  chain:      {signer.Chain.Outcome}: {signer.Chain.Reason}");
        string validation = ValidationClass.Of(signer.Certificate)?.ToString() ?? "(none claimed)";
        output.WriteLine($"  class:      {validation}");
        foreach (string warning in signer.Warnings)
        {
            output.WriteLine($"  warning:    {warning}");
        }
    }
}
