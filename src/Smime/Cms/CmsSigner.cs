using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>A signing identity and the choices made for one SignerInfo.</summary>
public sealed class CmsSigner
{
    /// <summary>Creates a signer for a certificate that has its private key attached.</summary>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public CmsSigner(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException(
                $"The certificate '{certificate.Subject}' has no private key to sign with.",
                nameof(certificate));
        }

        Certificate = certificate;
    }

    /// <summary>The signer's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The digest algorithm: SHA-256 (default), SHA-384 or SHA-512.</summary>
    public HashAlgorithmName DigestAlgorithm { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>For RSA keys, sign with RSASSA-PSS instead of PKCS#1 v1.5.</summary>
    public bool UsePss { get; init; }

    /// <summary>How the SignerInfo names the certificate.</summary>
    public SignerIdentifierType IdentifierType { get; init; } = SignerIdentifierType.IssuerAndSerialNumber;

    /// <summary>The signingTime attribute; the current time when not set.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>Further certificates to include (intermediates), besides the signer's own.</summary>
    public X509Certificate2Collection ExtraCertificates { get; } = new();
}
