using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>Finds the certificate to encrypt to for an address (RFC 8550 §3, RFC 8551 §2.7.1).</summary>
public static class RecipientLookup
{
    /// <summary>
    /// Among the store's certificates for <paramref name="address"/> (rfc822Name, else the
    /// subject's emailAddress; domain without case), keeps those valid now, able to carry a
    /// key (keyEncipherment or keyAgreement; EKU emailProtection or any where present),
    /// chained to an anchor when anchors are given and not revoked; then takes the one the
    /// sender's SMIMEEncryptionKeyPreference names, else the newest (latest notBefore).
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
        X509Certificate2Collection extra = options.TrustAnchors.Count > 0
            ? store.GetAllCertificates()
            : new();
        foreach (StoredCertificate candidate in all)
        {
            string? refusal = Refuse(candidate.Certificate, at, options, extra, out string? note);
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

        if (options.TrustAnchors.Count == 0)
        {
            return null;
        }

        ChainResult chain = ChainValidator.Validate(certificate,
            options.TrustAnchors, extra,
            new ChainValidationOptions
            {
                At = at,
                Revocation = options.Revocation,
                CheckSigningUsage = false,
            });
        switch (chain.Outcome)
        {
            case ChainOutcome.Trusted:
                return null;
            case ChainOutcome.RevocationUnknown:
                note = $"its revocation is unknown ({chain.Reason.TrimEnd('.')})";
                return null;
            default:
                return $"{name}: {chain.Reason.TrimEnd('.')}";
        }
    }
}
