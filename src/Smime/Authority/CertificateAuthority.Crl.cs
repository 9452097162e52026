using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Authority;

public sealed partial class CertificateAuthority
{
    /// <summary>
    /// Days until a CRL's nextUpdate when none is given (S/MIME BR §4.9.7 allows 10).
    /// </summary>
    public const int DefaultCrlDays = 7;

    /// <summary>The longest nextUpdate allowed for subscriber CRLs (S/MIME BR §4.9.7).</summary>
    public const int MaxCrlDays = 10;

    /// <summary>
    /// The reasons a subscriber certificate may be revoked for (S/MIME BR §7.2.2).
    /// </summary>
    public static IReadOnlyList<X509RevocationReason> SubscriberReasons { get; } =
    [
        X509RevocationReason.Unspecified,
        X509RevocationReason.KeyCompromise,
        X509RevocationReason.AffiliationChanged,
        X509RevocationReason.Superseded,
        X509RevocationReason.CessationOfOperation,
        X509RevocationReason.PrivilegeWithdrawn,
    ];

    /// <summary>Every serial the CA spent, with its state.</summary>
    public IReadOnlyList<IssuedCertificate> List() => _store.ListIssued();

    /// <summary>
    /// Parses a revocation reason: keyCompromise, affiliationChanged, superseded,
    /// cessationOfOperation, privilegeWithdrawn or unspecified (case and dashes ignored).
    /// </summary>
    /// <exception cref="AuthorityException">Any other name, certificateHold included
    /// (§7.2.2).</exception>
    public static X509RevocationReason ParseReason(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        string normal = name.Replace("-", "").Replace("_", "").Trim();
        foreach (X509RevocationReason reason in SubscriberReasons)
        {
            if (string.Equals(reason.ToString(), normal, StringComparison.OrdinalIgnoreCase))
            {
                return reason;
            }
        }

        throw new AuthorityException(
            $"Unknown revocation reason '{name}'; use one of "
            + string.Join(", ", SubscriberReasons.Select(r =>
                char.ToLowerInvariant(r.ToString()[0]) + r.ToString()[1..]))
            + " (CA/B S/MIME BR §7.2.2).");
    }

    /// <summary>
    /// Records the revocation of a serial; the next CRL lists it. The intermediate is one of
    /// the serials: the root's next CRL (<see cref="CreateRootCrl"/>) lists it, and nothing
    /// more is issued under it.
    /// </summary>
    /// <exception cref="CertificateStoreException">Unknown or already revoked.</exception>
    public IssuedCertificate Revoke(string serial, X509RevocationReason reason)
    {
        if (HasIntermediate)
        {
            // A CA made before the intermediate was recorded among the issued serials.
            _store.RecordIntermediate(Issuer, Record.RootThumbprint);
        }

        return _store.Revoke(serial, reason, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// Signs a CRL (RFC 5280 §5) of every revoked serial, with the next CRL number and a
    /// nextUpdate, and caches it in the store as if fetched from the CA's CRL URL.
    /// </summary>
    /// <param name="passphrase">Opens the CA's private key.</param>
    /// <param name="days">Days to nextUpdate, 1 to <see cref="MaxCrlDays"/>.</param>
    /// <returns>The CRL, DER.</returns>
    /// <exception cref="CertificateStoreException">The passphrase does not open the CA
    /// key.</exception>
    public byte[] CreateCrl(string passphrase, int days = DefaultCrlDays)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (days is < 1 or > MaxCrlDays)
        {
            throw new AuthorityException(
                $"A CRL valid for {days} days is refused: give 1 to {MaxCrlDays} "
                + "(CA/B S/MIME BR §4.9.7).");
        }

        return SignCrl(Record.IssuerThumbprint, passphrase, days, Record.CrlUrl);
    }

    // RFC 5280 §5: every serial the signer revoked, the next CRL number, nextUpdate in
    // `days`; cached in the store under `source`, the URL it is published at.
    private byte[] SignCrl(string signerThumbprint, string passphrase, int days, string? source)
    {
        using X509Certificate2 issuer = _store.GetCertificateWithKey(
            signerThumbprint, passphrase);
        var builder = new CertificateRevocationListBuilder();
        foreach (IssuedCertificate revoked in _store.ListIssued()
            .Where(i => i.State == IssuedCertificateState.Revoked
                && i.IssuerThumbprint == signerThumbprint))
        {
            builder.AddEntry(Convert.FromHexString(revoked.Serial), revoked.RevokedAt,
                revoked.Reason is X509RevocationReason.Unspecified ? null : revoked.Reason);
        }

        // The number is taken (and stored) before signing, so numbers only ever grow. The root
        // and the intermediate draw from one counter: each signer's numbers still only grow
        // (§5.2.3 asks no more; gaps are allowed).
        long number = _store.NextCrlNumber();
        DateTimeOffset thisUpdate = DateTimeOffset.UtcNow;
        RSASignaturePadding? padding = issuer.GetRSAPublicKey() is null
            ? null
            : RSASignaturePadding.Pkcs1;
        byte[] crl = builder.Build(issuer, number, thisUpdate.AddDays(days),
            KeyPairs.SignatureHash((AsymmetricAlgorithm?)issuer.GetECDsaPublicKey()
                ?? issuer.GetRSAPublicKey()!), padding, thisUpdate);
        _store.AddCrl(crl, source);
        return crl;
    }

    /// <summary>The newest CRL of this CA cached in the store (DER), or null before any.</summary>
    public byte[]? LatestCrl() =>
        _store.GetCrls(Issuer.SubjectName).Select(c => c.Crl.Encoded).FirstOrDefault();
}
