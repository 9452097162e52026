using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>
/// A certificate and its private key as PKCS#8 (RFC 5958), for key types that .NET cannot
/// attach to an X509Certificate2: Ed25519 and X25519 (RFC 8410). RSA and EC keys are better
/// attached to the certificate itself.
/// </summary>
public sealed class CertificateKey : IDisposable
{
    private readonly byte[] _pkcs8;

    /// <summary>Pairs a certificate with an unencrypted PKCS#8 PrivateKeyInfo.</summary>
    /// <exception cref="CryptographicException">The key is not a readable PKCS#8 structure.</exception>
    public CertificateKey(X509Certificate2 certificate, ReadOnlySpan<byte> pkcs8PrivateKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        _pkcs8 = pkcs8PrivateKey.ToArray();
        KeyAlgorithmOid = ReadAlgorithm(_pkcs8);
    }

    /// <summary>The certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The privateKeyAlgorithm OID of the PKCS#8 structure.</summary>
    public string KeyAlgorithmOid { get; }

    /// <summary>The PKCS#8 PrivateKeyInfo; zeroed when this object is disposed.</summary>
    public ReadOnlySpan<byte> Pkcs8PrivateKey => _pkcs8;

    public void Dispose() => CryptographicOperations.ZeroMemory(_pkcs8);

    private static string ReadAlgorithm(byte[] pkcs8)
    {
        try
        {
            var reader = new AsnReader(pkcs8, AsnEncodingRules.BER);
            AsnReader info = reader.ReadSequence();
            info.ReadInteger();
            AsnReader algorithm = info.ReadSequence();
            return algorithm.ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The private key is not a PKCS#8 PrivateKeyInfo.", e);
        }
    }
}
