using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Authority;

/// <summary>
/// A small certificate authority kept in a <see cref="CertificateStore"/>: a root, optionally
/// an intermediate that does the issuing, their keys stored encrypted, every serial spent and
/// every revocation recorded. It issues S/MIME certificates of the CA/B S/MIME BR profiles.
/// </summary>
public sealed partial class CertificateAuthority
{
    // Certificates start this much before "now", so a verifier whose clock is a little
    // behind still accepts them.
    private static readonly TimeSpan s_clockSkew = TimeSpan.FromMinutes(1);

    private readonly CertificateStore _store;

    private CertificateAuthority(
        CertificateStore store,
        CertificateAuthorityRecord record,
        X509Certificate2 issuer,
        X509Certificate2 root)
    {
        _store = store;
        Record = record;
        Issuer = issuer;
        Root = root;
    }

    /// <summary>The stored facts: thumbprints, CRL and OCSP URLs, last CRL number.</summary>
    public CertificateAuthorityRecord Record { get; }

    /// <summary>
    /// The certificate that signs subscribers and CRLs (no private key attached).
    /// </summary>
    public X509Certificate2 Issuer { get; }

    /// <summary>The self-signed root (the issuer itself when there is no intermediate).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>Opens the CA a store runs.</summary>
    /// <exception cref="AuthorityException">The store runs no CA.</exception>
    public static CertificateAuthority Open(CertificateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);

        CertificateAuthorityRecord record = store.GetAuthority()
            ?? throw new AuthorityException(
                $"The store '{store.Path}' runs no CA; make one with 'smime ca init'.");
        X509Certificate2 issuer = store.Find(record.IssuerThumbprint)?.Certificate
            ?? throw new AuthorityException("The CA's certificate is missing from the store.");
        X509Certificate2 root = store.Find(record.RootThumbprint)?.Certificate
            ?? throw new AuthorityException("The CA's root is missing from the store.");
        return new CertificateAuthority(store, record, issuer, root);
    }

    /// <summary>
    /// Makes a self-signed root (and, when asked, an intermediate signed by it) and records
    /// them in the store with their keys encrypted under <paramref name="passphrase"/>; the
    /// root becomes a trust anchor of the store.
    /// </summary>
    /// <exception cref="AuthorityException">Bad name, lifetime or URL; the store has a
    /// CA.</exception>
    public static CertificateAuthority Initialize(
        CertificateStore store,
        CertificateAuthorityOptions options,
        string passphrase)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);

        X500DistinguishedName rootName = ParseName(options.Name, "--name");
        if (options.Years is < 1 or > CertificateAuthorityOptions.MaxYears)
        {
            throw new AuthorityException(
                $"A CA lifetime of {options.Years} years is refused: give 1 to "
                + $"{CertificateAuthorityOptions.MaxYears}.");
        }

        // S/MIME BR §7.1.2.3 (b) and (c): distribution points and OCSP responders are plain
        // http in the strict and multipurpose generations.
        RefuseNonHttpUrl(options.CrlUrl, "CRL");
        RefuseNonHttpUrl(options.OcspUrl, "OCSP");
        string? rootCrlUrl = null;
        if (options.Intermediate && options.CrlUrl is { } crlUrl)
        {
            rootCrlUrl = RootCrlUrlBeside(crlUrl);
            if (IsRootCrlPath(new Uri(crlUrl).AbsolutePath))
            {
                throw new AuthorityException(
                    $"The CRL URL '{crlUrl}' names the file {RootCrlFileName}, kept for the "
                    + "root's CRL beside it; give the issuing CA's CRL another name.");
            }
        }

        if (store.GetAuthority() is not null)
        {
            throw new AuthorityException(
                $"The store '{store.Path}' already runs a CA; use another --store for a second.");
        }

        DateTimeOffset notBefore = DateTimeOffset.UtcNow - s_clockSkew;
        DateTimeOffset rootEnd = notBefore.AddYears(options.Years);
        using AsymmetricAlgorithm rootKey = KeyPairs.Create(options.KeyType);
        using X509Certificate2 root = MakeCa(
            rootName, rootKey, null, null, notBefore, rootEnd, pathLength: null, crlUrl: null);
        X509Certificate2? intermediate = null;
        try
        {
            if (options.Intermediate)
            {
                X500DistinguishedName name = options.IntermediateName is { } given
                    ? ParseName(given, "--intermediate-name")
                    : IssuingName(rootName);
                using AsymmetricAlgorithm key = KeyPairs.Create(options.KeyType);
                DateTimeOffset end = notBefore.AddYears(Math.Max(1, options.Years / 2));
                intermediate = MakeCa(
                    name, key, root, rootKey, notBefore, end, pathLength: 0, rootCrlUrl);
            }

            store.AddAuthority(root, intermediate, options.CrlUrl, options.OcspUrl, passphrase);
        }
        finally
        {
            intermediate?.Dispose();
        }

        return Open(store);
    }

    private static void RefuseNonHttpUrl(string? url, string what)
    {
        if (url is not null
            && (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != "http"))
        {
            throw new AuthorityException($"The {what} URL '{url}' is not an absolute http URL.");
        }
    }

    // RFC 5280 §4.2.1.9 and §4.2.1.3: CA:TRUE and keyCertSign|cRLSign, both critical; SKI
    // so that what it signs can name it in an AKI (§4.2.1.1). A subordinate CA names the CRL
    // its parent publishes about it (S/MIME BR §7.1.2.2 (b): present, not critical, http).
    private static X509Certificate2 MakeCa(
        X500DistinguishedName name,
        AsymmetricAlgorithm key,
        X509Certificate2? parent,
        AsymmetricAlgorithm? parentKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        int? pathLength,
        string? crlUrl)
    {
        CertificateRequest request = NewRequest(name, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            true, pathLength is not null, pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(ski);
        if (parent is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(parent, true, false));
        if (crlUrl is not null)
        {
            request.CertificateExtensions.Add(
                CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        }

        using X509Certificate2 signed = request.Create(
            parent.SubjectName, Generator(parentKey!), notBefore, notAfter, NewSerial());
        return key switch
        {
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            _ => throw new NotSupportedException("Only RSA and ECDSA CA keys are made."),
        };
    }

    private static CertificateRequest NewRequest(
        X500DistinguishedName name,
        AsymmetricAlgorithm key) =>
        key switch
        {
            RSA rsa => new CertificateRequest(
                name, rsa, KeyPairs.SignatureHash(key), RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(name, ec, KeyPairs.SignatureHash(key)),
            _ => throw new NotSupportedException("Only RSA and ECDSA CA keys are made."),
        };

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new NotSupportedException("Only RSA and ECDSA CA keys sign."),
    };

    // S/MIME BR §7.1.2.3: serials are positive, non-sequential, with at least 64 bits from a
    // CSPRNG. 16 bytes, top bit clear (positive, RFC 5280 §4.1.2.2) and the next set, so the
    // DER INTEGER is always exactly 16 bytes with no leading zero.
    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static X500DistinguishedName ParseName(string name, string option)
    {
        try
        {
            var parsed = new X500DistinguishedName(name);
            if (parsed.RawData.Length <= 2)
            {
                throw new CryptographicException("empty");
            }

            return parsed;
        }
        catch (CryptographicException e)
        {
            throw new AuthorityException(
                $"{option} '{name}' is not a distinguished name like \"CN=Example CA, O=Example\".",
                e);
        }
    }

    private static X500DistinguishedName IssuingName(X500DistinguishedName rootName)
    {
        // The builder writes the last attribute added first; enumerating most specific first
        // keeps the root's order.
        var builder = new X500DistinguishedNameBuilder();
        bool named = false;
        foreach (X500RelativeDistinguishedName rdn in
            rootName.EnumerateRelativeDistinguishedNames())
        {
            string oid = rdn.GetSingleElementType().Value!;
            string value = rdn.GetSingleElementValue() ?? string.Empty;
            if (oid == SmimeProfiles.Attributes.CommonName)
            {
                builder.AddCommonName(value + " Issuing CA");
                named = true;
            }
            else if (oid == SmimeProfiles.Attributes.CountryName)
            {
                builder.AddCountryOrRegion(value);
            }
            else
            {
                builder.Add(oid, value);
            }
        }

        if (!named)
        {
            builder.AddCommonName("Issuing CA");
        }

        return builder.Build();
    }
}
