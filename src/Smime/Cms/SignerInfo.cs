using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>One signer of a SignedData (RFC 5652 §5.3).</summary>
public sealed class SignerInfo
{
    /// <summary>The SignerInfo version: 1 for issuerAndSerialNumber, 3 for subjectKeyIdentifier.</summary>
    public int Version => throw new NotImplementedException();

    /// <summary>How the signer names its certificate.</summary>
    public SignerIdentifierType IdentifierType => throw new NotImplementedException();

    /// <summary>The issuer name, for issuerAndSerialNumber.</summary>
    public X500DistinguishedName? Issuer => throw new NotImplementedException();

    /// <summary>The serial number as big-endian bytes, for issuerAndSerialNumber.</summary>
    public ReadOnlyMemory<byte> SerialNumber => throw new NotImplementedException();

    /// <summary>The key identifier, for subjectKeyIdentifier.</summary>
    public ReadOnlyMemory<byte> SubjectKeyIdentifier => throw new NotImplementedException();

    /// <summary>The digest algorithm OID as received.</summary>
    public string DigestAlgorithmOid => throw new NotImplementedException();

    /// <summary>The digest algorithm, or null when it is not one we accept (MD5, unknown).</summary>
    public HashAlgorithmName? DigestAlgorithm => throw new NotImplementedException();

    /// <summary>The signature algorithm OID as received.</summary>
    public string SignatureAlgorithmOid => throw new NotImplementedException();

    /// <summary>A name a person reads, such as "RSASSA-PSS with SHA-256" or "ECDSA with SHA-384".</summary>
    public string SignatureAlgorithmName => throw new NotImplementedException();

    /// <summary>The signingTime attribute, if present.</summary>
    public DateTimeOffset? SigningTime => throw new NotImplementedException();

    /// <summary>The SMIMECapabilities attribute's entries (RFC 8551 §2.5.2), if present.</summary>
    public IReadOnlyList<SmimeCapability> Capabilities => throw new NotImplementedException();

    /// <summary>The signed attributes, in the order received.</summary>
    public IReadOnlyList<CmsAttribute> SignedAttributes => throw new NotImplementedException();

    /// <summary>The unsigned attributes, in the order received.</summary>
    public IReadOnlyList<CmsAttribute> UnsignedAttributes => throw new NotImplementedException();

    /// <summary>Whether the certificate is the one this SignerInfo names.</summary>
    public bool Matches(X509Certificate2 certificate) => throw new NotImplementedException();

    /// <summary>
    /// Checks the signature against the digest of the content, trying every certificate that
    /// the SignerInfo names (RFC 8551 §2.6: key identifiers need not be unique).
    /// Does not check the certificate's chain, validity or usage.
    /// </summary>
    /// <param name="contentDigest">The content's digest under <see cref="DigestAlgorithm"/>.</param>
    /// <param name="contentType">The SignedData's eContentType, to compare with the attribute.</param>
    /// <param name="certificates">Candidate certificates: the message's and any known ones.</param>
    public SignerCheck CheckSignature(
        ReadOnlySpan<byte> contentDigest,
        string contentType,
        IEnumerable<X509Certificate2> certificates) => throw new NotImplementedException();
}
