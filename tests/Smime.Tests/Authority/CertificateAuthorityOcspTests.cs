using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Smime.Authority;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace Smime.Tests.Authority;

/// <summary>
/// The OCSP responder of the CA (RFC 6960), read back with BouncyCastle's client classes.
/// The answers to openssl's own client are in Smime.Cli.Tests.
/// </summary>
public sealed class CertificateAuthorityOcspTests
{
    private const string CaPassword = "ca-secret";
    private const string Address = "alice@example.com";
    private const string OcspUrl = "http://127.0.0.1:8080/ocsp";
    private const string CrlUrl = "http://127.0.0.1:8080/ca.crl";

    // OCSPResponse { responseStatus malformedRequest(1) }, no responseBytes (RFC 6960 §4.2.1).
    private static readonly byte[] s_malformedRequest = [0x30, 0x03, 0x0A, 0x01, 0x01];

    private static readonly AlgorithmIdentifier s_sha256 =
        new(NistObjectIdentifiers.IdSha256, DerNull.Instance);

    [Theory]
    [InlineData(KeyType.Rsa2048, "1.2.840.113549.1.1.11")]
    [InlineData(KeyType.P256, "1.2.840.10045.4.3.2")]
    [InlineData(KeyType.P384, "1.2.840.10045.4.3.3")]
    public void AnswerOcsp_IssuedSerialEachKeyType_GoodSignedByIssuerKeyWithNonceForFourDays(
        KeyType type,
        string signatureOid)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, type, intermediate: true);
        using X509Certificate2 alice = IssueAlice(ca);
        byte[] nonce = RandomNumberGenerator.GetBytes(16);
        DateTime before = DateTime.UtcNow.AddSeconds(-1);

        using OcspSigningKey key = ca.UnlockOcspKey(CaPassword);
        BasicOcspResp basic = Basic(ca.AnswerOcsp(Request(ca.Issuer, alice, nonce), key));

        BcCertificate issuer = Bc(ca.Issuer);
        Assert.True(basic.Verify(issuer.GetPublicKey()));
        Assert.Equal(signatureOid, basic.SignatureAlgorithm.Algorithm.Id);
        Assert.Equal(new RespID(issuer.GetPublicKey()), basic.ResponderId);
        Assert.Equal([ca.Issuer.RawData], basic.GetCerts().Select(c => c.GetEncoded()));
        Assert.Equal(new DerOctetString(nonce).GetEncoded(),
            basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce).GetOctets());
        SingleResp single = Assert.Single(basic.Responses);
        Assert.Equal(Id(ca.Issuer, alice, CertificateID.DigestSha1), single.GetCertID());
        Assert.Null(single.GetCertStatus());
        Assert.InRange(single.ThisUpdate, before, DateTime.UtcNow);
        Assert.Equal(TimeSpan.FromDays(4), single.NextUpdate!.Value - single.ThisUpdate);
        Assert.Equal(single.ThisUpdate, basic.ProducedAt);
    }

    [Theory]
    [InlineData(X509RevocationReason.KeyCompromise, 1)]
    [InlineData(X509RevocationReason.Superseded, 4)]
    [InlineData(X509RevocationReason.Unspecified, null)]
    public void AnswerOcsp_RevokedSerial_RevokedWithTimeAndReason(
        X509RevocationReason reason,
        int? code)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: false);
        using X509Certificate2 alice = IssueAlice(ca);
        IssuedCertificate revoked = ca.Revoke(alice.SerialNumber, reason);

        using OcspSigningKey key = ca.UnlockOcspKey(CaPassword);
        BasicOcspResp basic = Basic(ca.AnswerOcsp(Request(ca.Issuer, alice, null), key));

        var status = Assert.IsType<RevokedStatus>(Assert.Single(basic.Responses).GetCertStatus());
        Assert.Equal(revoked.RevokedAt!.Value.UtcDateTime, status.RevocationTime);
        Assert.Equal(code is not null, status.HasRevocationReason);
        if (code is not null)
        {
            Assert.Equal(code, status.RevocationReason);
        }
    }

    [Fact]
    public void AnswerOcsp_Sha256CertId_GoodWithTheSameCertId()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: true);
        using X509Certificate2 alice = IssueAlice(ca);
        CertificateID id = Id(ca.Issuer, alice, s_sha256);

        using OcspSigningKey key = ca.UnlockOcspKey(CaPassword);
        BasicOcspResp basic = Basic(ca.AnswerOcsp(Request(id, null), key));

        SingleResp single = Assert.Single(basic.Responses);
        Assert.Equal(NistObjectIdentifiers.IdSha256.Id, single.GetCertID().HashAlgOid);
        Assert.Equal(id, single.GetCertID());
        Assert.Null(single.GetCertStatus());
        Assert.Null(basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce));
    }

    [Fact]
    public void AnswerOcsp_NeverIssuedSerialAndOtherIssuers_EachUnknown()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: true);
        using X509Certificate2 alice = IssueAlice(ca);
        using var otherPki = new TestPki("CN=Other Root");
        var serial = new BcBigInteger(1, alice.SerialNumberBytes.ToArray());
        CertificateID[] ids =
        [
            new CertificateID(CertificateID.DigestSha1, Bc(ca.Issuer), BcBigInteger.ValueOf(4711)),
            new CertificateID(CertificateID.DigestSha1, Bc(ca.Root), serial),
            new CertificateID(CertificateID.DigestSha1, Bc(otherPki.Root), serial),
        ];

        using OcspSigningKey key = ca.UnlockOcspKey(CaPassword);
        BasicOcspResp basic = Basic(ca.AnswerOcsp(Request(ids, null), key));

        Assert.Equal(ids, basic.Responses.Select(r => r.GetCertID()));
        Assert.All(basic.Responses, r => Assert.IsType<UnknownStatus>(r.GetCertStatus()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("3000")]
    [InlineData("300a")]
    [InlineData("3003020101")]
    [InlineData("04020000")]
    public void AnswerOcsp_NotAnOcspRequest_MalformedRequest(string hex)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: false);
        using OcspSigningKey key = ca.UnlockOcspKey(CaPassword);

        Assert.Equal(s_malformedRequest, ca.AnswerOcsp(Convert.FromHexString(hex), key));
    }

    [Fact]
    public void AnswerOcsp_TrailingByteTooLongOrTooManyIds_MalformedRequest()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: false);
        using X509Certificate2 alice = IssueAlice(ca);
        byte[] good = Request(ca.Issuer, alice, null);
        CertificateID id = Id(ca.Issuer, alice, CertificateID.DigestSha1);
        CertificateID[] many = Enumerable.Repeat(id, CertificateAuthority.MaxOcspRequestCount + 1)
            .ToArray();
        using OcspSigningKey key = ca.UnlockOcspKey(CaPassword);

        Assert.Equal(s_malformedRequest, ca.AnswerOcsp([.. good, 0x00], key));
        Assert.Equal(s_malformedRequest,
            ca.AnswerOcsp(new byte[CertificateAuthority.MaxOcspRequestLength + 1], key));
        Assert.Equal(s_malformedRequest, ca.AnswerOcsp(Request(many, null), key));
        Assert.Equal(CertificateAuthority.MaxOcspRequestCount,
            Basic(ca.AnswerOcsp(Request(many[1..], null), key)).Responses.Length);
    }

    [Fact]
    public void UnlockOcspKey_WrongPassphrase_StoreExceptionNamesTheKey()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: false);

        var e = Assert.Throws<CertificateStoreException>(() => ca.UnlockOcspKey("wrong"));

        Assert.Equal("The passphrase does not open the private key of 'CN=Test Root, O=Test'.",
            e.Message);
    }

    [Fact]
    public void AnswerOcsp_KeyDisposed_ObjectDisposed()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: false);
        using X509Certificate2 alice = IssueAlice(ca);
        OcspSigningKey key = ca.UnlockOcspKey(CaPassword);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(
            () => ca.AnswerOcsp(Request(ca.Issuer, alice, null), key));
    }

    [Fact]
    public void Issue_WithOcspUrl_AiaOcspUriNotCriticalAndLintClean()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: true);

        using X509Certificate2 alice = IssueAlice(ca);

        X509AuthorityInformationAccessExtension aia =
            alice.Extensions.OfType<X509AuthorityInformationAccessExtension>().Single();
        Assert.False(aia.Critical);
        Assert.Equal([OcspUrl], aia.EnumerateOcspUris());
        Assert.Empty(aia.EnumerateCAIssuersUris());
        Assert.Equal([OcspUrl], RevocationChecker.OcspResponders(alice));
        Assert.Equal(OcspUrl, ca.Record.OcspUrl);
        Assert.Empty(CertificateLinter.Lint(alice));
    }

    [Fact]
    public void Issue_WithoutOcspUrl_NoAia()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, KeyType.P256, intermediate: false, ocspUrl: null);

        using X509Certificate2 alice = IssueAlice(ca);

        Assert.Empty(alice.Extensions.OfType<X509AuthorityInformationAccessExtension>());
        Assert.Null(ca.Record.OcspUrl);
    }

    [Theory]
    [InlineData("ldap://ocsp.example/")]
    [InlineData("https://ocsp.example/")]
    [InlineData("ocsp.example")]
    public void Initialize_OcspUrlNotHttp_RefusedNoCa(string url)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);

        var e = Assert.Throws<AuthorityException>(
            () => Init(store, KeyType.P256, intermediate: false, ocspUrl: url));

        Assert.Equal($"The OCSP URL '{url}' is not an absolute http URL.", e.Message);
        Assert.Null(store.GetAuthority());
    }

    [Fact]
    public void OcspSigningKey_Ed25519Key_SignsAResponseItsCertificateVerifies()
    {
        using CertificateKey ed = Ed25519TestCertificates.Issue(TestPki.Shared, Address);
        using OcspSigningKey key = OcspSigningKey.Create(
            ed.Pkcs8PrivateKey, ed.Certificate.RawData, "ed25519");
        BcCertificate certificate = Bc(ed.Certificate);
        var generator = new BasicOcspRespGenerator(certificate.GetPublicKey());
        generator.AddResponse(new CertificateID(CertificateID.DigestSha1, certificate,
            BcBigInteger.One), CertificateStatus.Good);

        BasicOcspResp basic = generator.Generate(key.SignatureFactory, null, DateTime.UtcNow);

        Assert.Equal("1.3.101.112", basic.SignatureAlgorithm.Algorithm.Id);
        Assert.True(basic.Verify(certificate.GetPublicKey()));
    }

    private static CertificateStore OpenStore(TempDir dir) =>
        CertificateStore.Open(dir.File("store"), pbkdf2Iterations: 1000);

    private static CertificateAuthority Init(
        CertificateStore store,
        KeyType type,
        bool intermediate,
        string? ocspUrl = OcspUrl) =>
        CertificateAuthority.Initialize(store, new CertificateAuthorityOptions
        {
            Name = "CN=Test Root, O=Test",
            KeyType = type,
            Intermediate = intermediate,
            CrlUrl = CrlUrl,
            OcspUrl = ocspUrl,
        }, CaPassword);

    private static X509Certificate2 IssueAlice(CertificateAuthority ca)
    {
        using RSA key = RSA.Create(2048);
        return ca.Issue(SigningRequests.Create(key, Address),
            new IssueOptions { Profile = SmimeProfiles.Parse("mailbox-strict") }, CaPassword);
    }

    private static BcCertificate Bc(X509Certificate2 certificate) =>
        new BcCertificateParser().ReadCertificate(certificate.RawData);

    private static CertificateID Id(
        X509Certificate2 issuer,
        X509Certificate2 leaf,
        AlgorithmIdentifier hash) =>
        new(hash, Bc(issuer), new BcBigInteger(1, leaf.SerialNumberBytes.ToArray()));

    private static byte[] Request(X509Certificate2 issuer, X509Certificate2 leaf, byte[]? nonce) =>
        Request([Id(issuer, leaf, CertificateID.DigestSha1)], nonce);

    private static byte[] Request(CertificateID id, byte[]? nonce) => Request([id], nonce);

    private static byte[] Request(CertificateID[] ids, byte[]? nonce)
    {
        var generator = new OcspReqGenerator();
        foreach (CertificateID id in ids)
        {
            generator.AddRequest(id);
        }

        if (nonce is not null)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false,
                new DerOctetString(nonce));
            generator.SetRequestExtensions(extensions.Generate());
        }

        return generator.Generate().GetEncoded();
    }

    private static BasicOcspResp Basic(byte[] der)
    {
        var response = new OcspResp(der);
        Assert.Equal(OcspRespStatus.Successful, response.Status);
        return Assert.IsType<BasicOcspResp>(response.GetResponseObject());
    }
}
