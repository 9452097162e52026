using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Cms.Asn;

namespace Smime.Certificates;

/// <summary>
/// A decoded X.509 CRL (RFC 5280 §5.1): issuer, thisUpdate, nextUpdate and the revoked serial
/// numbers, with the signed bytes kept to check the issuer's signature. Delta CRLs, indirect
/// CRLs and issuing distribution point scopes are not interpreted.
/// </summary>
internal sealed class CertificateRevocationList
{
    /// <summary>The largest CRL read, fetched or imported: about a million entries.</summary>
    public const int MaxEncodedLength = 32 * 1024 * 1024;

    // Digests a CRL signature may use; SHA-1 is not accepted (RFC 8550 §4.4).
    private static readonly HashAlgorithmName[] s_hashes =
        [HashAlgorithmName.SHA256, HashAlgorithmName.SHA384, HashAlgorithmName.SHA512];

    private readonly HashSet<string> _revoked;
    private readonly ReadOnlyMemory<byte> _tbs;
    private readonly AlgorithmIdentifierAsn _signatureAlgorithm;
    private readonly byte[] _signature;

    private CertificateRevocationList(
        byte[] encoded,
        X500DistinguishedName issuer,
        DateTimeOffset thisUpdate,
        DateTimeOffset? nextUpdate,
        HashSet<string> revoked,
        ReadOnlyMemory<byte> tbs,
        AlgorithmIdentifierAsn signatureAlgorithm,
        byte[] signature)
    {
        Encoded = encoded;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revoked = revoked;
        _tbs = tbs;
        _signatureAlgorithm = signatureAlgorithm;
        _signature = signature;
    }

    public byte[] Encoded { get; }

    public X500DistinguishedName Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    public int RevokedCount => _revoked.Count;

    /// <summary>Decodes a CRL from DER, or from PEM ("X509 CRL").</summary>
    /// <exception cref="CryptographicException">The CRL is truncated or malformed.</exception>
    public static CertificateRevocationList Decode(byte[] data)
    {
        if (data.Length > MaxEncodedLength)
        {
            throw new CryptographicException(
                $"The CRL is {data.Length} bytes long; at most {MaxEncodedLength} are read.");
        }

        byte[] der = data;
        string text = System.Text.Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 64));
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            PemFields fields = PemEncoding.Find(System.Text.Encoding.ASCII.GetString(data));
            der = Convert.FromBase64String(
                System.Text.Encoding.ASCII.GetString(data)[fields.Base64Data]);
        }

        try
        {
            return Read(der);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException(
                "The CRL (CertificateList, RFC 5280 §5.1) is truncated or malformed.", e);
        }
    }

    /// <summary>Whether the CRL lists the serial number (big-endian, as in the certificate).</summary>
    public bool IsRevoked(ReadOnlySpan<byte> serialNumber) =>
        _revoked.Contains(NormalizeSerial(serialNumber));

    /// <summary>
    /// Whether <paramref name="issuer"/> issued this CRL: names equal, keyUsage with cRLSign
    /// where present (RFC 5280 §6.3.3 (f)), and the signature verifies under its key.
    /// </summary>
    public bool IsSignedBy(X509Certificate2 issuer, out string? failure)
    {
        failure = null;
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData))
        {
            failure = $"The CRL of '{Issuer.Name}' is not from '{issuer.Subject}'.";
            return false;
        }

        if (CertificateFacts.KeyUsage(issuer) is { } usage
            && (usage & X509KeyUsageFlags.CrlSign) == 0)
        {
            failure = $"The certificate '{issuer.Subject}' may not sign CRLs (no cRLSign).";
            return false;
        }

        foreach (HashAlgorithmName hash in s_hashes)
        {
            ResolvedSignature? resolved = SignatureAlgorithms.Resolve(
                _signatureAlgorithm, hash, out _);
            if (resolved is null)
            {
                continue;
            }

            byte[] digest = CryptographicOperations.HashData(hash, _tbs.Span);
            if (SignatureAlgorithms.Verify(resolved, issuer, digest, _signature, out failure))
            {
                return true;
            }

            failure ??= $"The signature of the CRL of '{Issuer.Name}' does not verify.";
            return false;
        }

        failure = $"The CRL of '{Issuer.Name}' is signed with {_signatureAlgorithm.Oid}, "
            + "which is not accepted.";
        return false;
    }

    // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }
    // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature AlgorithmIdentifier,
    //   issuer Name, thisUpdate Time, nextUpdate Time OPTIONAL,
    //   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate, revocationDate,
    //   crlEntryExtensions OPTIONAL } OPTIONAL, crlExtensions [0] EXPLICIT OPTIONAL }
    private static CertificateRevocationList Read(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();

        ReadOnlyMemory<byte> tbsEncoded = list.PeekEncodedValue();
        AsnReader tbs = list.ReadSequence();
        AlgorithmIdentifierAsn signatureAlgorithm = AlgorithmIdentifierAsn.Read(
            list, "CRL signatureAlgorithm");
        byte[] signature = list.ReadBitString(out int unused);
        list.ThrowIfNotEmpty();
        if (unused != 0)
        {
            throw new AsnContentException("The CRL signatureValue has unused bits.");
        }

        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        AlgorithmIdentifierAsn inner = AlgorithmIdentifierAsn.Read(tbs, "CRL signature");
        if (inner.Oid != signatureAlgorithm.Oid)
        {
            throw new AsnContentException(
                "The CRL's two signature algorithm identifiers differ (RFC 5280 §5.1.2.2).");
        }

        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        DateTimeOffset thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnReader entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                AsnReader entry = entries.ReadSequence();
                revoked.Add(NormalizeSerial(entry.ReadIntegerBytes().Span));
                ReadTime(entry);
            }
        }

        return new CertificateRevocationList(
            der, issuer, thisUpdate, nextUpdate, revoked, tbsEncoded, signatureAlgorithm, signature);
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime)
        || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime()
            : reader.ReadGeneralizedTime();

    // Serial numbers compare as numbers: leading zero octets are not significant.
    private static string NormalizeSerial(ReadOnlySpan<byte> serial)
    {
        int start = 0;
        while (start < serial.Length - 1 && serial[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(serial[start..]);
    }
}
