using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>A CMS SignedData (RFC 5652 §5) wrapped in its ContentInfo.</summary>
public sealed partial class SignedData
{
    private readonly SignedDataAsn _asn;
    private readonly IReadOnlyList<X509Certificate2> _certificates;
    private readonly IReadOnlyList<SignerInfo> _signerInfos;
    private readonly IReadOnlyCollection<HashAlgorithmName> _digestAlgorithms;

    private SignedData(
        SignedDataAsn asn,
        IReadOnlyList<X509Certificate2> certificates,
        IReadOnlyList<SignerInfo> signerInfos)
    {
        _asn = asn;
        _certificates = certificates;
        _signerInfos = signerInfos;

        var digests = new List<HashAlgorithmName>();
        foreach (SignerInfo signer in signerInfos)
        {
            if (signer.DigestAlgorithm is { } digest && !digests.Contains(digest))
            {
                digests.Add(digest);
            }
        }

        _digestAlgorithms = digests;
    }

    /// <summary>
    /// Decodes a ContentInfo holding a SignedData, in BER or DER; signatures are not checked
    /// here (see <see cref="SignerInfo.CheckSignature"/>).
    /// </summary>
    /// <exception cref="CryptographicException">The data is not a well-formed SignedData.</exception>
    public static SignedData Decode(ReadOnlyMemory<byte> encoded)
    {
        // The model keeps slices of what it reads (content, signed attributes, signatures), so
        // it reads a private copy that the caller cannot change afterwards.
        byte[] copy = encoded.ToArray();
        try
        {
            ReadOnlyMemory<byte> inner = ContentInfoAsn.ReadContent(copy, Oids.SignedData);
            SignedDataAsn asn = SignedDataAsn.Read(inner);

            var certificates = new List<X509Certificate2>(asn.Certificates.Count);
            for (int i = 0; i < asn.Certificates.Count; i++)
            {
                certificates.Add(LoadCertificate(asn.Certificates[i], i));
            }

            var signerInfos = new List<SignerInfo>(asn.SignerInfos.Count);
            foreach (SignerInfoAsn signerInfo in asn.SignerInfos)
            {
                signerInfos.Add(new SignerInfo(signerInfo));
            }

            return new SignedData(asn, certificates, signerInfos);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The SignedData is malformed.", e);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or FormatException)
        {
            // A safety net: whatever the bytes hold, callers get the one exception type the
            // contract names.
            throw new CryptographicException("The SignedData is malformed.", e);
        }
    }

    /// <summary>The SignedData version (RFC 5652 §5.1).</summary>
    public int Version => _asn.Version;

    /// <summary>The eContentType of the encapsulated content.</summary>
    public string ContentType => _asn.ContentType;

    /// <summary>The encapsulated content, or null when the signature is detached.</summary>
    public ReadOnlyMemory<byte>? Content => _asn.Content;

    /// <summary>The certificates the SignedData carries.</summary>
    public IReadOnlyList<X509Certificate2> Certificates => _certificates;

    /// <summary>The signers, in the order they appear.</summary>
    public IReadOnlyList<SignerInfo> SignerInfos => _signerInfos;

    /// <summary>
    /// The supported digest algorithms the signers use (SHA-1 included, MD5 not), to hash
    /// detached content once.
    /// </summary>
    public IReadOnlyCollection<HashAlgorithmName> DigestAlgorithms => _digestAlgorithms;

    private static X509Certificate2 LoadCertificate(ReadOnlyMemory<byte> encoded, int index)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(encoded.Span);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(
                $"Certificate {index + 1} of the SignedData is not a readable X.509 certificate.",
                e);
        }
    }
}
