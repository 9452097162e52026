using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Tests.Support;

namespace Smime.Cli.Tests.Support;

/// <summary>
/// Certificates a hostile sender could mail: issued by <see cref="TestPki.Shared"/> for
/// alice@example.com (rfc822Name), with a subject the test chooses byte for byte.
/// </summary>
public static class HostileCertificates
{
    /// <summary>A common name that tries to forge verdict lines and recolour the terminal.</summary>
    public const string ForgingCommonName = "M\nVerdict: Valid\nReason:  ok\u001b[31m\u202e";

    /// <summary>A subject whose only attribute is a UTF8String commonName.</summary>
    public static X500DistinguishedName CommonName(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <summary>
    /// CN=Mallory plus an emailAddress whose IA5String holds the byte 0x84 where '@' goes:
    /// not ASCII, so not an IA5String (X.680 §41), as a sender can put in a certificate.
    /// </summary>
    public static X500DistinguishedName NonAsciiEmailAddress()
    {
        byte[] email = [.. "alice"u8, 0x84, .. "example.com"u8];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("2.5.4.3");
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, "Mallory");
            }

            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.9.1");
                writer.WriteEncodedValue([0x16, (byte)email.Length, .. email]);
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    /// <summary>
    /// Issues alice's certificate under <paramref name="subject"/> and writes NAME.crt and
    /// NAME.p12 (password <see cref="Files.Password"/>).
    /// </summary>
    public static Files.User Write(TempDir dir, string name, X500DistinguishedName subject)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.4") }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress("alice@example.com");
        request.CertificateExtensions.Add(san.Build());

        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 issued =
            request.Create(TestPki.Shared.Root, now.AddDays(-1), now.AddYears(1), serial);
        X509Certificate2 certificate = issued.CopyWithPrivateKey(key);

        string crt = dir.File(name + ".crt");
        string p12 = dir.File(name + ".p12");
        TestPki.WritePem(certificate, crt);
        File.WriteAllBytes(p12, certificate.ExportPkcs12(
            Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Files.Password));
        return new Files.User(certificate, crt, p12, p12);
    }
}
