using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Authority;

public sealed class CertificateAuthorityRootCrlTests
{
    private const string CaPassword = "ca-secret";
    private const string CrlDistributionPointsOid = "2.5.29.31";

    [Theory]
    [InlineData("http://127.0.0.1:8080/ca.crl", "http://127.0.0.1:8080/root.crl", "/root.crl")]
    [InlineData("http://example.test/pki/crl/issuing.crl?v=2",
        "http://example.test/pki/crl/root.crl", "/pki/crl/root.crl")]
    [InlineData("http://example.test", "http://example.test/root.crl", "/root.crl")]
    public void RootCrlUrl_Intermediate_RootCrlBesideTheCrlUrl(
        string crlUrl, string rootUrl, string rootPath)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);

        CertificateAuthority ca = Init(store, intermediate: true, crlUrl);

        Assert.True(ca.HasIntermediate);
        Assert.Equal(rootUrl, ca.RootCrlUrl);
        Assert.Equal(rootPath, ca.RootCrlPath);
        Assert.Equal(crlUrl, ca.Record.CrlUrl);
        Assert.Equal([rootUrl], DistributionPoints(ca.Issuer));
        Assert.Null(ca.Root.Extensions[CrlDistributionPointsOid]);
    }

    [Fact]
    public void RootCrlUrl_IntermediateWithoutCrlUrl_NoneButServedAtRootCrl()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);

        CertificateAuthority ca = Init(store, intermediate: true, crlUrl: null);

        Assert.Null(ca.RootCrlUrl);
        Assert.Equal("/root.crl", ca.RootCrlPath);
        Assert.Null(ca.Issuer.Extensions[CrlDistributionPointsOid]);
    }

    [Fact]
    public void CreateRootCrl_RootOnly_RefusedNothingCached()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: false, "http://127.0.0.1:9/ca.crl");

        var e = Assert.Throws<AuthorityException>(() => ca.CreateRootCrl(CaPassword));

        Assert.StartsWith("This CA has no intermediate", e.Message);
        Assert.False(ca.HasIntermediate);
        Assert.Null(ca.RootCrlUrl);
        Assert.Null(ca.RootCrlPath);
        Assert.Null(ca.LatestRootCrl());
        Assert.Null(ca.LatestCrl());
        Assert.Null(ca.Issuer.Extensions[CrlDistributionPointsOid]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(CertificateAuthority.MaxRootCrlDays + 1)]
    public void CreateRootCrl_DaysOutOfRange_Refused(int days)
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: true, "http://127.0.0.1:9/ca.crl");

        Assert.Throws<AuthorityException>(() => ca.CreateRootCrl(CaPassword, days));
        Assert.Null(ca.LatestRootCrl());
    }

    [Fact]
    public void CreateRootCrl_Intermediate_SignedByRootCachedApartFromIssuers()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = Init(store, intermediate: true, "http://127.0.0.1:9/ca.crl");

        byte[] issuing = ca.CreateCrl(CaPassword);
        byte[] root = ca.CreateRootCrl(CaPassword, CertificateAuthority.MaxRootCrlDays);

        Assert.Equal(root, ca.LatestRootCrl());
        Assert.Equal(issuing, ca.LatestCrl());
        var decoded = CertificateRevocationList.Decode(root);
        Assert.Equal(ca.Root.SubjectName.Name, decoded.Issuer.Name);
        Assert.True(decoded.IsSignedBy(ca.Root, out string? failure), failure);
        Assert.False(decoded.IsSignedBy(ca.Issuer, out _));
        Assert.Equal(TimeSpan.FromDays(365), decoded.NextUpdate!.Value - decoded.ThisUpdate);
        Assert.Equal(0, decoded.RevokedCount);
    }

    [Fact]
    public void Initialize_IntermediateCrlUrlNamedRootCrl_RefusedNoCa()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);

        var e = Assert.Throws<AuthorityException>(
            () => Init(store, intermediate: true, "http://127.0.0.1:9/root.crl"));

        Assert.Contains("names the file root.crl", e.Message);
        Assert.Null(store.GetAuthority());
    }

    [Fact]
    public void Initialize_RootOnlyCrlUrlNamedRootCrl_Accepted()
    {
        using var dir = new TempDir();
        using CertificateStore store = OpenStore(dir);

        CertificateAuthority ca = Init(store, intermediate: false, "http://127.0.0.1:9/root.crl");

        Assert.Equal("http://127.0.0.1:9/root.crl", ca.Record.CrlUrl);
    }

    [Fact]
    public void Lint_IntermediateWithAndWithoutDistributionPoint_WarnsOnlyWithout()
    {
        using var dir = new TempDir();
        using CertificateStore with = OpenStore(dir, "with");
        using CertificateStore without = OpenStore(dir, "without");
        CertificateAuthority named = Init(with, intermediate: true, "http://127.0.0.1:9/ca.crl");
        CertificateAuthority bare = Init(without, intermediate: true, crlUrl: null);

        Assert.Equal(["certificate-is-ca"], RuleIds(named.Issuer));
        Assert.Equal(["sub-ca-crl-distribution-points-missing", "certificate-is-ca"],
            RuleIds(bare.Issuer));
        Assert.Equal(["certificate-is-ca"], RuleIds(bare.Root));
    }

    private static string[] RuleIds(X509Certificate2 certificate) =>
        [.. CertificateLinter.Lint(certificate).Select(f => f.RuleId)];

    // RFC 5280 §4.2.1.13: the uniformResourceIdentifier fullNames of each DistributionPoint.
    private static string[] DistributionPoints(X509Certificate2 certificate)
    {
        X509Extension extension = certificate.Extensions[CrlDistributionPointsOid]
            ?? throw new InvalidOperationException("no cRLDistributionPoints");
        Assert.False(extension.Critical);
        var uris = new List<string>();
        AsnReader points = new AsnReader(extension.RawData, AsnEncodingRules.DER)
            .ReadSequence();
        while (points.HasData)
        {
            AsnReader point = points.ReadSequence();
            AsnReader name = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            AsnReader fullName = name.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            while (fullName.HasData)
            {
                uris.Add(fullName.ReadCharacterString(UniversalTagNumber.IA5String,
                    new Asn1Tag(TagClass.ContextSpecific, 6)));
            }
        }

        return [.. uris];
    }

    [Fact]
    public void Revoke_IntermediateOfACaMadeBeforeItWasRecorded_RecordedThenRevokedOnRootCrl()
    {
        using var dir = new TempDir();
        string serial;
        using (CertificateStore made = OpenStore(dir))
        {
            serial = Init(made, intermediate: true, "http://127.0.0.1:9/ca.crl").Issuer
                .SerialNumber;
        }

        // As a store made before 'ca init' recorded the intermediate among the issued serials.
        using (Microsoft.Data.Sqlite.SqliteConnection connection = StoreDatabase.Connect(dir))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM ca_issued;";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        using CertificateStore store = OpenStore(dir);
        CertificateAuthority ca = CertificateAuthority.Open(store);
        Assert.Empty(ca.List());

        IssuedCertificate revoked = ca.Revoke(serial,
            System.Security.Cryptography.X509Certificates.X509RevocationReason.KeyCompromise);
        CertificateRevocationList crl =
            CertificateRevocationList.Decode(ca.CreateRootCrl(CaPassword));

        Assert.Equal(IssuedCertificateState.Revoked, revoked.State);
        Assert.Equal(CertificateStore.IntermediateProfile, revoked.Profile);
        Assert.Equal(ca.Record.RootThumbprint, revoked.IssuerThumbprint);
        Assert.True(crl.IsRevoked(Convert.FromHexString(serial)));
    }

    private static CertificateStore OpenStore(TempDir dir, string name = "store") =>
        CertificateStore.Open(dir.File(name), pbkdf2Iterations: 1000);

    private static CertificateAuthority Init(
        CertificateStore store, bool intermediate, string? crlUrl) =>
        CertificateAuthority.Initialize(store, new CertificateAuthorityOptions
        {
            Name = "CN=Test Root, O=Test",
            KeyType = KeyType.P256,
            Years = 10,
            Intermediate = intermediate,
            CrlUrl = crlUrl,
        }, CaPassword);
}
