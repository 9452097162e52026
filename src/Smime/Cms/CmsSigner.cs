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

    /// <summary>
    /// Creates a signer for a certificate whose key is held as PKCS#8: Ed25519 (RFC 8419),
    /// which .NET cannot attach to a certificate, or RSA and EC. An Ed25519 signer digests with
    /// SHA-512, as RFC 8419 §3.1 requires. The key is read when signing: keep it undisposed
    /// until then.
    /// </summary>
    /// <exception cref="ArgumentException">The key does not belong to the certificate, or
    /// cannot sign (X25519).</exception>
    /// <exception cref="CryptographicException">The PKCS#8 key is malformed.</exception>
    public CmsSigner(CertificateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        X509Certificate2 certificate = key.Certificate;
        switch (key.KeyAlgorithmOid)
        {
            case Oids.Ed25519:
                byte[]? expected = Ed25519Signatures.PublicKeyOf(certificate, out string? failure);
                if (expected is null
                    || !expected.AsSpan().SequenceEqual(
                        Ed25519Signatures.PublicKeyOf(key.Pkcs8PrivateKey)))
                {
                    throw new ArgumentException(
                        failure ?? $"The Ed25519 key is not the key of '{certificate.Subject}'.",
                        nameof(key));
                }

                Certificate = certificate;
                Key = key;
                DigestAlgorithm = HashAlgorithmName.SHA512;
                break;
            case Oids.Rsa:
                using (RSA rsa = RSA.Create())
                {
                    rsa.ImportPkcs8PrivateKey(key.Pkcs8PrivateKey, out _);
                    Certificate = Attach(certificate, c => c.CopyWithPrivateKey(rsa));
                }

                break;
            case Oids.EcPublicKey:
                using (ECDsa ec = ECDsa.Create())
                {
                    ec.ImportPkcs8PrivateKey(key.Pkcs8PrivateKey, out _);
                    Certificate = Attach(certificate, c => c.CopyWithPrivateKey(ec));
                }

                break;
            default:
                throw new ArgumentException(
                    $"A {key.KeyAlgorithmOid} key cannot sign; Ed25519, RSA and EC keys can.",
                    nameof(key));
        }
    }

    /// <summary>The signer's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The digest algorithm: SHA-256 (default), SHA-384 or SHA-512; SHA-512 for Ed25519, the
    /// only one RFC 8419 §3.1 allows there.
    /// </summary>
    public HashAlgorithmName DigestAlgorithm { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>For RSA keys, sign with RSASSA-PSS instead of PKCS#1 v1.5.</summary>
    public bool UsePss { get; init; }

    /// <summary>How the SignerInfo names the certificate.</summary>
    public SignerIdentifierType IdentifierType { get; init; } = SignerIdentifierType.IssuerAndSerialNumber;

    /// <summary>The signingTime attribute; the current time when not set.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>
    /// The certificate that correspondents should encrypt to, when it is not the signing
    /// certificate: announced in an SMIMEEncryptionKeyPreference attribute (RFC 8551 §2.5.3)
    /// and carried in the SignedData.
    /// </summary>
    public X509Certificate2? EncryptionCertificate { get; set; }

    /// <summary>The Ed25519 key, for signers made from a <see cref="CertificateKey"/>.</summary>
    internal CertificateKey? Key { get; }

    /// <summary>Further certificates to include (intermediates), besides the signer's own.</summary>
    public X509Certificate2Collection ExtraCertificates { get; } = new();

    private static X509Certificate2 Attach(
        X509Certificate2 certificate,
        Func<X509Certificate2, X509Certificate2> copyWithKey)
    {
        // A fresh copy: CopyWithPrivateKey refuses a certificate that already has a key.
        using X509Certificate2 publicOnly =
            X509CertificateLoader.LoadCertificate(certificate.RawDataMemory.Span);
        try
        {
            return copyWithKey(publicOnly);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"The private key is not the key of '{certificate.Subject}'.", "key", e);
        }
    }
}
