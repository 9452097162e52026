using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Smime.Tests.Support;

/// <summary>
/// Ed25519 end-entity certificates under a <see cref="TestPki"/> root. .NET cannot make an
/// Ed25519 key, but CertificateRequest takes any SubjectPublicKeyInfo and signs with the RSA
/// root, so BouncyCastle only derives the public key from a random seed.
/// </summary>
public static class Ed25519TestCertificates
{
    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>
    /// Issues a certificate for <paramref name="email"/> with an Ed25519 key (RFC 8410 §4:
    /// absent parameters), digitalSignature, EKU emailProtection, an rfc822Name and a
    /// subjectKeyIdentifier; returns it with its PKCS#8 key.
    /// </summary>
    public static CertificateKey Issue(TestPki pki, string email)
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        var publicKey = new byte[32];
        Rfc8032.GeneratePublicKey(seed, 0, publicKey, 0);

        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={email}"),
            new PublicKey(new Oid(Ed25519Oid), null, new AsnEncodedData(publicKey)),
            HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.4") }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress(email);
        request.CertificateExtensions.Add(san.Build());

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using RSA rootKey = pki.Root.GetRSAPrivateKey()!;
        X509Certificate2 certificate = request.Create(
            pki.Root.SubjectName,
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            now.AddDays(-1),
            now.AddYears(2),
            serial);
        return new CertificateKey(certificate, Pkcs8(seed));
    }

    /// <summary>OneAsymmetricKey v1 with id-Ed25519 and CurvePrivateKey (RFC 8410 §7).</summary>
    public static byte[] Pkcs8(ReadOnlySpan<byte> seed)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519Oid);
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(seed);
            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }

    /// <summary>The 32-byte seed of a PKCS#8 key made by <see cref="Pkcs8"/> or openssl.</summary>
    public static byte[] Seed(ReadOnlySpan<byte> pkcs8) => pkcs8[^32..].ToArray();
}
