using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

public sealed class CertificateAddressesTests
{
    [Fact]
    public void Get_SubjectAltName_ReturnsRfc822Name()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");

        IReadOnlyList<string> addresses = CertificateAddresses.Get(cert);

        Assert.Equal(["alice@example.com"], addresses);
    }

    [Fact]
    public void Get_SubjectEmailOnly_ReturnsEmailAddressAttribute()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue(
            "bob@example.org", withSubjectAltName: false);

        IReadOnlyList<string> addresses = CertificateAddresses.Get(cert);

        Assert.Equal(["bob@example.org"], addresses);
    }

    [Fact]
    public void Get_NoAddressAtAll_ReturnsEmpty()
    {
        using X509Certificate2 root = X509CertificateLoader.LoadCertificate(
            TestPki.Shared.Root.RawData);

        Assert.Empty(CertificateAddresses.Get(root));
    }

    [Theory]
    [InlineData("alice@example.com", "alice@EXAMPLE.COM", true)]
    [InlineData("alice@Example.Com", "alice@example.com", true)]
    [InlineData("Alice@example.com", "alice@example.com", false)]
    [InlineData("alice@example.com", "alice@example.org", false)]
    [InlineData("alice@example.com", "alice", false)]
    public void AddressEquals_DomainCaseOnly_Matches(string a, string b, bool expected)
    {
        Assert.Equal(expected, CertificateAddresses.AddressEquals(a, b));
    }
}
