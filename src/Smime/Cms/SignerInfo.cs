using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>One signer of a SignedData (RFC 5652 §5.3).</summary>
public sealed partial class SignerInfo
{
    /// <summary>Entries of one SMIMECapabilities attribute that are read.</summary>
    public const int MaxCapabilities = 64;

    private static readonly Asn1Tag s_context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag s_context1 = new(TagClass.ContextSpecific, 1);

    private readonly SignerInfoAsn _asn;
    private readonly X500DistinguishedName? _issuer;
    private readonly IReadOnlyList<CmsAttribute> _signedAttributes;
    private readonly IReadOnlyList<CmsAttribute> _unsignedAttributes;
    private readonly DateTimeOffset? _signingTime;
    private readonly IReadOnlyList<SmimeCapability> _capabilities;
    private readonly EncryptionKeyPreference? _encryptionKeyPreference;

    internal SignerInfo(SignerInfoAsn asn)
    {
        _asn = asn;
        _signedAttributes = asn.SignedAttributes is { } signed
            ? AttributeAsn.ReadSet(signed, s_context0, "SignerInfo signed attributes")
            : [];
        _unsignedAttributes = asn.UnsignedAttributes is { } unsigned
            ? AttributeAsn.ReadSet(unsigned, s_context1, "SignerInfo unsigned attributes")
            : [];
        _signingTime = ReadSigningTime(_signedAttributes);
        _capabilities = ReadCapabilities(_signedAttributes);
        _encryptionKeyPreference = ReadEncryptionKeyPreference(_signedAttributes);
        if (asn.IssuerAndSerialNumber is { } issuerAndSerial)
        {
            _issuer = ReadIssuer(issuerAndSerial.Issuer);
        }
    }

    /// <summary>The SignerInfo version: 1 for issuerAndSerialNumber, 3 for subjectKeyIdentifier.</summary>
    public int Version => _asn.Version;

    /// <summary>How the signer names its certificate.</summary>
    public SignerIdentifierType IdentifierType => _asn.IssuerAndSerialNumber is null
        ? SignerIdentifierType.SubjectKeyIdentifier
        : SignerIdentifierType.IssuerAndSerialNumber;

    /// <summary>The issuer name, for issuerAndSerialNumber.</summary>
    public X500DistinguishedName? Issuer => _issuer;

    /// <summary>The serial number as big-endian bytes, for issuerAndSerialNumber.</summary>
    public ReadOnlyMemory<byte> SerialNumber =>
        _asn.IssuerAndSerialNumber?.SerialNumber ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The key identifier, for subjectKeyIdentifier.</summary>
    public ReadOnlyMemory<byte> SubjectKeyIdentifier =>
        _asn.SubjectKeyIdentifier ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The digest algorithm OID as received.</summary>
    public string DigestAlgorithmOid => _asn.DigestAlgorithm.Oid;

    /// <summary>The digest algorithm, or null when it is not one we accept (MD5, unknown).</summary>
    public HashAlgorithmName? DigestAlgorithm => SignatureAlgorithms.HashFromOid(DigestAlgorithmOid);

    /// <summary>The signature algorithm OID as received.</summary>
    public string SignatureAlgorithmOid => _asn.SignatureAlgorithm.Oid;

    /// <summary>A name a person reads, such as "RSASSA-PSS with SHA-256" or "ECDSA with SHA-384".</summary>
    public string SignatureAlgorithmName =>
        SignatureAlgorithms.DisplayName(_asn.SignatureAlgorithm, DigestAlgorithmOid);

    /// <summary>The signingTime attribute, if present.</summary>
    public DateTimeOffset? SigningTime => _signingTime;

    /// <summary>The SMIMECapabilities attribute's entries (RFC 8551 §2.5.2), if present.</summary>
    public IReadOnlyList<SmimeCapability> Capabilities => _capabilities;

    /// <summary>
    /// The SMIMEEncryptionKeyPreference attribute (RFC 8551 §2.5.3): the certificate the
    /// signer wants to be encrypted to; null when absent or unreadable. It is covered by the
    /// signature, so trust it only once <see cref="CheckSignature"/> has succeeded.
    /// </summary>
    public EncryptionKeyPreference? EncryptionKeyPreference => _encryptionKeyPreference;

    /// <summary>The signed attributes, in the order received.</summary>
    public IReadOnlyList<CmsAttribute> SignedAttributes => _signedAttributes;

    /// <summary>The unsigned attributes, in the order received.</summary>
    public IReadOnlyList<CmsAttribute> UnsignedAttributes => _unsignedAttributes;

    /// <summary>The signature value as received.</summary>
    public ReadOnlyMemory<byte> Signature => _asn.Signature;

    /// <summary>Whether the certificate is the one this SignerInfo names.</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_asn.IssuerAndSerialNumber is { } issuerAndSerial)
        {
            return issuerAndSerial.Matches(certificate);
        }

        return KeyIdentifiers.Matches(certificate, SubjectKeyIdentifier.Span);
    }

    /// <summary>"issuer CN=..., serial 0A1B..." or "subjectKeyIdentifier 0A1B...".</summary>
    public string DescribeIdentifier() => _asn.IssuerAndSerialNumber is { } issuerAndSerial
        ? issuerAndSerial.Describe()
        : $"subjectKeyIdentifier {Convert.ToHexString(SubjectKeyIdentifier.Span)}";

    private static X500DistinguishedName ReadIssuer(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var name = new X500DistinguishedName(encoded.Span);
            _ = name.Name;
            return name;
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException("The SignerInfo issuer Name is malformed.", e);
        }
    }

    // RFC 5652 §11.3: signingTime is a Time, UTCTime or GeneralizedTime, with exactly one value.
    private static DateTimeOffset? ReadSigningTime(IReadOnlyList<CmsAttribute> attributes)
    {
        CmsAttribute? attribute = Single(attributes, Oids.SigningTimeAttribute, "signingTime");
        if (attribute is null)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(attribute.Values[0], AsnEncodingRules.BER);
            Asn1Tag tag = reader.PeekTag();
            DateTimeOffset time;
            if (tag.HasSameClassAndValue(Asn1Tag.UtcTime))
            {
                time = reader.ReadUtcTime();
            }
            else if (tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime))
            {
                time = reader.ReadGeneralizedTime();
            }
            else
            {
                throw new CryptographicException(
                    $"The signingTime attribute has the tag {tag}, not UTCTime or GeneralizedTime.");
            }

            reader.ThrowIfNotEmpty();
            return time;
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The signingTime attribute is not a valid time.", e);
        }
    }

    // RFC 8551 §2.5.2: one value, read leniently since it is only a hint.
    private static IReadOnlyList<SmimeCapability> ReadCapabilities(
        IReadOnlyList<CmsAttribute> attributes)
    {
        CmsAttribute? attribute =
            Single(attributes, Oids.SmimeCapabilitiesAttribute, "SMIMECapabilities");
        return attribute is null ? [] : SmimeCapabilities.Decode(attribute.Values[0]);
    }

    // RFC 8551 §2.5.3: one value; a value that is none of its choices names nothing.
    private static EncryptionKeyPreference? ReadEncryptionKeyPreference(
        IReadOnlyList<CmsAttribute> attributes)
    {
        CmsAttribute? attribute = Single(
            attributes, Oids.EncryptionKeyPreferenceAttribute, "SMIMEEncryptionKeyPreference");
        return attribute is null ? null : EncryptionKeyPreference.TryDecode(attribute.Values[0]);
    }

    /// <summary>The attribute of that type, null when absent; throws when repeated.</summary>
    private static CmsAttribute? Single(
        IReadOnlyList<CmsAttribute> attributes,
        string oid,
        string name)
    {
        CmsAttribute? found = null;
        foreach (CmsAttribute attribute in attributes)
        {
            if (attribute.Oid != oid)
            {
                continue;
            }

            if (found is not null || attribute.Values.Count != 1)
            {
                throw new CryptographicException(
                    $"The {name} attribute must appear once with one value (RFC 5652 §11).");
            }

            found = attribute;
        }

        return found;
    }
}
