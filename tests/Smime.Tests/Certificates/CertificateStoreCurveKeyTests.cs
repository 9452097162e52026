using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>Ed25519 and X25519 identities in the store: imported, kept encrypted, reopened.</summary>
public sealed class CertificateStoreCurveKeyTests
{
    private const int FastIterations = 1000;
    private const string Passphrase = "correct horse";

    // id-aes256-CBC (RFC 3565) and id-PBES2 (RFC 8018), DER-encoded OIDs.
    private static readonly byte[] s_aes256CbcOid = Convert.FromHexString("060960864801650304012A");
    private static readonly byte[] s_pbes2Oid = Convert.FromHexString("06092A864886F70D01050D");

    [Theory]
    [InlineData(CurveCertificates.Ed25519)]
    [InlineData(CurveCertificates.X25519)]
    public void AddWithPrivateKey_ReopenedStore_SameKeyBack(string keyOid)
    {
        using var dir = new TempDir();
        using CertificateKey key = CurveCertificates.Issue(TestPki.Shared, "curve@example.com", keyOid);
        byte[] expected = key.Pkcs8PrivateKey.ToArray();

        using (CertificateStore store = CertificateStore.Open(dir.Path, FastIterations))
        {
            Assert.True(store.AddWithPrivateKey(key, Passphrase).HasPrivateKey);
        }

        using CertificateStore reopened = CertificateStore.Open(dir.Path, FastIterations);
        using CertificateKey back = reopened.GetCertificateKey(
            CertificateFacts.Thumbprint(key.Certificate), Passphrase);

        Assert.Equal(expected, back.Pkcs8PrivateKey.ToArray());
        Assert.Equal(keyOid, back.KeyAlgorithmOid);
        Assert.Equal(key.Certificate.RawData, back.Certificate.RawData);
        Assert.True(CertificateStore.NeedsCertificateKey(back.Certificate));
    }

    [Fact]
    public void AddWithPrivateKey_Ed25519_StoreFileHoldsOnlyPbes2Aes256Ciphertext()
    {
        using var dir = new TempDir();
        using CertificateKey key = CurveCertificates.Issue(
            TestPki.Shared, "ed@example.com", CurveCertificates.Ed25519);
        byte[] raw = CurveCertificates.RawPrivateKey(key);

        using (CertificateStore store = CertificateStore.Open(dir.Path, FastIterations))
        {
            store.AddWithPrivateKey(key, Passphrase);
        }

        byte[] file = File.ReadAllBytes(Path.Combine(dir.Path, CertificateStore.FileName));
        Assert.True(file.AsSpan().IndexOf(s_pbes2Oid) >= 0);
        Assert.True(file.AsSpan().IndexOf(s_aes256CbcOid) >= 0);
        Assert.True(file.AsSpan().IndexOf(raw) < 0);
        Assert.True(file.AsSpan().IndexOf(key.Pkcs8PrivateKey) < 0);
    }

    [Fact]
    public void GetCertificateKey_WrongPassphrase_Refused()
    {
        using var dir = new TempDir();
        using CertificateKey key = CurveCertificates.Issue(TestPki.Shared, "x@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.AddWithPrivateKey(key, Passphrase);

        var e = Assert.Throws<CertificateStoreException>(() => store.GetCertificateKey(
            CertificateFacts.Thumbprint(key.Certificate), "wrong"));

        Assert.Contains("The passphrase does not open the private key of 'CN=x@example.com'",
            e.Message);
    }

    [Fact]
    public void AddWithPrivateKey_KeyOfAnotherCertificate_RefusedAndNothingStored()
    {
        using var dir = new TempDir();
        using CertificateKey one = CurveCertificates.Issue(TestPki.Shared, "one@example.com");
        using CertificateKey two = CurveCertificates.Issue(TestPki.Shared, "two@example.com");
        using var mixed = new CertificateKey(one.Certificate, two.Pkcs8PrivateKey);
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);

        Assert.Throws<CertificateStoreException>(() => store.AddWithPrivateKey(mixed, Passphrase));

        Assert.Empty(store.FindByAddress("one@example.com"));
    }

    [Theory]
    [InlineData(CurveCertificates.Ed25519, false)]
    [InlineData(CurveCertificates.X25519, true)]
    public void Import_PemCertificateAndPkcs8_KeyStoredAndReopened(string keyOid, bool encrypted)
    {
        using var dir = new TempDir();
        using CertificateKey key = CurveCertificates.Issue(TestPki.Shared, "pem@example.com", keyOid);
        string keyPem = encrypted
            ? PemEncoding.WriteString("ENCRYPTED PRIVATE KEY",
                System.Security.Cryptography.Pkcs.Pkcs8PrivateKeyInfo
                    .Decode(key.Pkcs8PrivateKey.ToArray(), out _)
                    .Encrypt("file pass", new PbeParameters(
                        PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048)))
            : PemEncoding.WriteString("PRIVATE KEY", key.Pkcs8PrivateKey);
        string pem = TestPki.Shared.Root.ExportCertificatePem() + "\n"
            + key.Certificate.ExportCertificatePem() + "\n" + keyPem + "\n";

        using (CertificateStore store = CertificateStore.Open(dir.Path, FastIterations))
        {
            IReadOnlyList<StoredCertificate> imported = store.Import(
                Encoding.ASCII.GetBytes(pem), encrypted ? "file pass" : Passphrase);
            Assert.Equal([false, true], imported.Select(c => c.HasPrivateKey));
        }

        using CertificateStore reopened = CertificateStore.Open(dir.Path, FastIterations);
        using CertificateKey back = reopened.GetCertificateKey(
            CertificateFacts.Thumbprint(key.Certificate), encrypted ? "file pass" : Passphrase);
        Assert.Equal(key.Pkcs8PrivateKey.ToArray(), back.Pkcs8PrivateKey.ToArray());
    }

    [Theory]
    [InlineData(CurveCertificates.Ed25519)]
    [InlineData(CurveCertificates.X25519)]
    public void Import_Pkcs12FromOpenSsl_KeyStoredAndReopened(string keyOid)
    {
        using var dir = new TempDir();
        using CertificateKey key = CurveCertificates.Issue(TestPki.Shared, "p12@example.com", keyOid);
        File.WriteAllText(dir.File("me.crt"), key.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(dir.File("me.key"),
            PemEncoding.WriteString("PRIVATE KEY", key.Pkcs8PrivateKey) + "\n");
        Peer.OpenSsl(dir.Path, "pkcs12", "-export", "-in", "me.crt", "-inkey", "me.key",
            "-out", "me.p12", "-passout", "pass:" + Passphrase);

        using (CertificateStore store = CertificateStore.Open(dir.Path, FastIterations))
        {
            StoredCertificate imported = Assert.Single(
                store.Import(File.ReadAllBytes(dir.File("me.p12")), Passphrase));
            Assert.True(imported.HasPrivateKey);
        }

        using CertificateStore reopened = CertificateStore.Open(dir.Path, FastIterations);
        using CertificateKey back = reopened.GetCertificateKey(
            CertificateFacts.Thumbprint(key.Certificate), Passphrase);
        Assert.Equal(CurveCertificates.RawPrivateKey(key), CurveCertificates.RawPrivateKey(back));
    }
}
