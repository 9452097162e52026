using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Authority;

/// <summary>Ed25519 requests (RFC 8410): made and checked by BouncyCastle, issued by .NET.
/// </summary>
public sealed class CertificateAuthorityEd25519Tests
{
    private const string CaPassword = "ca-secret";
    private const string KeyPassword = "alice-secret";
    private const string Address = "alice@example.com";

    [Fact]
    public void CreateEd25519_PendingKeyPairedWithIssuedCert_StoredKeyIsTheSamePkcs8()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store);
        (string pem, byte[] pkcs8) = SigningRequests.CreateEd25519(Address);
        CertificateRequest csr = CertificateRequest.LoadSigningRequestPem(pem,
            System.Security.Cryptography.HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.SkipSignatureValidation);
        store.AddPendingKey(pkcs8, csr.PublicKey.ExportSubjectPublicKeyInfo(), Address,
            csr.SubjectName.Name, KeyPassword);

        using X509Certificate2 issued = ca.Issue(pem,
            new IssueOptions { Profile = SmimeProfiles.Parse("mailbox-strict") }, CaPassword);
        StoredCertificate paired = store.PairWithPendingKey(issued);
        using CertificateKey key = store.GetCertificateKey(paired.Thumbprint, KeyPassword);

        Assert.Equal(Oids.Ed25519, issued.PublicKey.Oid.Value);
        Assert.Equal(csr.PublicKey.EncodedKeyValue.RawData,
            Ed25519Signatures.PublicKeyOf(pkcs8));
        Assert.Equal(pkcs8, key.Pkcs8PrivateKey.ToArray());
        Assert.Equal(X509KeyUsageFlags.DigitalSignature,
            issued.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
    }

    [Fact]
    public void Issue_Ed25519ForEncryption_RefusedNothingRecorded()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store);
        (string pem, _) = SigningRequests.CreateEd25519(Address);

        var error = Assert.Throws<AuthorityException>(() => ca.Issue(pem, new IssueOptions
        {
            Profile = SmimeProfiles.Parse("mailbox-strict"),
            Purpose = SmimeKeyPurpose.KeyManagementOnly,
        }, CaPassword));

        Assert.Equal("A EdDsa key cannot be issued for KeyManagementOnly under mailbox-strict.",
            error.Message);
        Assert.Empty(store.ListIssued());
    }

    private static CertificateStore OpenStore(TempDir dir) =>
        CertificateStore.Open(dir.File("store"), pbkdf2Iterations: 1000);

    private static CertificateAuthority Init(CertificateStore store) =>
        CertificateAuthority.Initialize(store, new CertificateAuthorityOptions
        {
            Name = "CN=Test Root, O=Test",
            KeyType = KeyType.P256,
            Years = 10,
        }, CaPassword);
}
