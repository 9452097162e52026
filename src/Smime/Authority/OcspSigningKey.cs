using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Smime.Cms;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace Smime.Authority;

/// <summary>
/// The CA's issuing key, opened once for a session of OCSP answers
/// (<see cref="CertificateAuthority.UnlockOcspKey"/>), so that no request needs the passphrase.
/// </summary>
/// <remarks>
/// BouncyCastle signs: .NET has no OCSP response builder. Its key objects hold the key as
/// immutable big integers, which cannot be zeroed; dispose the key when the session ends so
/// nothing keeps them reachable.
/// </remarks>
public sealed class OcspSigningKey : IDisposable
{
    private ISignatureFactory? _signatureFactory;

    private OcspSigningKey(
        ISignatureFactory signatureFactory,
        BcCertificate issuer,
        string issuerThumbprint)
    {
        _signatureFactory = signatureFactory;
        Issuer = issuer;
        IssuerThumbprint = issuerThumbprint;
    }

    /// <summary>The thumbprint of the CA certificate whose key this is.</summary>
    public string IssuerThumbprint { get; }

    internal BcCertificate Issuer { get; }

    internal ISignatureFactory SignatureFactory =>
        _signatureFactory ?? throw new ObjectDisposedException(nameof(OcspSigningKey));

    /// <summary>Drops the key; later answers throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _signatureFactory = null;

    // The PKCS#8 is read into BouncyCastle and never kept; the caller zeroes its copy.
    internal static OcspSigningKey Create(
        ReadOnlySpan<byte> pkcs8PrivateKey,
        byte[] issuerCertificate,
        string issuerThumbprint)
    {
        byte[] copy = pkcs8PrivateKey.ToArray();
        try
        {
            AsymmetricKeyParameter key = PrivateKeyFactory.CreateKey(copy);
            BcCertificate issuer = new BcCertificateParser().ReadCertificate(issuerCertificate);
            return new OcspSigningKey(
                new Asn1SignatureFactory(SignatureAlgorithm(key), key),
                issuer,
                issuerThumbprint);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    // The algorithms the CA signs certificates and CRLs with (KeyPairs.SignatureHash):
    // SHA-384 for a P-384 key, else SHA-256; Ed25519 is pure (RFC 8410 §6).
    internal static string SignatureAlgorithm(AsymmetricKeyParameter key) => key switch
    {
        RsaKeyParameters => "SHA256WITHRSA",
        ECPrivateKeyParameters { Parameters.Curve.FieldSize: >= 384 } => "SHA384WITHECDSA",
        ECPrivateKeyParameters => "SHA256WITHECDSA",
        Ed25519PrivateKeyParameters => "Ed25519",
        _ => throw new NotSupportedException(
            $"A CA key of type {key.GetType().Name} cannot sign OCSP responses; RSA, ECDSA "
            + $"and Ed25519 ({Oids.Ed25519}) can."),
    };
}
