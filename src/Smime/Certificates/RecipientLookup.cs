using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>Finds the certificate to encrypt to for an address (RFC 8550 §3, RFC 8551 §2.7.1).</summary>
public static class RecipientLookup
{
    /// <summary>
    /// Why a certificate given by hand cannot be encrypted to at <paramref name="at"/>, judged
    /// on its face as the look-up judges the store's: validity dates, the keyUsage its key type
    /// needs, an EKU allowing mail (RFC 8550 §4.4). Null when it can. The path and revocation
    /// are not checked here.
    /// </summary>
    public static string? WhyNotEncryptable(X509Certificate2 certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        if (certificate.NotAfter.ToUniversalTime() < at.UtcDateTime)
        {
            return $"it expired on {certificate.NotAfter.ToUniversalTime():u}";
        }

        if (certificate.NotBefore.ToUniversalTime() > at.UtcDateTime)
        {
            return $"it is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        }

        return CertificateFacts.IsEncryptionCapable(certificate, out string? why) ? null : why;
    }

    /// <summary>
    /// Among the store's certificates for <paramref name="address"/> (rfc822Name, else the
    /// subject's emailAddress; domain without case), keeps those valid now, able to carry a
    /// key (keyEncipherment for RSA, keyAgreement for EC and X25519/X448; EKU emailProtection
    /// or any where present),
    /// chained to an anchor when anchors are given, and not revoked; then takes the one the
    /// sender's SMIMEEncryptionKeyPreference names, else the newest (latest notBefore).
    /// Revocation is always looked up in the CRLs cached in the store (no network); with
    /// <see cref="RecipientLookupOptions.Revocation"/>, that checker is asked instead.
    /// </summary>
    public static RecipientMatch Find(
        CertificateStore store,
        string address,
        RecipientLookupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);

        options ??= new RecipientLookupOptions();
        DateTimeOffset at = options.At ?? DateTimeOffset.UtcNow;
        IReadOnlyList<StoredCertificate> all = store.FindByAddress(address);
        if (all.Count == 0)
        {
            return new RecipientMatch(address, null,
                $"The store has no certificate for {address}.", []);
        }

        var rejected = new List<string>();
        var usable = new List<(StoredCertificate Stored, string? Note)>();
        X509Certificate2Collection extra = store.GetAllCertificates();
        using var cached = new RevocationChecker(store,
            new RevocationOptions { Offline = true });
        foreach (StoredCertificate candidate in all)
        {
            string? refusal = Refuse(candidate.Certificate, at, options, extra,
                options.Revocation ?? cached, out string? note);
            if (refusal is null)
            {
                usable.Add((candidate, note));
            }
            else
            {
                rejected.Add(refusal);
            }
        }

        if (usable.Count == 0)
        {
            return new RecipientMatch(address, null,
                $"No certificate for {address} can be encrypted to: "
                + string.Join("; ", rejected) + ".",
                rejected);
        }

        // RFC 8551 §2.7.1: the sender's SMIMEEncryptionKeyPreference wins when it names one of
        // the usable certificates; otherwise the newest.
        string? preferred = store.GetSender(address)?.PreferredThumbprint;
        (StoredCertificate chosen, string? why) = usable.FirstOrDefault(
            u => u.Stored.Thumbprint == preferred);
        string basis = "the sender's SMIMEEncryptionKeyPreference names it";
        if (chosen is null)
        {
            (chosen, why) = usable.OrderByDescending(u => u.Stored.NotBefore).First();
            basis = usable.Count == 1 ? "it is the only usable one" : "it is the newest usable one";
        }

        return new RecipientMatch(address,
            X509CertificateLoader.LoadCertificate(chosen.Certificate.RawData),
            $"'{chosen.Subject}' ({chosen.Thumbprint[..16]}) was chosen for {address}: {basis}"
            + (why is null ? "." : $"; {why}."),
            rejected);
    }

    private static string? Refuse(
        X509Certificate2 certificate,
        DateTimeOffset at,
        RecipientLookupOptions options,
        X509Certificate2Collection extra,
        RevocationChecker revocation,
        out string? note)
    {
        note = null;
        string name = $"'{certificate.Subject}' ({CertificateFacts.Thumbprint(certificate)[..16]})";
        if (certificate.NotAfter.ToUniversalTime() < at.UtcDateTime)
        {
            return $"{name} expired on {certificate.NotAfter.ToUniversalTime():u}";
        }

        if (certificate.NotBefore.ToUniversalTime() > at.UtcDateTime)
        {
            return $"{name} is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        }

        if (!CertificateFacts.IsEncryptionCapable(certificate, out string? why))
        {
            return $"{name} cannot be encrypted to: {why}";
        }

        // RFC 8550 §4.2: path validation, CRLs included, before a key is encrypted to.
        if (options.TrustAnchors.Count > 0)
        {
            ChainResult chain = ChainValidator.Validate(certificate,
                options.TrustAnchors, extra,
                new ChainValidationOptions
                {
                    At = at,
                    Revocation = revocation,
                    CheckSigningUsage = false,
                });
            switch (chain.Outcome)
            {
                case ChainOutcome.Trusted:
                    return null;
                case ChainOutcome.RevocationUnknown:
                    if (options.Revocation is not null)
                    {
                        note = $"its revocation is unknown ({chain.Reason.TrimEnd('.')})";
                    }

                    return null;
                default:
                    return $"{name}: {chain.Reason.TrimEnd('.')}";
            }
        }

        // No anchors, so no path: the leaf is checked against each stored certificate named
        // as its issuer. A CRL counts only when signed by that certificate's key, so a
        // look-alike issuer can at worst hide a certificate, never vouch for a revoked one.
        RevocationCheck? unknown = null;
        foreach (X509Certificate2 issuer in Issuers(certificate, extra))
        {
            RevocationCheck check = revocation.Check(certificate, issuer);
            if (check.Status == RevocationStatus.Revoked)
            {
                return $"{name}: {check.Reason.TrimEnd('.')}";
            }

            if (check.Status == RevocationStatus.Good)
            {
                unknown = null;
                break;
            }

            unknown ??= check;
        }

        if (options.Revocation is not null && unknown is not null)
        {
            note = $"its revocation is unknown ({unknown.Reason.TrimEnd('.')})";
        }

        return null;
    }

    private static IEnumerable<X509Certificate2> Issuers(
        X509Certificate2 certificate,
        X509Certificate2Collection candidates) =>
        candidates.Where(c => c.SubjectName.RawData.AsSpan()
                .SequenceEqual(certificate.IssuerName.RawData)
            && !c.RawData.AsSpan().SequenceEqual(certificate.RawData));
}
