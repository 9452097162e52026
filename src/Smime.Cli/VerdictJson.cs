using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Smime.Certificates;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>
/// Prints a verdict as JSON for scripts. The field names are a contract: camelCase, added
/// to but never renamed; outcomes are the enum names as strings ("Valid", "BadSignature").
/// </summary>
internal static class VerdictJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Read by people and scripts, never embedded in HTML: keep quotes and accents as is.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(ReadResult read, TextWriter output)
    {
        output.WriteLine(Render(read));
    }

    /// <summary>The verdict as JSON text, every control and bidi character escaped
    /// (\u001B, \u202E), so the text is also safe on a terminal.</summary>
    public static string Render(ReadResult read) =>
        Printable.EscapeJson(JsonSerializer.Serialize(ToModel(read), s_options));

    internal static VerdictModel ToModel(ReadResult read)
    {
        Verdict verdict = read.Verdict;
        return new VerdictModel(
            verdict.Outcome,
            verdict.IsValid,
            verdict.Reason,
            verdict.WholeMessageSigned,
            verdict.SenderAddresses,
            [.. read.Layers.Select(l => new LayerModel(l.Kind, l.Description))],
            [.. verdict.Signers.Select(ToModel)]);
    }

    private static SignerModel ToModel(SignerResult signer) => new(
        signer.Signer,
        signer.Certificate?.Subject,
        signer.Certificate?.Issuer,
        signer.Certificate?.SerialNumber,
        signer.Certificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
        signer.Addresses,
        signer.AddressMatches,
        signer.DigestAlgorithm,
        signer.SignatureAlgorithm,
        signer.SigningTime,
        signer.SignatureValid,
        signer.Failure,
        new ChainModel(
            signer.Chain.Outcome,
            signer.Chain.IsTrusted,
            signer.Chain.Reason,
            [.. signer.Chain.Chain.Select(c => c.Subject)]),
        signer.Warnings,
        ValidationClass.Of(signer.Certificate));

    internal sealed record VerdictModel(
        VerdictOutcome Outcome,
        bool Valid,
        string Reason,
        bool WholeMessageSigned,
        IReadOnlyList<string> SenderAddresses,
        IReadOnlyList<LayerModel> Layers,
        IReadOnlyList<SignerModel> Signers);

    internal sealed record LayerModel(LayerKind Kind, string Description);

    internal sealed record SignerModel(
        string Signer,
        string? Subject,
        string? Issuer,
        string? SerialNumber,
        string? Sha256Thumbprint,
        IReadOnlyList<string> Addresses,
        bool AddressMatches,
        string DigestAlgorithm,
        string SignatureAlgorithm,
        DateTimeOffset? SigningTime,
        bool SignatureValid,
        string? Failure,
        ChainModel Chain,
        IReadOnlyList<string> Warnings,
        ValidationClass? ValidationClass);

    internal sealed record ChainModel(
        ChainOutcome Outcome,
        bool Trusted,
        string Reason,
        IReadOnlyList<string> Certificates);
}
