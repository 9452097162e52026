using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Authority;

public sealed class CertificateAuthorityTests
{
    private const string CaPassword = "ca-secret";
    private const string Address = "alice@example.com";

    [Theory]
    [InlineData("dual", true, true)]
    [InlineData("signing", true, false)]
    [InlineData("encryption", false, true)]
    public void Issue_RsaPerPurpose_OpenSslPurposesMatch(string usage, bool sign, bool encrypt)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: true);
        using RSA key = RSA.Create(2048);
        SmimeKeyPurpose purpose = usage switch
        {
            "signing" => SmimeKeyPurpose.SigningOnly,
            "encryption" => SmimeKeyPurpose.KeyManagementOnly,
            _ => SmimeKeyPurpose.DualUse,
        };

        using X509Certificate2 issued = ca.Issue(SigningRequests.Create(key, Address),
            new IssueOptions { Profile = SmimeProfiles.Parse("mailbox-strict"), Purpose = purpose },
            CaPassword);

        WriteChain(dir, ca, issued);
        Assert.Equal(sign, OpenSslVerify(dir, "smimesign"));
        Assert.Equal(encrypt, OpenSslVerify(dir, "smimeencrypt"));
    }

    [Fact]
    public void Issue_P256Dual_OpenSslVerifiesForSigningWithKeyAgreement()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using X509Certificate2 issued = ca.Issue(SigningRequests.Create(key, Address),
            new IssueOptions { Profile = SmimeProfiles.Parse("individual-strict") }, CaPassword);

        WriteChain(dir, ca, issued);
        Assert.True(OpenSslVerify(dir, "smimesign"));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement,
            issued.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
    }

    [Fact]
    public void Issue_EveryProfile_PolicyOidKeyUsageEkuSanAndValidityExact()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using RSA key = RSA.Create(2048);
        string csr = SigningRequests.Create(key, Address, "Alice Example", "Example Ltd");
        var notBefore = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        foreach (SmimeProfile profile in SmimeProfiles.All)
        {
            using X509Certificate2 issued = ca.Issue(csr, new IssueOptions
            {
                Profile = profile,
                Days = profile.MaximumValidityDays,
                NotBefore = notBefore,
                OrganizationIdentifier = profile.SubjectRequirement(
                    SmimeProfiles.Attributes.OrganizationIdentifier) == SmimeRequirement.Forbidden
                    ? null
                    : "NTRGB-12345678",
            }, CaPassword);

            Assert.Equal([profile.PolicyOid], PolicyOids(issued));
            Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
                issued.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
            Assert.Equal([SmimeProfiles.EmailProtectionOid], issued.Extensions
                .OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages
                .Cast<Oid>().Select(o => o.Value));
            Assert.Equal(notBefore, new DateTimeOffset(issued.NotBefore.ToUniversalTime()));
            Assert.Equal(notBefore.AddDays(profile.MaximumValidityDays).AddSeconds(-1),
                new DateTimeOffset(issued.NotAfter.ToUniversalTime()));
            Assert.Equal(Address, issued.GetNameInfo(X509NameType.EmailName, false));
            Assert.Equal(ExpectedSubject(profile), issued.SubjectName.Name);
        }

        Assert.Equal(12, ca.List().Count(i => i.State == IssuedCertificateState.Issued));
        Assert.Equal(12, ca.List().Select(i => i.Serial).Distinct().Count());
    }

    [Fact]
    public void Issue_OpenSslCsrForOrganization_SubjectTakesValidatedOrgAndId()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-out", "r.csr",
            "-subj", "/C=GB/O=Claimed Name/OU=Sales/CN=Sales Desk",
            "-addext", "subjectAltName=email:sales@example.com");

        using X509Certificate2 issued = ca.Issue(File.ReadAllText(dir.File("r.csr")),
            new IssueOptions
            {
                Profile = SmimeProfiles.Parse("organization-strict"),
                Organization = "Example Ltd",
                OrganizationIdentifier = "NTRGB-12345678",
                Purpose = SmimeKeyPurpose.SigningOnly,
            }, CaPassword);

        // Strict drops organizationalUnitName (S/MIME BR §7.1.4.2.2).
        Assert.Equal("CN=Sales Desk, organizationIdentifier=NTRGB-12345678, O=Example Ltd, C=GB",
            issued.SubjectName.Name);
        Assert.Equal("sales@example.com", issued.GetNameInfo(X509NameType.EmailName, false));
    }

    [Fact]
    public void Issue_RequestedAddresses_SubjectAltNameHoldsExactlyThem()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout",
            "k.pem", "-out", "r.csr", "-subj", "/CN=Two",
            "-addext", "subjectAltName=email:a@example.com,email:b@example.org,DNS:x.example");

        using X509Certificate2 issued = ca.Issue(File.ReadAllText(dir.File("r.csr")),
            new IssueOptions { Profile = SmimeProfiles.Parse("mailbox-strict") }, CaPassword);

        X509Extension san = issued.Extensions[SigningRequests.SanOid]!;
        Assert.Equal(["a@example.com", "b@example.org"], SigningRequests.MailboxAddresses(san));
        Assert.DoesNotContain("x.example", new AsnEncodedData(san).Format(false));
        Assert.Equal("CN=a@example.com", issued.SubjectName.Name);
    }

    [Fact]
    public void Issue_RevokedThenCrl_OpenSslCrlCheckSaysRevoked()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using RSA key = RSA.Create(2048);
        using X509Certificate2 issued = ca.Issue(SigningRequests.Create(key, Address),
            new IssueOptions { Profile = SmimeProfiles.Parse("class1") }, CaPassword);
        WriteChain(dir, ca, issued);
        File.WriteAllBytes(dir.File("crl0.der"), ca.CreateCrl(CaPassword));

        ca.Revoke(issued.SerialNumber, X509RevocationReason.KeyCompromise);
        File.WriteAllBytes(dir.File("crl1.der"), ca.CreateCrl(CaPassword));

        Peer.Result good = CrlCheck(dir, "crl0.der");
        Peer.Result revoked = CrlCheck(dir, "crl1.der");
        Assert.Equal(0, good.ExitCode);
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("certificate revoked", revoked.StdOut + revoked.StdErr);
        Assert.Equal(IssuedCertificateState.Revoked, store.FindIssued(issued.SerialNumber)!.State);
        Assert.Equal(2, store.GetAuthority()!.CrlNumber);
    }

    [Fact]
    public void Revoke_Twice_SecondRefusedNamingDate()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 issued = ca.Issue(SigningRequests.Create(key, Address),
            new IssueOptions { Profile = SmimeProfiles.Parse("class1") }, CaPassword);
        ca.Revoke(issued.SerialNumber, X509RevocationReason.Superseded);

        var error = Assert.Throws<CertificateStoreException>(
            () => ca.Revoke(issued.SerialNumber, X509RevocationReason.KeyCompromise));

        Assert.StartsWith($"Serial {issued.SerialNumber} was already revoked on ", error.Message);
    }

    [Fact]
    public void ReserveSerial_SpentOnce_NeverFreeAgainAndListedAsReserved()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        bool first = store.ReserveSerial("4011223344556677", ca.Record.IssuerThumbprint,
            "mailbox-strict", "CN=x", "x@example.com", now, now.AddDays(1));
        bool again = store.ReserveSerial("4011223344556677", ca.Record.IssuerThumbprint,
            "mailbox-strict", "CN=y", "y@example.com", now, now.AddDays(1));

        Assert.True(first);
        Assert.False(again);
        IssuedCertificate spent = Assert.Single(ca.List());
        Assert.Equal(IssuedCertificateState.Reserved, spent.State);
        Assert.Equal("CN=x", spent.Subject);

        // A reserved serial may have a certificate out there: it can be revoked.
        Assert.Equal(IssuedCertificateState.Revoked,
            ca.Revoke("40:11:22:33", X509RevocationReason.Unspecified).State);
    }

    [Fact]
    public void Issue_CrashAfterSerialSpent_SerialStaysSpentNextIssueGetsAnother()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using RSA key = RSA.Create(2048);
        string csr = SigningRequests.Create(key, Address);
        var options = new IssueOptions { Profile = SmimeProfiles.Parse("class1") };
        ca.AfterSerialSpent = () => throw new IOException("power cut");

        Assert.Throws<IOException>(() => ca.Issue(csr, options, CaPassword));
        ca.AfterSerialSpent = null;
        using X509Certificate2 issued = CertificateAuthority.Open(store)
            .Issue(csr, options, CaPassword);

        IssuedCertificate lost = ca.List().Single(i => i.State == IssuedCertificateState.Reserved);
        Assert.NotEqual(lost.Serial, issued.SerialNumber);
        Assert.Null(lost.Certificate);
        Assert.Equal(IssuedCertificateState.Issued, store.FindIssued(issued.SerialNumber)!.State);
        Assert.Equal(2, ca.List().Count);
    }

    [Fact]
    public void Issue_TamperedCsr_RefusedNothingSpent()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using RSA key = RSA.Create(2048);
        string pem = SigningRequests.Create(key, Address);
        byte[] der = PemEncoding.Find(pem) is var fields
            ? Convert.FromBase64String(pem[fields.Base64Data])
            : [];
        der[^3] ^= 0x80;
        string tampered = PemEncoding.WriteString("CERTIFICATE REQUEST", der);

        var error = Assert.Throws<AuthorityException>(() => ca.Issue(tampered,
            new IssueOptions { Profile = SmimeProfiles.Parse("class1") }, CaPassword));

        Assert.Contains("signature does not verify", error.Message);
        Assert.Empty(ca.List());
    }

    [Fact]
    public void Issue_WrongPassphrase_RefusedNothingSpent()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: true);
        using RSA key = RSA.Create(2048);

        string csr = SigningRequests.Create(key, Address);

        Assert.Throws<CertificateStoreException>(() => ca.Issue(csr,
            new IssueOptions { Profile = SmimeProfiles.Parse("class1") }, "wrong"));

        // The list holds the intermediate (the root issued it at init), nothing of the issue.
        IssuedCertificate only = Assert.Single(ca.List());
        Assert.Equal(CertificateStore.IntermediateProfile, only.Profile);
        Assert.Equal(ca.Issuer.SerialNumber, only.Serial);
    }

    [Fact]
    public void Issue_Rsa1024Csr_Refused()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout",
            "k.pem", "-out", "r.csr", "-subj", "/CN=Weak",
            "-addext", "subjectAltName=email:weak@example.com");

        var error = Assert.Throws<AuthorityException>(() => ca.Issue(
            File.ReadAllText(dir.File("r.csr")),
            new IssueOptions { Profile = SmimeProfiles.Parse("class1") }, CaPassword));

        Assert.Equal("The CSR's RSA key has 1024 bits; S/MIME needs at least 2048 "
            + "(CA/B S/MIME BR §6.1.5).", error.Message);
        Assert.Empty(ca.List());
    }

    [Fact]
    public void PairWithPendingKey_IssuedCertificate_KeyOpensWithItsPassphrase()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = SigningRequests.Create(key, Address);
        store.AddPendingKey(key, Address, "CN=" + Address, "alice-secret");
        using X509Certificate2 issued = ca.Issue(csr,
            new IssueOptions { Profile = SmimeProfiles.Parse("class1") }, CaPassword);

        StoredCertificate paired = store.PairWithPendingKey(issued);

        Assert.True(paired.HasPrivateKey);
        Assert.Empty(store.ListPendingKeys());
        using X509Certificate2 withKey =
            store.GetCertificateWithKey(paired.Thumbprint, "alice-secret");
        using ECDsa opened = withKey.GetECDsaPrivateKey()!;
        byte[] data = [1, 2, 3];
        byte[] signature = opened.SignData(data, HashAlgorithmName.SHA256);
        Assert.True(key.VerifyData(data, signature, HashAlgorithmName.SHA256));
        Assert.Throws<CertificateStoreException>(() => store.PairWithPendingKey(issued));
    }

    [Fact]
    public void Issue_Certificate_GpgsmImportsEncryptsAndSmimeDecrypts()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false);
        using RSA key = RSA.Create(2048);
        using X509Certificate2 issued = ca.Issue(SigningRequests.Create(key, Address),
            new IssueOptions { Profile = SmimeProfiles.Parse("mailbox-multipurpose") }, CaPassword);
        WriteChain(dir, ca, issued);
        File.WriteAllText(dir.File("content.txt"), "for gpgsm\r\n");
        using var gpgsm = new GpgsmHome(dir);
        string trustlist = dir.File(Path.Combine("gnupg", "trustlist.txt"));
        File.AppendAllText(trustlist,
            string.Join(':', ca.Root.Thumbprint.Chunk(2).Select(p => new string(p)))
                + " S relax\n");

        Peer.Result import = gpgsm.Run(null, "--import", "root.pem", "leaf.pem");
        Peer.Result encrypt = gpgsm.Run(null, "--encrypt", "-r", Address,
            "-o", "enc.der", "content.txt");

        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        DecryptedContent plain = EnvelopedContent.Decrypt(
            File.ReadAllBytes(dir.File("enc.der")), [withKey]);
        Assert.Equal("for gpgsm\r\n", System.Text.Encoding.ASCII.GetString(plain.Content));

        // And the other way: a signature by the issued key, checked by gpgsm up to our root.
        var signer = new CmsSigner(withKey);
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(File.ReadAllBytes(dir.File("content.txt")));
        File.WriteAllBytes(dir.File("sig.p7s"), SignedData.CreateDetached([signer], digests));
        Peer.Result verify = gpgsm.Run(null, "--verify", "sig.p7s", "content.txt");
        Assert.True(verify.ExitCode == 0, verify.StdErr);
        Assert.Contains("Good signature", verify.StdErr);
    }

    private static CertificateStore OpenStore(TempDir dir) =>
        CertificateStore.Open(dir.File("store"), pbkdf2Iterations: 1000);

    private static CertificateAuthority Init(CertificateStore store, bool intermediate) =>
        CertificateAuthority.Initialize(store, new CertificateAuthorityOptions
        {
            Name = "CN=Test Root, O=Test",
            KeyType = KeyType.P256,
            Years = 10,
            Intermediate = intermediate,
        }, CaPassword);

    private static void WriteChain(TempDir dir, CertificateAuthority ca, X509Certificate2 leaf)
    {
        File.WriteAllText(dir.File("root.pem"), ca.Root.ExportCertificatePem() + "\n");
        File.WriteAllText(dir.File("int.pem"), ca.Issuer.ExportCertificatePem() + "\n");
        File.WriteAllText(dir.File("leaf.pem"), leaf.ExportCertificatePem() + "\n");
    }

    private static bool OpenSslVerify(TempDir dir, string purpose) =>
        Peer.Run("openssl", ["verify", "-purpose", purpose, "-CAfile", "root.pem",
            "-untrusted", "int.pem", "leaf.pem"], dir.Path).ExitCode == 0;

    private static Peer.Result CrlCheck(TempDir dir, string crl) =>
        Peer.Run("openssl", ["verify", "-crl_check", "-CRLfile", crl, "-CAfile", "root.pem",
            "leaf.pem"], dir.Path);

    private static string[] PolicyOids(X509Certificate2 certificate)
    {
        var reader = new AsnReader(
            certificate.Extensions["2.5.29.32"]!.RawData, AsnEncodingRules.DER);
        AsnReader policies = reader.ReadSequence();
        var oids = new List<string>();
        while (policies.HasData)
        {
            oids.Add(policies.ReadSequence().ReadObjectIdentifier());
        }

        return [.. oids];
    }

    private static string ExpectedSubject(SmimeProfile profile) => profile.ValidationType switch
    {
        SmimeValidationType.Mailbox => "CN=alice@example.com",
        SmimeValidationType.Individual => "CN=Alice Example",
        _ => "CN=Alice Example, organizationIdentifier=NTRGB-12345678, O=Example Ltd",
    };
}
