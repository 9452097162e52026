using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

public sealed class CertificateStoreTests
{
    // Low iteration counts keep the tests fast; the default is exercised by the CLI tests.
    private const int FastIterations = 1000;

    private const string Passphrase = "correct horse";

    [Fact]
    public void Open_NewFolder_CreatesOwnerOnlyFolderAndFile()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDir();
        string home = dir.File("home");

        using (CertificateStore.Open(home, FastIterations))
        {
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(home));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(home, CertificateStore.FileName)));
    }

    [Fact]
    public void Add_ThenReopen_CertificateAndAddressesPersist()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("Alice@Example.COM");

        using (CertificateStore store = CertificateStore.Open(dir.Path, FastIterations))
        {
            store.Add(alice);
        }

        using CertificateStore reopened = CertificateStore.Open(dir.Path, FastIterations);
        StoredCertificate found = Assert.Single(reopened.FindByAddress("Alice@example.com"));
        Assert.Equal(alice.RawData, found.Certificate.RawData);
        Assert.Equal(["Alice@example.com"], found.Addresses);
        Assert.Empty(reopened.FindByAddress("alice@example.com"));
        Assert.False(found.HasPrivateKey);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            found.KeyUsage);
        Assert.Equal([Oids.EmailProtection], found.ExtendedKeyUsages);
    }

    [Fact]
    public void AddWithPrivateKey_StoredKey_IsEncryptedPkcs8AndOpensWithPassphrase()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] plainKey = alice.GetRSAPrivateKey()!.ExportPkcs8PrivateKey();

        using (CertificateStore store = CertificateStore.Open(dir.Path, FastIterations))
        {
            store.AddWithPrivateKey(alice, Passphrase);
        }

        byte[] file = File.ReadAllBytes(Path.Combine(dir.Path, CertificateStore.FileName));
        Assert.Equal(-1, file.AsSpan().IndexOf(plainKey.AsSpan(plainKey.Length - 64)));

        using CertificateStore reopened = CertificateStore.Open(dir.Path, FastIterations);
        string thumbprint = reopened.FindByAddress("alice@example.com")[0].Thumbprint;
        using X509Certificate2 withKey = reopened.GetCertificateWithKey(thumbprint, Passphrase);
        using RSA key = withKey.GetRSAPrivateKey()!;
        Assert.Equal(plainKey, key.ExportPkcs8PrivateKey());
    }

    [Fact]
    public void GetCertificateWithKey_WrongPassphrase_ClearErrorAndKeyKept()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        string thumbprint = store.AddWithPrivateKey(alice, Passphrase).Thumbprint;

        var e = Assert.Throws<CertificateStoreException>(
            () => store.GetCertificateWithKey(thumbprint, "wrong"));

        Assert.Equal("The passphrase does not open the private key of 'CN=alice@example.com'.",
            e.Message);
        using X509Certificate2 again = store.GetCertificateWithKey(thumbprint, Passphrase);
        Assert.True(again.HasPrivateKey);
    }

    [Fact]
    public void Import_Pkcs12WithKey_StoresCertificateAndKey()
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com", TestKeyType.EcP256);
        byte[] pfx = bob.ExportPkcs12(
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048),
            "p12pass");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);

        StoredCertificate imported = Assert.Single(store.Import(pfx, "p12pass"));

        Assert.True(imported.HasPrivateKey);
        using X509Certificate2 withKey = store.GetCertificateWithKey(imported.Thumbprint, "p12pass");
        Assert.NotNull(withKey.GetECDsaPrivateKey());
    }

    [Fact]
    public void Import_Pkcs12KeptAsGiven_OpensWithItsPassphraseOnly()
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        byte[] pfx = bob.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "p12pass");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);

        StoredCertificate imported = Assert.Single(
            store.Import(pfx, "p12pass", keepPkcs12AsGiven: true));

        Assert.True(imported.HasPrivateKey);
        using X509Certificate2 withKey = store.GetCertificateWithKey(imported.Thumbprint, "p12pass");
        Assert.NotNull(withKey.GetRSAPrivateKey());
        Assert.Throws<CertificateStoreException>(
            () => store.GetCertificateWithKey(imported.Thumbprint, "other"));
    }

    [Fact]
    public void Import_Pkcs12WrongPassphrase_ClearErrorAndNothingStored()
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        byte[] pfx = bob.Export(X509ContentType.Pkcs12, "p12pass");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);

        var e = Assert.Throws<CertificateStoreException>(
            () => store.Import(pfx, "nope", source: "bob.p12"));

        Assert.Equal("The passphrase does not open the PKCS#12 bob.p12.", e.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void Import_OpenSslPkcs12UnknownCipher_ClearErrorAndNothingStored()
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        TestPki.WritePem(bob, dir.File("bob.crt"), dir.File("bob.key"));

        // Camellia is a cipher PKCS#12 readers rarely know; .NET's loader does not.
        Peer.OpenSsl(dir.Path, "pkcs12", "-export", "-in", "bob.crt", "-inkey", "bob.key",
            "-keypbe", "CAMELLIA-256-CBC", "-certpbe", "CAMELLIA-256-CBC",
            "-passout", "pass:p12pass", "-out", "bob.p12");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        store.Add(TestPki.Shared.Root, trustAnchor: true);

        var e = Assert.Throws<CertificateStoreException>(() => store.Import(
            File.ReadAllBytes(dir.File("bob.p12")), "p12pass", source: "bob.p12"));

        Assert.StartsWith("The PKCS#12 bob.p12 cannot be read", e.Message);
        Assert.Single(store.List());
    }

    [Fact]
    public void Import_PemWithKeyAndP7c_AllCertificatesStored()
    {
        using var dir = new TempDir();
        using X509Certificate2 carol = TestPki.Shared.Issue("carol@example.com");
        using X509Certificate2 dave = TestPki.Shared.Issue("dave@example.com");
        TestPki.WritePem(carol, dir.File("carol.crt"), dir.File("carol.key"));
        Peer.OpenSsl(dir.Path, "crl2pkcs7", "-nocrl", "-certfile", "carol.crt",
            "-outform", "DER", "-out", "carol.p7c");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);

        byte[] pem = Encoding.ASCII.GetBytes(
            File.ReadAllText(dir.File("carol.crt")) + File.ReadAllText(dir.File("carol.key")));
        StoredCertificate fromPem = Assert.Single(store.Import(pem, Passphrase));
        StoredCertificate fromP7c = Assert.Single(store.Import(
            File.ReadAllBytes(dir.File("carol.p7c"))));
        store.Import(dave.RawData);

        Assert.True(fromPem.HasPrivateKey);
        Assert.Equal(fromPem.Thumbprint, fromP7c.Thumbprint);
        Assert.Equal(2, store.List().Count);
    }

    [Fact]
    public void Export_Pkcs12_Aes256Pbkdf2ReadByOpenSsl()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        string thumbprint = store.AddWithPrivateKey(alice, Passphrase).Thumbprint;

        byte[] pfx = store.Export([thumbprint], CertificateExportFormat.Pkcs12, Passphrase);
        File.WriteAllBytes(dir.File("out.p12"), pfx);

        Peer.Result info = Peer.OpenSsl(dir.Path, "pkcs12", "-info", "-in", "out.p12",
            "-passin", $"pass:{Passphrase}", "-noout");
        Assert.Contains("PBES2, PBKDF2, AES-256-CBC", info.StdErr);
        Assert.DoesNotContain("RC2", info.StdErr);
        Assert.DoesNotContain("3DES", info.StdErr);
        Peer.Result key = Peer.OpenSsl(dir.Path, "pkcs12", "-in", "out.p12", "-nocerts",
            "-nodes", "-passin", $"pass:{Passphrase}");
        Assert.Contains("BEGIN PRIVATE KEY", key.StdOut);
    }

    [Fact]
    public void Export_PemDerP7c_RoundTripThroughOpenSsl()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        string a = store.Add(alice).Thumbprint;
        string root = store.Add(TestPki.Shared.Root).Thumbprint;

        File.WriteAllBytes(dir.File("a.der"), store.Export([a], CertificateExportFormat.Der));
        File.WriteAllBytes(dir.File("b.pem"), store.Export([a, root], CertificateExportFormat.Pem));
        File.WriteAllBytes(dir.File("c.p7c"), store.Export([a, root], CertificateExportFormat.P7c));

        Peer.OpenSsl(dir.Path, "x509", "-inform", "DER", "-in", "a.der", "-noout");
        Peer.Result p7 = Peer.OpenSsl(dir.Path, "pkcs7", "-inform", "DER", "-in", "c.p7c",
            "-print_certs", "-noout");
        Assert.Contains("subject=CN = alice@example.com", p7.StdOut);
        Assert.Contains("CN = smime Test Root", p7.StdOut);
        Assert.Equal(2, Encoding.ASCII.GetString(File.ReadAllBytes(dir.File("b.pem")))
            .Split("BEGIN CERTIFICATE").Length - 1);
    }

    [Fact]
    public void SetTrusted_TrustThenUntrust_AnchorsFollow()
    {
        using var dir = new TempDir();
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        string root = store.Add(TestPki.Shared.Root).Thumbprint;

        store.SetTrusted(root, true);
        Assert.Single(store.GetTrustAnchors());
        store.SetTrusted(root, false);

        Assert.Empty(store.GetTrustAnchors());
        Assert.Throws<CertificateStoreException>(() => store.SetTrusted("00112233", true));
    }

    [Fact]
    public void Remove_WithKey_CertificateAndKeyGone()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, FastIterations);
        string thumbprint = store.AddWithPrivateKey(alice, Passphrase).Thumbprint;

        Assert.True(store.Remove(thumbprint));

        Assert.False(store.Remove(thumbprint));
        Assert.Empty(store.FindByAddress("alice@example.com"));
        Assert.Null(store.Find(thumbprint));
    }

    [Fact]
    public void Open_CorruptFile_ClearErrorAndFileUntouched()
    {
        using var dir = new TempDir();
        byte[] garbage = Encoding.ASCII.GetBytes(new string('x', 8192));
        string path = Path.Combine(dir.Path, CertificateStore.FileName);
        File.WriteAllBytes(path, garbage);

        var e = Assert.Throws<CertificateStoreException>(
            () => CertificateStore.Open(dir.Path, FastIterations));

        Assert.StartsWith($"The certificate store '{path}' cannot be read:", e.Message);
        Assert.Contains("file is not a database", e.Message);
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_TwoInstances_SeeEachOthersWrites()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore first = CertificateStore.Open(dir.Path, FastIterations);
        using CertificateStore second = CertificateStore.Open(dir.Path, FastIterations);

        first.Add(alice);

        Assert.Single(second.FindByAddress("alice@example.com"));
    }

    [Fact]
    public void Harvest_TwoInstancesWritingAtOnce_EveryCertificateStored()
    {
        using var dir = new TempDir();
        X509Certificate2[] certificates = Enumerable.Range(0, 16)
            .Select(i => TestPki.Shared.Issue($"user{i}@example.com", TestKeyType.EcP256))
            .ToArray();
        using CertificateStore first = CertificateStore.Open(dir.Path, FastIterations);
        using CertificateStore second = CertificateStore.Open(dir.Path, FastIterations);

        Parallel.For(0, certificates.Length, i =>
        {
            CertificateStore store = i % 2 == 0 ? first : second;
            lock (store)
            {
                // Harvest reads before it writes: the case where two deferred transactions
                // would each wait for the other to upgrade its lock.
                store.Harvest([new HarvestedSigner(
                    certificates[i], [], DateTimeOffset.UtcNow, [], default)]);
                store.SetTrusted(CertificateFacts.Thumbprint(certificates[i]), i % 3 == 0);
            }
        });

        Assert.Equal(16, first.List().Count);
        Assert.Equal(6, second.GetTrustAnchors().Count);
    }
}
