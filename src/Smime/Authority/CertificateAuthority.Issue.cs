using System.Collections.ObjectModel;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Authority;

public sealed partial class CertificateAuthority
{
    /// <summary>Largest CSR accepted, in characters of PEM; more is hostile input.</summary>
    public const int MaxRequestLength = 64 * 1024;

    /// <summary>
    /// Attempts at drawing a fresh serial before giving up (a collision is ~2^-126).
    /// </summary>
    private const int SerialAttempts = 8;

    private const string BasicConstraintsOid = "2.5.29.19";
    private const string CertificatePoliciesOid = "2.5.29.32";

    /// <summary>
    /// Issues an S/MIME certificate for a PKCS#10 request: checks the request's signature,
    /// refuses CA:TRUE, takes the subject and mailbox addresses the profile allows, and signs a
    /// certificate with the profile's policy OID, key usage, EKU and validity. The serial is
    /// recorded as spent before signing.
    /// </summary>
    /// <param name="requestPem">The CSR, PEM ("CERTIFICATE REQUEST").</param>
    /// <param name="options">Profile, validity, key purpose, validated organisation.</param>
    /// <param name="passphrase">Opens the CA's private key.</param>
    /// <returns>The certificate (no private key).</returns>
    /// <exception cref="AuthorityException">
    /// The CSR is malformed, its signature does not verify, it asks for a CA, its key or
    /// subject does not fit the profile, or the validity is too long; nothing is recorded.
    /// </exception>
    /// <exception cref="CertificateStoreException">The passphrase does not open the CA
    /// key.</exception>
    public X509Certificate2 Issue(string requestPem, IssueOptions options, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(requestPem);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(passphrase);
        if (HasIntermediate && _store.FindIssued(Issuer.SerialNumber)
            is { State: IssuedCertificateState.Revoked } revoked)
        {
            throw new AuthorityException(
                $"The issuing CA '{Issuer.Subject}' was revoked on {revoked.RevokedAt:u}; it "
                + "issues nothing more.");
        }

        SmimeProfile profile = options.Profile;
        CertificateRequest csr = LoadRequest(requestPem);
        SmimeKeyFamily family = KeyFamily(csr.PublicKey);
        RefuseCaRequest(csr);
        IReadOnlyList<string> addresses = RequestedAddresses(csr);
        X500DistinguishedName subject =
            ProfileSubject(csr.SubjectName, profile, options, addresses);
        // An Ed25519 key only signs: the default "dual" asks for what it can be, signing.
        SmimeKeyPurpose purpose = family == SmimeKeyFamily.EdDsa
            && options.Purpose == SmimeKeyPurpose.DualUse
                ? SmimeKeyPurpose.SigningOnly
                : options.Purpose;
        SmimeKeyUsageRule rule = profile.KeyUsageRule(family, purpose)
            ?? throw new AuthorityException(
                $"A {family} key cannot be issued for {purpose} under {profile.Name}.");
        (DateTimeOffset notBefore, DateTimeOffset notAfter) = Validity(profile, options);

        // The key is opened before a serial is spent: a wrong passphrase records nothing.
        using X509Certificate2 issuerWithKey = _store.GetCertificateWithKey(
            Record.IssuerThumbprint, passphrase);
        using AsymmetricAlgorithm issuerKey = (AsymmetricAlgorithm?)issuerWithKey.GetRSAPrivateKey()
            ?? issuerWithKey.GetECDsaPrivateKey()
            ?? throw new NotSupportedException("The CA key is neither RSA nor ECDSA.");

        var request = new CertificateRequest(
            subject, csr.PublicKey, KeyPairs.SignatureHash(issuerKey));
        AddSubscriberExtensions(request, profile, rule, addresses);
        byte[] serial = SpendSerial(profile, subject, addresses[0], notBefore, notAfter);
        AfterSerialSpent?.Invoke();
        X509Certificate2 certificate = request.Create(
            Issuer.SubjectName, Generator(issuerKey), notBefore, notAfter, serial);
        _store.CompleteIssue(certificate);
        return certificate;
    }

    // Tests stand a crash in here: the serial is spent and nothing is signed yet.
    internal Action? AfterSerialSpent { get; set; }

    private static CertificateRequest LoadRequest(string pem)
    {
        if (pem.Length > MaxRequestLength)
        {
            throw new AuthorityException(
                $"The CSR is longer than {MaxRequestLength} characters; refused.");
        }

        // Read once without the signature check, so a malformed CSR and a forged one get
        // different messages; only the checked load is used.
        const CertificateRequestLoadOptions Extensions =
            CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions;
        CertificateRequest parsed;
        try
        {
            parsed = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
                Extensions | CertificateRequestLoadOptions.SkipSignatureValidation);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new AuthorityException(
                $"The CSR cannot be read as a PKCS#10 request (RFC 2986): {e.Message}", e);
        }

        // .NET has no Ed25519 and cannot check an Ed25519 request's signature (RFC 8410 §6):
        // BouncyCastle checks it, and only then is the unchecked load used.
        if (parsed.PublicKey.Oid.Value == Oids.Ed25519)
        {
            return SigningRequests.VerifyWithBouncyCastle(RequestDer(pem))
                ? parsed
                : throw new AuthorityException(
                    "The CSR's signature does not verify under its own public key (RFC 2986 §3): "
                    + "it was altered or made without the private key.");
        }

        try
        {
            return CertificateRequest.LoadSigningRequestPem(
                pem, HashAlgorithmName.SHA256, Extensions, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException e)
        {
            throw new AuthorityException(
                "The CSR's signature does not verify under its own public key (RFC 2986 §3): "
                + "it was altered or made without the private key.", e);
        }
    }

    // The DER of the first "CERTIFICATE REQUEST" block, the one .NET's loader read; empty
    // (which then fails to verify) when there is none.
    private static byte[] RequestDer(string pem)
    {
        ReadOnlySpan<char> rest = pem;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE REQUEST"))
            {
                return Convert.FromBase64String(rest[fields.Base64Data].ToString());
            }

            rest = rest[fields.Location.End..];
        }

        return [];
    }

    private static SmimeKeyFamily KeyFamily(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case Oids.Rsa:
                using (RSA rsa = key.GetRSAPublicKey()!)
                {
                    if (rsa.KeySize < SmimeProfiles.MinimumRsaKeySize)
                    {
                        throw new AuthorityException(
                            $"The CSR's RSA key has {rsa.KeySize} bits; S/MIME needs at least "
                            + $"{SmimeProfiles.MinimumRsaKeySize} (CA/B S/MIME BR §6.1.5).");
                    }
                }

                return SmimeKeyFamily.Rsa;
            case Oids.EcPublicKey:
                using (ECDsa ec = key.GetECDsaPublicKey()!)
                {
                    string? curve = ec.ExportParameters(false).Curve.Oid.Value;
                    if (curve is not ("1.2.840.10045.3.1.7" or "1.3.132.0.34" or "1.3.132.0.35"))
                    {
                        throw new AuthorityException(
                            $"The CSR's EC key is on curve {curve}; S/MIME allows P-256, P-384 "
                            + "and P-521 (CA/B S/MIME BR §6.1.5).");
                    }
                }

                return SmimeKeyFamily.EllipticCurve;
            case Oids.Ed25519:
                return SmimeKeyFamily.EdDsa;
            default:
                throw new AuthorityException(
                    $"The CSR's key algorithm {key.Oid.Value} is not issued here; use RSA, EC "
                    + "or Ed25519.");
        }
    }

    private static void RefuseCaRequest(CertificateRequest csr)
    {
        foreach (X509Extension extension in csr.CertificateExtensions)
        {
            if (extension.Oid?.Value == BasicConstraintsOid)
            {
                var constraints = new X509BasicConstraintsExtension();
                constraints.CopyFrom(extension);
                if (constraints.CertificateAuthority)
                {
                    throw new AuthorityException(
                        "The CSR asks for basicConstraints CA:TRUE; a subscriber certificate "
                        + "cannot be a CA (CA/B S/MIME BR §7.1.2.3 (d)). Refused.");
                }
            }
        }
    }

    // The mailbox addresses: the rfc822Names of the requested subjectAltName, else the
    // subject's emailAddress (RFC 8550 §3 lets old requests carry it there).
    private static IReadOnlyList<string> RequestedAddresses(CertificateRequest csr)
    {
        var addresses = new List<string>();
        foreach (X509Extension extension in csr.CertificateExtensions)
        {
            if (extension.Oid?.Value == SigningRequests.SanOid)
            {
                try
                {
                    addresses.AddRange(SigningRequests.MailboxAddresses(extension));
                }
                catch (CryptographicException e)
                {
                    throw new AuthorityException($"The CSR's {e.Message.TrimEnd('.')}.", e);
                }
            }
        }

        if (addresses.Count == 0)
        {
            addresses.AddRange(
                SubjectValues(csr.SubjectName, SmimeProfiles.Attributes.EmailAddress));
        }

        if (addresses.Count == 0)
        {
            throw new AuthorityException(
                "The CSR names no mailbox address (rfc822Name in subjectAltName, or "
                + "emailAddress); an S/MIME certificate needs one (RFC 8550 §3).");
        }

        foreach (string address in addresses)
        {
            int at = address.IndexOf('@');
            if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1
                || address.Any(c => c is <= ' ' or >= (char)0x7F))
            {
                throw new AuthorityException($"The CSR's address '{address}' is not a mailbox.");
            }
        }

        return addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    // S/MIME BR §7.1.4.2.2: keep the attributes the profile allows, with the validated
    // organisation; the mailbox type carries only the address as commonName.
    private static X500DistinguishedName ProfileSubject(
        X500DistinguishedName requested,
        SmimeProfile profile,
        IssueOptions options,
        IReadOnlyList<string> addresses)
    {
        var values = new List<(string Oid, string Value)>();
        if (profile.ValidationType != SmimeValidationType.Mailbox)
        {
            foreach (X500RelativeDistinguishedName rdn in
                requested.EnumerateRelativeDistinguishedNames(reversed: false))
            {
                if (rdn.HasMultipleElements)
                {
                    throw new AuthorityException(
                        "The CSR's subject has a multi-valued RDN; give one attribute per RDN.");
                }

                string oid = rdn.GetSingleElementType().Value!;
                if (profile.SubjectRequirement(oid) != SmimeRequirement.Forbidden
                    && rdn.GetSingleElementValue() is { Length: > 0 } value)
                {
                    values.Add((oid, value));
                }
            }
        }

        Replace(values, SmimeProfiles.Attributes.OrganizationName, options.Organization, profile);
        Replace(values, SmimeProfiles.Attributes.OrganizationIdentifier,
            options.OrganizationIdentifier, profile);
        if (!values.Any(v => v.Oid == SmimeProfiles.Attributes.CommonName))
        {
            values.Add((SmimeProfiles.Attributes.CommonName, addresses[0]));
        }

        foreach (KeyValuePair<string, SmimeRequirement> field in profile.SubjectFields)
        {
            if (field.Value == SmimeRequirement.Required && !values.Any(v => v.Oid == field.Key))
            {
                string hint = field.Key == SmimeProfiles.Attributes.OrganizationIdentifier
                    ? "--org-id"
                    : "--org";
                throw new AuthorityException(
                    $"Profile {profile.Name} needs {new Oid(field.Key).FriendlyName ?? field.Key} "
                    + $"({field.Key}) in the subject and the CSR has none; give the validated "
                    + $"value with {hint} (CA/B S/MIME BR §7.1.4.2.2).");
            }
        }

        // Most general first in the encoding (country ... organisation ... commonName), as
        // RFC 4514 readers expect; the builder writes the last attribute added first.
        var builder = new X500DistinguishedNameBuilder();
        foreach ((string oid, string value) in values.OrderBy(v => NameRank(v.Oid)).Reverse())
        {
            if (oid == SmimeProfiles.Attributes.CountryName)
            {
                builder.AddCountryOrRegion(value);
            }
            else if (oid == SmimeProfiles.Attributes.EmailAddress)
            {
                builder.AddEmailAddress(value);
            }
            else
            {
                builder.Add(oid, value);
            }
        }

        return builder.Build();
    }

    private static int NameRank(string oid)
    {
        int rank = Array.IndexOf(s_nameOrder, oid);
        return rank >= 0 ? rank : Array.IndexOf(s_nameOrder, SmimeProfiles.Attributes.Title);
    }

    private static readonly string[] s_nameOrder =
    [
        SmimeProfiles.Attributes.CountryName,
        SmimeProfiles.Attributes.StateOrProvinceName,
        SmimeProfiles.Attributes.LocalityName,
        SmimeProfiles.Attributes.PostalCode,
        SmimeProfiles.Attributes.StreetAddress,
        SmimeProfiles.Attributes.OrganizationName,
        SmimeProfiles.Attributes.OrganizationIdentifier,
        SmimeProfiles.Attributes.OrganizationalUnitName,
        SmimeProfiles.Attributes.Title,
        SmimeProfiles.Attributes.Surname,
        SmimeProfiles.Attributes.GivenName,
        SmimeProfiles.Attributes.Pseudonym,
        SmimeProfiles.Attributes.SerialNumber,
        SmimeProfiles.Attributes.CommonName,
        SmimeProfiles.Attributes.EmailAddress,
    ];

    private static void Replace(
        List<(string Oid, string Value)> values,
        string oid,
        string? value,
        SmimeProfile profile)
    {
        if (value is null)
        {
            return;
        }

        if (profile.SubjectRequirement(oid) == SmimeRequirement.Forbidden)
        {
            throw new AuthorityException(
                $"Profile {profile.Name} forbids {new Oid(oid).FriendlyName ?? oid} in the "
                + "subject (CA/B S/MIME BR §7.1.4.2.2).");
        }

        int index = values.FindIndex(v => v.Oid == oid);
        if (index >= 0)
        {
            values[index] = (oid, value);
        }
        else
        {
            values.Add((oid, value));
        }
    }

    private static IEnumerable<string> SubjectValues(X500DistinguishedName name, string oid) =>
        name.EnumerateRelativeDistinguishedNames(reversed: false)
            .Where(r => !r.HasMultipleElements && r.GetSingleElementType().Value == oid)
            .Select(r => r.GetSingleElementValue() ?? string.Empty)
            .Where(v => v.Length > 0);

    private (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Validity(
        SmimeProfile profile,
        IssueOptions options)
    {
        int days = options.Days ?? Math.Min(IssueOptions.DefaultDays, profile.MaximumValidityDays);
        if (days < 1 || days > profile.MaximumValidityDays)
        {
            throw new AuthorityException(
                $"A validity of {days} days is refused: profile {profile.Name} allows 1 to "
                + $"{profile.MaximumValidityDays} (CA/B S/MIME BR §6.3.2).");
        }

        // RFC 5280 §4.1.2.5: notAfter is inclusive, so the period ends a second early to be
        // exactly the days asked for.
        DateTimeOffset notBefore = options.NotBefore ?? DateTimeOffset.UtcNow - s_clockSkew;
        notBefore = DateTimeOffset.FromUnixTimeSeconds(notBefore.ToUnixTimeSeconds());
        DateTimeOffset notAfter = notBefore.AddDays(days).AddSeconds(-1);
        if (notAfter > Issuer.NotAfter.ToUniversalTime())
        {
            throw new AuthorityException(
                $"A validity of {days} days would outlive the CA certificate, which ends "
                + $"{Issuer.NotAfter.ToUniversalTime():u}; give fewer --days.");
        }

        return (notBefore, notAfter);
    }

    private void AddSubscriberExtensions(
        CertificateRequest request,
        SmimeProfile profile,
        SmimeKeyUsageRule rule,
        IReadOnlyList<string> addresses)
    {
        Collection<X509Extension> extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        extensions.Add(new X509KeyUsageExtension(rule.Required, critical: true));
        extensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(SmimeProfiles.EmailProtectionOid)], critical: false));

        var san = new SubjectAlternativeNameBuilder();
        foreach (string address in addresses)
        {
            san.AddEmailAddress(address);
        }

        extensions.Add(san.Build());
        extensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        extensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Issuer, true, false));
        extensions.Add(
            new X509Extension(CertificatePoliciesOid, Policies(profile.PolicyOid), false));
        if (Record.CrlUrl is { } url)
        {
            extensions.Add(
                CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([url]));
        }

        // RFC 5280 §4.2.2.1, S/MIME BR §7.1.2.3 (c): not critical, the responder's http URL.
        if (Record.OcspUrl is { } ocsp)
        {
            extensions.Add(new X509AuthorityInformationAccessExtension(
                [ocsp], caIssuersUris: null, critical: false));
        }
    }

    // RFC 5280 §4.2.1.4: certificatePolicies ::= SEQUENCE OF PolicyInformation, here the
    // profile's reserved OID alone, without qualifiers.
    private static byte[] Policies(string policyOid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(policyOid);
        }

        return writer.Encode();
    }

    private byte[] SpendSerial(
        SmimeProfile profile,
        X500DistinguishedName subject,
        string address,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        for (int attempt = 0; attempt < SerialAttempts; attempt++)
        {
            byte[] serial = NewSerial();
            if (_store.ReserveSerial(Convert.ToHexString(serial), Record.IssuerThumbprint,
                profile.Name, subject.Name, address, notBefore, notAfter))
            {
                return serial;
            }
        }

        throw new CryptographicException(
            $"{SerialAttempts} random serial numbers in a row were already spent; the random "
            + "number generator is broken.");
    }
}
