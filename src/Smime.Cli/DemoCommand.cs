using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Authority;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>
/// `smime demo`: the whole flow on a throwaway PKI: alice signs and encrypts to bob, bob
/// decrypts and verifies. With --keep, the files stay for other tools to try.
/// </summary>
internal sealed class DemoCommand
{
    /// <summary>The password of the PKCS#12 and key files --keep writes.</summary>
    public const string FilePassword = "demo";

    private readonly Option<string?> _keep = new("--keep")
    {
        Description = "Write the certificates, keys (password 'demo') and messages to DIR.",
        HelpName = "DIR",
    };

    public Command Build(CliContext context)
    {
        var command = new Command("demo", "Sign, encrypt, decrypt and verify on a throwaway PKI.")
        {
            _keep,
        };
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        TextWriter o = context.Out;
        string? keep = result.GetValue(_keep);
        if (keep is not null)
        {
            context.CurrentFile = keep;
            Directory.CreateDirectory(keep);
        }

        o.WriteLine("1. A throwaway PKI (RSA-2048, in memory)");
        using DemoPki pki = DemoPki.Create();
        using X509Certificate2 alice = pki.IssueUser("alice@example.com", "Alice");
        using X509Certificate2 bob = pki.IssueUser("bob@example.com", "Bob");
        o.WriteLine($"   root:  {pki.Root.Subject}");
        o.WriteLine($"   alice: {alice.Subject}");
        o.WriteLine($"   bob:   {bob.Subject}");

        byte[] message = Encoding.UTF8.GetBytes(SampleMessage());
        o.WriteLine($"2. A message from alice to bob: {Size(message)}");

        var signer = new CmsSigner(alice);
        byte[] signed = Write(s => SmimeWriter.Sign(
            new MemoryStream(message), s, new SignOptions { Signers = [signer] },
            context.CancellationToken));
        o.WriteLine($"3. Signed by alice (multipart/signed, {signer.DigestAlgorithm.Name}, "
            + $"RSA PKCS#1 v1.5): {Size(signed)}");

        var encryptOptions = new EncryptOptions
        {
            Recipients = [new CmsRecipient(bob), new CmsRecipient(alice)],
            Algorithm = ContentEncryptionAlgorithm.Aes256Gcm,
            SignFirst = new SignOptions { Signers = [signer] },
        };
        byte[] encrypted = Write(s => SmimeWriter.Encrypt(
            new MemoryStream(message), s, encryptOptions, context.CancellationToken));
        o.WriteLine($"4. Signed, then encrypted with AES-256-GCM to bob and alice: {Size(encrypted)}");

        (byte[] decrypted, ReadResult opened) = Read(s => SmimeReader.Read(
            new MemoryStream(encrypted),
            new ReadOptions { DecryptionKeys = [bob], DecryptOnly = true },
            s,
            context.CancellationToken));
        o.WriteLine($"5. Decrypted by bob: {Size(decrypted)}");
        foreach (Layer layer in opened.Layers)
        {
            o.WriteLine($"   {layer.Kind}: {layer.Description}");
        }

        (byte[] content, ReadResult verified) = Read(s => SmimeReader.Read(
            new MemoryStream(decrypted),
            new ReadOptions { TrustAnchors = [pki.Root] },
            s,
            context.CancellationToken));
        o.WriteLine($"6. Verified by bob against the root: {Size(content)} of content");
        o.WriteLine();
        VerdictText.Write(verified, o);

        if (keep is not null)
        {
            Keep(keep, pki, alice, bob, message, signed, encrypted, decrypted, content, o);
        }

        o.WriteLine();
        o.WriteLine(verified.Verdict.IsValid
            ? "The signature is valid."
            : $"The signature is not valid: {verified.Verdict.Outcome}.");
        return verified.Verdict.IsValid ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    private static void Keep(
        string folder,
        DemoPki pki,
        X509Certificate2 alice,
        X509Certificate2 bob,
        byte[] message,
        byte[] signed,
        byte[] encrypted,
        byte[] decrypted,
        byte[] content,
        TextWriter o)
    {
        File.WriteAllText(Path.Combine(folder, "root.pem"), pki.Root.ExportCertificatePem() + "\n");
        DemoPki.WriteIdentity(alice, folder, "alice", FilePassword);
        DemoPki.WriteIdentity(bob, folder, "bob", FilePassword);
        File.WriteAllBytes(Path.Combine(folder, "message.eml"), message);
        File.WriteAllBytes(Path.Combine(folder, "signed.eml"), signed);
        File.WriteAllBytes(Path.Combine(folder, "encrypted.eml"), encrypted);
        File.WriteAllBytes(Path.Combine(folder, "decrypted.eml"), decrypted);
        File.WriteAllBytes(Path.Combine(folder, "content.eml"), content);

        o.WriteLine();
        o.WriteLine($"Files in {folder} (PKCS#12 and key password: {FilePassword}):");
        o.WriteLine("  root.pem, alice.p12/.crt/.key, bob.p12/.crt/.key, message.eml, signed.eml,");
        o.WriteLine("  encrypted.eml, decrypted.eml, content.eml");
        o.WriteLine("Try them with openssl:");
        o.WriteLine("  openssl cms -verify -in signed.eml -CAfile root.pem");
        o.WriteLine("  openssl cms -decrypt -in encrypted.eml -recip bob.crt -inkey bob.key "
            + $"-passin pass:{FilePassword}");
        o.WriteLine("  smime decrypt encrypted.eml --cert bob.p12 --password demo | "
            + "smime verify --trust root.pem");
    }

    private static string SampleMessage()
    {
        string date = DateTimeOffset.UtcNow.ToString(
            "ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return string.Join("\r\n",
            "From: Alice <alice@example.com>",
            "To: Bob <bob@example.com>",
            "Subject: smime demo",
            $"Date: {date}",
            $"Message-ID: <{Guid.NewGuid():N}@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 7bit",
            string.Empty,
            "Hello Bob,",
            string.Empty,
            "this message was signed by Alice and encrypted to you and to her.",
            string.Empty,
            "Alice",
            string.Empty);
    }

    private static byte[] Write(Action<Stream> step)
    {
        using var buffer = new MemoryStream();
        step(buffer);
        return buffer.ToArray();
    }

    private static (byte[] Output, ReadResult Result) Read(Func<Stream, ReadResult> step)
    {
        using var buffer = new MemoryStream();
        ReadResult result = step(buffer);
        return (buffer.ToArray(), result);
    }

    private static string Size(byte[] data) =>
        data.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
