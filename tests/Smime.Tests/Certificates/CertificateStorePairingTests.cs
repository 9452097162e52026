using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>One key, two certificates: a signing and an encryption one of the same key.</summary>
public sealed class CertificateStorePairingTests
{
    private const int FastIterations = 1000;
    private const string Passphrase = "correct horse";

    [Fact]
    public void PairWithKey_SecondCertificateOfPairedKey_BothOpenWithTheSameKey()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        using X509Certificate2 signing = Issue(key, X509KeyUsageFlags.DigitalSignature);
        using X509Certificate2 encryption = Issue(key, X509KeyUsageFlags.KeyEncipherment);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.AddWithPrivateKey(signing, Passphrase);

        StoredCertificate paired = store.PairWithKey(
            X509CertificateLoader.LoadCertificate(encryption.RawData));

        Assert.True(paired.HasPrivateKey);
        Assert.Equal(X509KeyUsageFlags.KeyEncipherment, paired.KeyUsage);
        Assert.Equal(2, store.List().Count(c => c.HasPrivateKey));
        AssertKeyIs(key, store.GetCertificateWithKey(paired.Thumbprint, Passphrase));
        Assert.Throws<CertificateStoreException>(
            () => store.GetCertificateWithKey(paired.Thumbprint, "wrong"));
    }

    [Fact]
    public void PairWithKey_KeyKeptAsGivenPkcs12_SecondCertificateGetsTheKey()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        using X509Certificate2 signing = Issue(key, X509KeyUsageFlags.DigitalSignature);
        using X509Certificate2 encryption = Issue(key, X509KeyUsageFlags.KeyEncipherment);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        byte[] pkcs12 = signing.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Passphrase);
        store.Import(pkcs12, Passphrase, keepPkcs12AsGiven: true);

        StoredCertificate paired = store.PairWithKey(
            X509CertificateLoader.LoadCertificate(encryption.RawData));

        using X509Certificate2 opened = store.GetCertificateWithKey(paired.Thumbprint, Passphrase);
        Assert.Equal(encryption.RawData, opened.RawData);
        AssertKeyIs(key, opened);
    }

    [Fact]
    public void PairWithKey_NoKeyHasThePublicKey_ThrowsNamingTheCertificate()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        using RSA other = RSA.Create(2048);
        using X509Certificate2 mine = Issue(key, X509KeyUsageFlags.DigitalSignature);
        using X509Certificate2 stranger = Issue(other, X509KeyUsageFlags.KeyEncipherment);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.AddWithPrivateKey(mine, Passphrase);

        var e = Assert.Throws<CertificateStoreException>(() => store.PairWithKey(
            X509CertificateLoader.LoadCertificate(stranger.RawData)));

        Assert.StartsWith(
            "No key in the store has the public key of 'CN=pair@example.com': none waits",
            e.Message);
        Assert.Null(store.Find(CertificateFacts.Thumbprint(stranger)));
    }

    [Fact]
    public void Import_CertificateWhoseKeyIsStored_PairsIt()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        using X509Certificate2 signing = Issue(key, X509KeyUsageFlags.DigitalSignature);
        using X509Certificate2 encryption = Issue(key, X509KeyUsageFlags.KeyEncipherment);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.AddWithPrivateKey(signing, Passphrase);

        StoredCertificate imported = Assert.Single(store.Import(
            Encoding.ASCII.GetBytes(encryption.ExportCertificatePem())));

        Assert.True(imported.HasPrivateKey);
        AssertKeyIs(key, store.GetCertificateWithKey(imported.Thumbprint, Passphrase));
    }

    [Fact]
    public void Import_CertificateOfAnotherKey_StoredWithoutKey()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        using RSA other = RSA.Create(2048);
        using X509Certificate2 mine = Issue(key, X509KeyUsageFlags.DigitalSignature);
        using X509Certificate2 stranger = Issue(other, X509KeyUsageFlags.KeyEncipherment);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.AddWithPrivateKey(mine, Passphrase);

        StoredCertificate imported = Assert.Single(store.Import(stranger.RawData));

        Assert.False(imported.HasPrivateKey);
    }

    [Fact]
    public void FindEncryptionCertificate_SigningAndEncryptionCertificates_PicksByKeyUsage()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        using X509Certificate2 signing = Issue(key, X509KeyUsageFlags.DigitalSignature);
        using X509Certificate2 encryption = Issue(key, X509KeyUsageFlags.KeyEncipherment);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.AddWithPrivateKey(signing, Passphrase);
        store.PairWithKey(X509CertificateLoader.LoadCertificate(encryption.RawData));

        StoredCertificate? forEncryption = store.FindEncryptionCertificate("pair@example.com");
        StoredCertificate? forSigning = store.FindSigningCertificate("pair@example.com");

        Assert.Equal(CertificateFacts.Thumbprint(encryption), forEncryption?.Thumbprint);
        Assert.Equal(CertificateFacts.Thumbprint(signing), forSigning?.Thumbprint);
    }

    // A certificate for pair@example.com under the shared test root, with the given keyUsage.
    private static X509Certificate2 Issue(RSA key, X509KeyUsageFlags usage)
    {
        var request = new CertificateRequest(
            "CN=pair@example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.4")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress("pair@example.com");
        request.CertificateExtensions.Add(san.Build());
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 issued = request.Create(
            TestPki.Shared.Root, now.AddDays(-1), now.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    // The opened certificate carries exactly this key: what it signs, the key verifies.
    private static void AssertKeyIs(RSA key, X509Certificate2 opened)
    {
        using (opened)
        using (RSA attached = opened.GetRSAPrivateKey()!)
        {
            byte[] data = Encoding.ASCII.GetBytes("pairing");
            byte[] signature = attached.SignData(
                data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Assert.True(key.VerifyData(
                data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }
}
