using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

public sealed partial class SignerInfo
{
    /// <summary>The warning given when a signature rests on SHA-1.</summary>
    public const string Sha1Warning =
        "SHA-1 is weak: collisions can be made, so this signature proves less than it seems " +
        "(RFC 8551 §2.1 requires SHA-256 or better for new signatures).";

    /// <summary>
    /// Checks the signature against the digest of the content, trying every certificate that
    /// the SignerInfo names (RFC 8551 §2.6: key identifiers need not be unique).
    /// Does not check the certificate's chain, validity or usage.
    /// </summary>
    /// <param name="contentDigest">The content's digest under <see cref="DigestAlgorithm"/>;
    /// empty when that is null (MD5, unknown), and the check then fails naming it.</param>
    /// <param name="contentType">The SignedData's eContentType, to compare with the
    /// contentType attribute.</param>
    /// <param name="certificates">Candidate certificates: the message's and any known ones.</param>
    /// <returns>The outcome; a bad signature or attribute is a failure, never an exception.
    /// An Ed25519 SignerInfo without signed attributes signs the content itself (RFC 8419
    /// §3.2), so a digest cannot check it: that is a failure naming
    /// <see cref="CheckSignatureOfContent"/>.</returns>
    /// <exception cref="ArgumentException">The digest's length is not the digest
    /// algorithm's.</exception>
    public SignerCheck CheckSignature(
        ReadOnlySpan<byte> contentDigest,
        string contentType,
        IEnumerable<X509Certificate2> certificates) =>
        Check(contentDigest, contentType, certificates, content: default, haveContent: false);

    /// <summary>
    /// Checks the signature against the content itself, which it hashes as the SignerInfo
    /// asks; the one way to check an Ed25519 signer without signed attributes (RFC 8419 §3.2),
    /// whose signature covers the content rather than a digest. Does not check the
    /// certificate's chain, validity or usage.
    /// </summary>
    /// <param name="content">The signed content: the eContent's octets, or the detached
    /// content.</param>
    /// <param name="contentType">The SignedData's eContentType.</param>
    /// <param name="certificates">Candidate certificates: the message's and any known ones.</param>
    /// <returns>The outcome; a bad signature or attribute is a failure, never an
    /// exception.</returns>
    public SignerCheck CheckSignatureOfContent(
        ReadOnlySpan<byte> content,
        string contentType,
        IEnumerable<X509Certificate2> certificates)
    {
        byte[] digest = DigestAlgorithm is { } algorithm
            ? CryptographicOperations.HashData(algorithm, content)
            : [];
        return Check(digest, contentType, certificates, content, haveContent: true);
    }

    private SignerCheck Check(
        ReadOnlySpan<byte> contentDigest,
        string contentType,
        IEnumerable<X509Certificate2> certificates,
        ReadOnlySpan<byte> content,
        bool haveContent)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        ArgumentNullException.ThrowIfNull(certificates);
        var warnings = new List<string>();

        // Failures found before any key is tried still name the certificate the signer
        // points at, so the caller can say whose signature was refused.
        SignerCheck Refuse(string reason) =>
            new(certificates.FirstOrDefault(Matches), false, reason, warnings);

        if (DigestFailure() is { } digestFailure)
        {
            return Refuse(digestFailure);
        }

        HashAlgorithmName digest = DigestAlgorithm!.Value;
        if (digest == HashAlgorithmName.SHA1)
        {
            warnings.Add(Sha1Warning);
        }

        if (contentDigest.Length != SignatureAlgorithms.HashLength(digest))
        {
            throw new ArgumentException(
                $"The content digest has {contentDigest.Length} bytes; {digest.Name} has " +
                $"{SignatureAlgorithms.HashLength(digest)}.",
                nameof(contentDigest));
        }

        ResolvedSignature? algorithm =
            SignatureAlgorithms.Resolve(_asn.SignatureAlgorithm, digest, out string? failure);
        if (algorithm is null)
        {
            return Refuse(failure!);
        }

        byte[] signedHash;
        if (_asn.SignedAttributes is { } signedAttributes)
        {
            if (CheckSignedAttributes(contentDigest, contentType) is { } attributeFailure)
            {
                return Refuse(attributeFailure);
            }

            // RFC 8419 §3.2: PureEdDSA signs the DER of the signed attributes themselves.
            signedHash = algorithm.Kind == SignatureKind.Ed25519
                ? SignedAttributesAsSet(signedAttributes.Span)
                : HashSignedAttributes(signedAttributes.Span, digest);
        }
        else if (contentType != Oids.Data)
        {
            return Refuse(
                $"The SignerInfo has no signed attributes, but the content type {contentType} " +
                "is not id-data, so RFC 5652 §5.3 requires them.");
        }
        else if (algorithm.Kind != SignatureKind.Ed25519)
        {
            signedHash = contentDigest.ToArray();
        }
        else if (haveContent)
        {
            signedHash = content.ToArray();
        }
        else
        {
            return Refuse(
                "The Ed25519 SignerInfo has no signed attributes, so its signature covers the " +
                "content itself (RFC 8419 §3.2), not a digest; check it with " +
                "CheckSignatureOfContent.");
        }

        return TryCandidates(algorithm, signedHash, certificates, warnings);
    }

    private string? DigestFailure()
    {
        if (DigestAlgorithmOid == Oids.Md5)
        {
            return "The digest algorithm MD5 is refused: it is broken (RFC 6151).";
        }

        if (DigestAlgorithm is null)
        {
            return $"The digest algorithm {DigestAlgorithmOid} is not supported.";
        }

        return null;
    }

    // RFC 5652 §5.3 and §11: with signed attributes present, contentType and messageDigest
    // MUST be there, each with one value, the first equal to eContentType and the second to
    // the digest of the content.
    private string? CheckSignedAttributes(ReadOnlySpan<byte> contentDigest, string contentType)
    {
        if (FindSingle(Oids.ContentTypeAttribute, "contentType", out CmsAttribute? typeAttribute)
            is { } typeFailure)
        {
            return typeFailure;
        }

        if (FindSingle(Oids.MessageDigestAttribute, "messageDigest", out CmsAttribute? digestAttribute)
                is { } digestFailure)
        {
            return digestFailure;
        }

        try
        {
            var typeReader = new AsnReader(typeAttribute!.Values[0], AsnEncodingRules.BER);
            string signedType = typeReader.ReadObjectIdentifier();
            typeReader.ThrowIfNotEmpty();
            if (signedType != contentType)
            {
                return $"The contentType attribute says {signedType}, but the eContentType is " +
                    $"{contentType} (RFC 5652 §11.1).";
            }

            var digestReader = new AsnReader(digestAttribute!.Values[0], AsnEncodingRules.BER);
            byte[] signedDigest = digestReader.ReadOctetString();
            digestReader.ThrowIfNotEmpty();
            if (!CryptographicOperations.FixedTimeEquals(signedDigest, contentDigest))
            {
                return "The messageDigest attribute does not match the digest of the content: " +
                    "the content is not what was signed.";
            }
        }
        catch (AsnContentException)
        {
            return "The contentType or messageDigest attribute is malformed.";
        }

        return null;
    }

    private string? FindSingle(string oid, string name, out CmsAttribute? attribute)
    {
        attribute = null;
        foreach (CmsAttribute candidate in _signedAttributes)
        {
            if (candidate.Oid != oid)
            {
                continue;
            }

            if (attribute is not null || candidate.Values.Count != 1)
            {
                return $"The {name} attribute must appear once with one value (RFC 5652 §11).";
            }

            attribute = candidate;
        }

        return attribute is null
            ? $"The signed attributes lack the {name} attribute that RFC 5652 §5.3 requires."
            : null;
    }

    // RFC 5652 §5.4: the signature covers the DER of SignedAttributes as a SET OF, that is
    // the bytes received with the IMPLICIT [0] tag replaced by the SET tag, never re-encoded.
    private static byte[] SignedAttributesAsSet(ReadOnlySpan<byte> encoded)
    {
        byte[] set = encoded.ToArray();
        set[0] = 0x31;
        return set;
    }

    private static byte[] HashSignedAttributes(ReadOnlySpan<byte> encoded, HashAlgorithmName digest)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(digest);
        hash.AppendData([0x31]);
        hash.AppendData(encoded[1..]);
        return hash.GetHashAndReset();
    }

    private SignerCheck TryCandidates(
        ResolvedSignature algorithm,
        byte[] signedHash,
        IEnumerable<X509Certificate2> certificates,
        List<string> warnings)
    {
        var tried = new List<X509Certificate2>();
        string? lastFailure = null;
        foreach (X509Certificate2 certificate in certificates)
        {
            if (!Matches(certificate) || tried.Exists(c => SameCertificate(c, certificate)))
            {
                continue;
            }

            tried.Add(certificate);
            if (SignatureAlgorithms.Verify(
                algorithm, certificate, signedHash, _asn.Signature.Span, out string? failure))
            {
                return new SignerCheck(certificate, true, null, warnings);
            }

            lastFailure = failure;
        }

        if (tried.Count == 0)
        {
            return Fail(null,
                $"No certificate matches the signer ({DescribeIdentifier()}).", warnings);
        }

        string reason = tried.Count == 1
            ? $"The signature does not verify with the certificate '{tried[0].Subject}'."
            : $"The signature does not verify with any of the {tried.Count} certificates " +
                "that match the signer.";
        return Fail(tried[0], lastFailure is null ? reason : $"{reason} {lastFailure}", warnings);
    }

    private static bool SameCertificate(X509Certificate2 a, X509Certificate2 b) =>
        a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);

    private static SignerCheck Fail(
        X509Certificate2? certificate,
        string failure,
        List<string> warnings) => new(certificate, false, failure, warnings);
}
