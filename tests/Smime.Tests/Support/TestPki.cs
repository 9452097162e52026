using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Tests.Support;

/// <summary>Kinds of key a test certificate can have.</summary>
public enum TestKeyType
{
    Rsa2048,
    Rsa3072,
    EcP256,
    EcP384,
    EcP521,
}

/// <summary>
/// A throwaway PKI made fresh for tests with CertificateRequest: a root and end-entity
/// certificates for email addresses. Nothing is read from disk.
/// </summary>
public sealed class TestPki : IDisposable
{
    private static readonly Lazy<TestPki> s_shared = new(() => new TestPki());

    public TestPki(string rootName = "CN=smime Test Root, O=smime tests")
    {
        using RSA rootKey = RSA.Create(2048);
        var request = new CertificateRequest(
            rootName, rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Root = request.CreateSelfSigned(now.AddDays(-2), now.AddYears(5));
    }

    /// <summary>One PKI shared by the tests of a run, to save key generation time.</summary>
    public static TestPki Shared => s_shared.Value;

    /// <summary>The self-signed root, with its private key.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>
    /// Issues an end-entity certificate for <paramref name="email"/> (rfc822Name in
    /// subjectAltName), with digitalSignature and keyEncipherment (or keyAgreement for EC),
    /// EKU emailProtection and a subjectKeyIdentifier; the private key is attached.
    /// </summary>
    public X509Certificate2 Issue(
        string email,
        TestKeyType keyType = TestKeyType.Rsa2048,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool withSubjectAltName = true,
        bool withEku = true)
    {
        string subject = withSubjectAltName
            ? $"CN={email}"
            : $"CN={email}, E={email}";
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset from = notBefore ?? now.AddDays(-1);
        DateTimeOffset to = notAfter ?? now.AddYears(2);
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;

        if (keyType is TestKeyType.Rsa2048 or TestKeyType.Rsa3072)
        {
            using RSA key = RSA.Create(keyType == TestKeyType.Rsa2048 ? 2048 : 3072);
            var request = new CertificateRequest(
                subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddEndEntityExtensions(request, email, withSubjectAltName, withEku,
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
            using X509Certificate2 cert = request.Create(Root, from, to, serial);
            return cert.CopyWithPrivateKey(key);
        }

        ECCurve curve = keyType switch
        {
            TestKeyType.EcP256 => ECCurve.NamedCurves.nistP256,
            TestKeyType.EcP384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        using ECDsa ec = ECDsa.Create(curve);
        var ecRequest = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
        AddEndEntityExtensions(ecRequest, email, withSubjectAltName, withEku,
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement);
        // The root's key is RSA: Create(Root, ...) refuses an EC subject key, so sign with a
        // generator for the root's key instead.
        using RSA rootKey = Root.GetRSAPrivateKey()!;
        using X509Certificate2 ecCert = ecRequest.Create(
            Root.SubjectName,
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            from,
            to,
            serial);
        return ecCert.CopyWithPrivateKey(ec);
    }

    /// <summary>Writes a certificate as PEM, and its key as unencrypted PKCS#8 PEM when asked.</summary>
    public static void WritePem(X509Certificate2 certificate, string certPath, string? keyPath = null)
    {
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
        if (keyPath is null)
        {
            return;
        }

        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no private key.");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public void Dispose() => Root.Dispose();

    private static void AddEndEntityExtensions(
        CertificateRequest request,
        string email,
        bool withSubjectAltName,
        bool withEku,
        X509KeyUsageFlags usages)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usages, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (withEku)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("1.3.6.1.5.5.7.3.4") }, false));
        }

        if (withSubjectAltName)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddEmailAddress(email);
            request.CertificateExtensions.Add(san.Build());
        }
    }
}
