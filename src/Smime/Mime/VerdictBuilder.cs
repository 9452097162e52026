using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>
/// Turns the signed layers of a message into a verdict. The order of the checks is the order
/// of the outcomes' priority; Valid is reached only when every check passes.
/// </summary>
internal static class VerdictBuilder
{
    /// <summary>Checks every signer of every layer and names the outcome.</summary>
    public static Verdict Build(
        IReadOnlyList<SignedLayer> layers,
        string? malformed,
        IReadOnlyList<string> senders,
        string? senderProblem,
        ReadOptions options)
    {
        List<SignerResult> signers = layers
            .SelectMany(layer => layer.Data.SignerInfos
                .Select(info => Check(layer, info, senders, options)))
            .ToList();
        bool whole = layers.Count > 0 && layers.All(l => l.WholeMessage);

        Verdict Make(VerdictOutcome outcome, string reason) => new()
        {
            Outcome = outcome,
            Reason = reason,
            Signers = signers,
            SenderAddresses = senders,
            WholeMessageSigned = whole,
        };

        if (malformed is not null)
        {
            return Make(VerdictOutcome.Malformed, malformed);
        }

        if (options.DecryptOnly)
        {
            return Make(VerdictOutcome.NotSigned,
                "Only decryption was asked for; no signature was checked.");
        }

        if (layers.Count == 0)
        {
            return Make(VerdictOutcome.NotSigned, "The message carries no S/MIME signature.");
        }

        // RFC 5652 §5.1 allows zero signers (certs-only); as a signature it proves nothing.
        if (layers.FirstOrDefault(l => l.Data.SignerInfos.Count == 0) is { } empty)
        {
            return Make(VerdictOutcome.NoSigners,
                $"The SignedData of {empty.Part} has no signers.");
        }

        if (signers.FirstOrDefault(s => !s.SignatureValid) is { } bad)
        {
            return Make(VerdictOutcome.BadSignature,
                $"The signature of '{bad.Signer}' does not verify: {bad.Failure}");
        }

        if (signers.FirstOrDefault(s => !s.Chain.IsTrusted) is { } untrusted)
        {
            return Make(VerdictOutcome.Untrusted,
                $"The signer '{untrusted.Signer}' is not trusted: {untrusted.Chain.Reason}");
        }

        if (!whole)
        {
            string part = layers.First(l => !l.WholeMessage).Part;
            return Make(VerdictOutcome.PartiallySigned,
                $"Only {part} is signed; the rest of the message is not.");
        }

        // A From or Sender field outside RFC 5322 is shown differently by each client.
        if (senderProblem is not null)
        {
            return Make(VerdictOutcome.SenderMismatch, senderProblem);
        }

        if (senders.Count == 0)
        {
            return Make(VerdictOutcome.SenderMismatch,
                "The message has no From address to compare the signers with.");
        }

        // RFC 8550 §3: the From address must be in the signer's certificate (Sender is unsigned
        // too, so it cannot vouch for a From that names someone else).
        if (signers.FirstOrDefault(s => !s.AddressMatches) is { } stranger)
        {
            string has = stranger.Addresses.Count == 0
                ? "no email address"
                : string.Join(", ", stranger.Addresses);
            return Make(VerdictOutcome.SenderMismatch,
                $"The certificate of '{stranger.Signer}' is for {has}, "
                + $"not the sender {string.Join(", ", senders)}.");
        }

        // A second From field or a second mailbox in it: the reader may be shown either one,
        // so each must belong to a signer, not just one of them.
        if (senders.FirstOrDefault(
            from => !signers.Any(s => s.Addresses.Any(
                a => CertificateAddresses.AddressEquals(a, from)))) is { } unsigned)
        {
            return Make(VerdictOutcome.SenderMismatch,
                $"The From address {unsigned} is in no signer's certificate "
                + $"(signed by {string.Join(", ", signers.SelectMany(s => s.Addresses))}).");
        }

        string names = string.Join(", ", signers.Select(s => $"'{s.Signer}'"));
        return Make(VerdictOutcome.Valid,
            $"The message is signed by {names}, trusted and matching the sender "
            + $"{string.Join(", ", senders)}.");
    }

    /// <summary>The signer's certificate subject, or how the SignerInfo names it.</summary>
    public static string NameSigner(SignerInfo info, IEnumerable<X509Certificate2> certificates)
    {
        if (certificates.FirstOrDefault(info.Matches) is { } certificate)
        {
            return certificate.Subject;
        }

        return info.IdentifierType == SignerIdentifierType.SubjectKeyIdentifier
            ? $"key identifier {Convert.ToHexString(info.SubjectKeyIdentifier.Span)}"
            : $"serial {Convert.ToHexString(info.SerialNumber.Span)} of '{info.Issuer?.Name}'";
    }

    private static SignerResult Check(
        SignedLayer layer,
        SignerInfo info,
        IReadOnlyList<string> senders,
        ReadOptions options)
    {
        X509Certificate2[] candidates = layer.Data.Certificates
            .Concat(options.ExtraCertificates.Cast<X509Certificate2>())
            .ToArray();
        ChainResult ValidateChain(X509Certificate2 certificate) =>
            ChainValidator.Validate(certificate, options.TrustAnchors,
                new X509Certificate2Collection(candidates),
                new ChainValidationOptions
                {
                    At = options.VerificationTime,
                    Revocation = options.Revocation,
                    SigningTime = info.SigningTime,
                });

        // One certificate names the signer: the signature check can only return it, so its
        // chain is checked first, while the signed bytes may still be being hashed.
        X509Certificate2[] named = candidates.Where(info.Matches)
            .DistinctBy(c => Convert.ToHexString(c.RawDataMemory.Span))
            .ToArray();
        (X509Certificate2 Certificate, ChainResult Chain)? early = named.Length == 1
            ? (named[0], ValidateChain(named[0]))
            : null;

        SignerCheck check = CheckSignature(layer, info, candidates);
        X509Certificate2? certificate = check.Certificate;
        var warnings = new List<string>(check.Warnings);

        ChainResult chain;
        IReadOnlyList<string> addresses = [];
        if (certificate is null)
        {
            chain = new ChainResult(ChainOutcome.NotChecked,
                $"No certificate was found for the signer {NameSigner(info, candidates)}.", []);
        }
        else
        {
            chain = early is { } done && done.Certificate.RawDataMemory.Span.SequenceEqual(
                    certificate.RawDataMemory.Span)
                ? done.Chain
                : ValidateChain(certificate);
            try
            {
                addresses = CertificateAddresses.Get(certificate);
            }
            catch (CryptographicException e)
            {
                warnings.Add(e.Message);
            }
        }

        return new SignerResult
        {
            Certificate = certificate,
            Signer = certificate?.Subject ?? NameSigner(info, candidates),
            Addresses = addresses,
            DigestAlgorithm = DigestName(info),
            SignatureAlgorithm = info.SignatureAlgorithmName,
            SigningTime = info.SigningTime,
            SignatureValid = check.IsValid,
            Failure = check.Failure,
            Chain = chain,
            AddressMatches = addresses.Any(
                a => senders.Any(s => CertificateAddresses.AddressEquals(a, s))),
            Warnings = warnings,
            SignerInfo = info,
            MessageCertificates = layer.Data.Certificates,
        };
    }

    private static SignerCheck CheckSignature(
        SignedLayer layer,
        SignerInfo info,
        X509Certificate2[] candidates)
    {
        if (info.DigestAlgorithm is not { } algorithm
            || !layer.Digests.Canonical.TryGetValue(algorithm, out byte[]? digest))
        {
            return new SignerCheck(candidates.FirstOrDefault(info.Matches), false,
                $"The digest algorithm {info.DigestAlgorithmOid} is refused.", []);
        }

        try
        {
            SignerCheck check = info.CheckSignature(digest, layer.Data.ContentType, candidates);
            if (check.IsValid || layer.Digests.Raw is null)
            {
                return check;
            }

            // Compat: some signers hash bare LF lines as they are; try the bytes unchanged.
            SignerCheck raw = info.CheckSignature(
                layer.Digests.Raw[algorithm], layer.Data.ContentType, candidates);
            const string bareLf = "The signed content has bare LF line ends.";
            return raw.IsValid ? raw with { Warnings = [.. raw.Warnings, bareLf] } : check;
        }
        catch (CryptographicException e)
        {
            return new SignerCheck(candidates.FirstOrDefault(info.Matches), false,
                $"The SignerInfo could not be checked: {e.Message}", []);
        }
    }

    // The names RFC 8551 and people use ("SHA-256"), not .NET's ("SHA256").
    private static string DigestName(SignerInfo info) => info.DigestAlgorithm?.Name switch
    {
        "SHA1" => "SHA-1",
        "SHA256" => "SHA-256",
        "SHA384" => "SHA-384",
        "SHA512" => "SHA-512",
        _ => info.DigestAlgorithmOid,
    };
}
