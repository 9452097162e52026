using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Rfc7748X25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;
using Rfc7748X448 = Org.BouncyCastle.Math.EC.Rfc7748.X448;
using Rfc8032Ed25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Smime.Tests.Support;

/// <summary>
/// Certificates for X25519, X448 and Ed25519 keys (RFC 8410), which CertificateRequest cannot
/// make from a key of its own: the key pair comes from BouncyCastle, the certificate from
/// CertificateRequest over a raw SubjectPublicKeyInfo, signed by the test root.
/// </summary>
public static class CurveCertificates
{
    public const string X25519 = "1.3.101.110";
    public const string X448 = "1.3.101.111";
    public const string Ed25519 = "1.3.101.112";

    /// <summary>
    /// Issues a certificate for <paramref name="email"/> with a fresh key of the given
    /// algorithm, and returns it with its PKCS#8 private key.
    /// </summary>
    public static CertificateKey Issue(TestPki pki, string email, string keyOid = X25519)
    {
        (byte[] privateKey, byte[] publicKey) = Generate(keyOid);
        X509Certificate2 certificate = IssueFor(pki, email, keyOid, publicKey);
        return new CertificateKey(certificate, Pkcs8(keyOid, privateKey));
    }

    /// <summary>The PKCS#8 PrivateKeyInfo of RFC 8410 §7: CurvePrivateKey in privateKey.</summary>
    public static byte[] Pkcs8(string keyOid, byte[] privateKey)
    {
        var inner = new AsnWriter(AsnEncodingRules.DER);
        inner.WriteOctetString(privateKey);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(keyOid);
            }

            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }

    /// <summary>The raw private key of a CertificateKey made here.</summary>
    public static byte[] RawPrivateKey(CertificateKey key)
    {
        var reader = new AsnReader(key.Pkcs8PrivateKey.ToArray(), AsnEncodingRules.DER);
        AsnReader info = reader.ReadSequence();
        info.ReadInteger();
        info.ReadSequence();
        return new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
    }

    private static (byte[] PrivateKey, byte[] PublicKey) Generate(string keyOid)
    {
        int length = keyOid == X448 ? 56 : 32;
        byte[] privateKey = RandomNumberGenerator.GetBytes(length);
        var publicKey = new byte[length];
        switch (keyOid)
        {
            case X25519:
                Rfc7748X25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
                break;
            case X448:
                Rfc7748X448.GeneratePublicKey(privateKey, 0, publicKey, 0);
                break;
            default:
                Rfc8032Ed25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
                break;
        }

        return (privateKey, publicKey);
    }

    private static X509Certificate2 IssueFor(
        TestPki pki,
        string email,
        string keyOid,
        byte[] publicKey)
    {
        // SubjectPublicKeyInfo with absent parameters (RFC 8410 §3).
        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier(keyOid);
            }

            spki.WriteBitString(publicKey);
        }

        PublicKey key = PublicKey.CreateFromSubjectPublicKeyInfo(spki.Encode(), out _);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={email}"), key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        X509KeyUsageFlags usage = keyOid == Ed25519
            ? X509KeyUsageFlags.DigitalSignature
            : X509KeyUsageFlags.KeyAgreement;
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(key, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.4") }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress(email);
        request.CertificateExtensions.Add(san.Build());

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using RSA rootKey = pki.Root.GetRSAPrivateKey()!;
        return request.Create(
            pki.Root.SubjectName,
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            now.AddDays(-1),
            now.AddYears(2),
            serial);
    }
}
