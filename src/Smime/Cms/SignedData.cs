using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>A CMS SignedData (RFC 5652 §5) wrapped in its ContentInfo.</summary>
public sealed class SignedData
{
    /// <summary>Decodes a ContentInfo holding a SignedData, in BER or DER.</summary>
    /// <exception cref="CryptographicException">The data is not a well-formed SignedData.</exception>
    public static SignedData Decode(ReadOnlyMemory<byte> encoded) => throw new NotImplementedException();

    /// <summary>The eContentType of the encapsulated content.</summary>
    public string ContentType => throw new NotImplementedException();

    /// <summary>The encapsulated content, or null when the signature is detached.</summary>
    public ReadOnlyMemory<byte>? Content => throw new NotImplementedException();

    /// <summary>The certificates the SignedData carries.</summary>
    public IReadOnlyList<X509Certificate2> Certificates => throw new NotImplementedException();

    /// <summary>The signers, in the order they appear.</summary>
    public IReadOnlyList<SignerInfo> SignerInfos => throw new NotImplementedException();

    /// <summary>The supported digest algorithms the signers use, to hash detached content once.</summary>
    public IReadOnlyCollection<HashAlgorithmName> DigestAlgorithms => throw new NotImplementedException();

    /// <summary>Creates a detached SignedData from digests of the content computed by the caller.</summary>
    /// <param name="signers">One or more signers.</param>
    /// <param name="digests">A stream that has hashed the content with every signer's digest algorithm.</param>
    /// <param name="contentType">The eContentType; id-data for MIME.</param>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    public static byte[] CreateDetached(
        IReadOnlyList<CmsSigner> signers,
        DigestingStream digests,
        string contentType = Oids.Data) => throw new NotImplementedException();

    /// <summary>Creates a SignedData that encapsulates the content.</summary>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    public static byte[] CreateEncapsulated(
        IReadOnlyList<CmsSigner> signers,
        ReadOnlySpan<byte> content,
        string contentType = Oids.Data) => throw new NotImplementedException();

    /// <summary>Creates a certs-only SignedData (RFC 8551 §3.6): no content, no signers.</summary>
    public static byte[] CreateCertificatesOnly(IEnumerable<X509Certificate2> certificates) =>
        throw new NotImplementedException();
}
