using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>
/// Harvests validly signed mail into the certificate store (RFC 8551 §2.7.1): certificates,
/// and the signer's SMIMECapabilities and SMIMEEncryptionKeyPreference.
/// </summary>
/// <remarks>
/// The rule: a message is harvested only when its verdict is <see cref="VerdictOutcome.Valid"/>
/// and no certificate of a signer's path is revoked by a CRL cached in the store. Nothing is
/// stored from any other message, its certificates included.
/// <list type="bullet">
/// <item>RFC 8551 §2.7.1 takes capabilities only "after verifying the signature", and a list
/// "in messages whose signature could not be verified MUST NOT be accepted".</item>
/// <item>RFC 8550 §4.2: a correspondent's public key is used (to encrypt to it) only after
/// certificate, CRL and path validation as per RFC 5280. The store is where `encrypt` finds
/// keys, so a certificate that failed that validation (untrusted, expired, revoked) is not
/// stored: it would be offered later as if it had passed.</item>
/// <item>RevocationUnknown: RFC 5280 §6.3.3 leaves the status undetermined, so the path is not
/// validated; such a message is not harvested. A caller that checks no revocation at all
/// (`--no-revocation`) has the chain alone decide, but the cached CRLs are still asked.</item>
/// <item>SenderMismatch: RFC 8550 §3 requires the From address to be in the signer's
/// certificate and asks for "explicit alternate processing" when it is not; the message then
/// says nothing about what its sender announces, so it is not harvested.</item>
/// <item>PartiallySigned: not a valid verdict either; one rule, no exceptions.</item>
/// </list>
/// </remarks>
public static partial class MessageHarvester
{
    /// <summary>Files larger than this are skipped rather than read.</summary>
    public const long MaxFileLength = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// Stores what the signers of a read message offer, only when its verdict is Valid and no
    /// CRL cached in the store revokes a certificate of a signer's path.
    /// </summary>
    /// <returns>What was stored; null when the message was not harvested, with why.</returns>
    public static HarvestSummary? Harvest(
        CertificateStore store,
        ReadResult result,
        out string? notHarvested) =>
        Harvest(store, result, out _, out notHarvested);

    /// <summary>
    /// Stores what the signers of a read message offer, only when its verdict is Valid and no
    /// CRL cached in the store revokes a certificate of a signer's path.
    /// </summary>
    /// <param name="store">The store harvested into; its cached CRLs are consulted.</param>
    /// <param name="result">The message as read, with its verdict.</param>
    /// <param name="reason">Why not, when nothing was stored.</param>
    /// <param name="notHarvested">Why not, as a phrase naming the signer; null when stored.</param>
    /// <returns>What was stored; null when the message was not harvested.</returns>
    public static HarvestSummary? Harvest(
        CertificateStore store,
        ReadResult result,
        out NotHarvestedReason reason,
        out string? notHarvested)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(result);

        using RevocationChecker cached = CachedRevocation(store);
        return Harvest(store, result, cached, out reason, out notHarvested);
    }

    private static HarvestSummary? Harvest(
        CertificateStore store,
        ReadResult result,
        RevocationChecker cached,
        out NotHarvestedReason reason,
        out string? notHarvested)
    {
        Verdict verdict = result.Verdict;
        (reason, notHarvested) = Refuse(verdict);
        if (notHarvested is not null)
        {
            return null;
        }

        // Whatever revocation checking the verdict had (none, with --no-revocation), a CRL
        // already in the store that revokes a certificate of the path is not ignored.
        foreach (SignerResult signer in verdict.Signers)
        {
            if (KnownRevoked(cached, signer.Chain.Chain) is { } revoked)
            {
                reason = NotHarvestedReason.Revoked;
                notHarvested = DescribeSigner(signer.Signer, revoked.Reason);
                return null;
            }
        }

        var signers = verdict.Signers
            .Select(s => new HarvestedSigner(
                s.Certificate!,
                s.MessageCertificates,
                s.SigningTime,
                s.SignerInfo!.Capabilities,
                KeyPreference(s.SignerInfo)))
            .ToList();
        return store.Harvest(signers);
    }

    // The reason a verdict forbids harvesting, named after the first failing signer as the
    // verdict itself is; (NotSigned, null) when it allows it.
    private static (NotHarvestedReason Reason, string? Why) Refuse(Verdict verdict)
    {
        string because = verdict.Reason.TrimEnd('.');
        if (verdict.Signers.Count == 0)
        {
            return (NotHarvestedReason.NotSigned, verdict.Outcome == VerdictOutcome.Malformed
                ? $"the message is not signed ({because})"
                : "the message is not signed");
        }

        switch (verdict.Outcome)
        {
            case VerdictOutcome.Valid when verdict.Signers.All(
                s => s.Certificate is not null && s.SignerInfo is not null):
                return (NotHarvestedReason.NotSigned, null);
            case VerdictOutcome.Untrusted
                when verdict.Signers.FirstOrDefault(s => !s.Chain.IsTrusted) is { } signer:
                return (Classify(signer.Chain.Outcome),
                    DescribeSigner(signer.Signer, signer.Chain.Reason));
            case VerdictOutcome.SenderMismatch:
                return (NotHarvestedReason.SenderMismatch,
                    $"the signer does not match the sender ({because})");
            case VerdictOutcome.PartiallySigned:
                return (NotHarvestedReason.PartiallySigned,
                    $"only part of the message is signed ({because})");
            case VerdictOutcome.NotSigned:
                return (NotHarvestedReason.NotSigned, $"the message is not signed ({because})");
            default:
                return (NotHarvestedReason.BadSignature,
                    $"a signature does not verify ({because})");
        }
    }

    private static NotHarvestedReason Classify(ChainOutcome outcome) => outcome switch
    {
        ChainOutcome.Revoked => NotHarvestedReason.Revoked,
        ChainOutcome.RevocationUnknown => NotHarvestedReason.RevocationUnknown,
        ChainOutcome.Expired or ChainOutcome.NotYetValid => NotHarvestedReason.Expired,
        _ => NotHarvestedReason.Untrusted,
    };

    // "The certificate 'CN=x' is revoked (CRL from ...)." about the signer itself reads
    // "the signer 'CN=x' is revoked (CRL from ...)"; about another certificate of the path,
    // or in other words, it is quoted after "is not trusted:".
    private static string DescribeSigner(string signer, string reason)
    {
        string prefix = $"The certificate '{signer}' ";
        string text = reason.TrimEnd('.');
        return text.StartsWith(prefix, StringComparison.Ordinal)
            ? $"the signer '{signer}' {text[prefix.Length..]}"
            : $"the signer '{signer}' is not trusted: {text}";
    }

    // RFC 5280 §6.3: each certificate of the path but the anchor, against its issuer's CRL.
    private static RevocationCheck? KnownRevoked(
        RevocationChecker cached,
        IReadOnlyList<X509Certificate2> path)
    {
        for (int i = 0; i + 1 < path.Count; i++)
        {
            RevocationCheck check = cached.Check(path[i], path[i + 1]);
            if (check.Status == RevocationStatus.Revoked)
            {
                return check;
            }
        }

        return null;
    }

    // The store's cached CRLs and OCSP answers only: no network, so a harvest asked not to
    // check revocation still waits on nothing.
    private static RevocationChecker CachedRevocation(CertificateStore store) =>
        new(store, new RevocationOptions { Offline = true });

    private static ReadOnlyMemory<byte> KeyPreference(SignerInfo info) =>
        info.SignedAttributes
            .FirstOrDefault(a => a.Oid == Oids.EncryptionKeyPreferenceAttribute)?.Values
            .FirstOrDefault() ?? ReadOnlyMemory<byte>.Empty;
}
