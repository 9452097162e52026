using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>Certificates that name no distribution point, under default checking.</summary>
public sealed class RevocationNotCheckedTests
{
    [Fact]
    public void Check_NoSourcesWithNotCheckedOption_NotChecked()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");
        using var checker = new RevocationChecker(null,
            new RevocationOptions { NotCheckedWithoutSources = true });

        RevocationCheck check = checker.Check(cert, TestPki.Shared.Root);

        Assert.Equal(RevocationStatus.NotChecked, check.Status);
        Assert.Equal("Revocation of 'CN=alice@example.com' not checked: no distribution point.",
            check.Reason);
    }

    [Fact]
    public void Check_NoSourcesStrict_Unknown()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");
        using var checker = new RevocationChecker(null, new RevocationOptions());

        Assert.Equal(RevocationStatus.Unknown, checker.Check(cert, TestPki.Shared.Root).Status);
    }

    [Fact]
    public void Validate_NoSourcesAnywhere_TrustedSayingNotChecked()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");
        using var checker = new RevocationChecker(null,
            new RevocationOptions { NotCheckedWithoutSources = true });

        ChainResult result = ChainValidator.Validate(cert, [TestPki.Shared.Root], [],
            new ChainValidationOptions { Revocation = checker });

        Assert.Equal(ChainOutcome.Trusted, result.Outcome);
        Assert.Equal("The certificate 'CN=alice@example.com' chains to the trust anchor "
            + $"'{TestPki.Shared.Root.Subject}'; revocation not checked: no distribution point.",
            result.Reason);
    }

    [Fact]
    public void Check_DistributionPointDownWithNotCheckedOption_StillUnknown()
    {
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        X509Certificate2 cert = pki.Issue("alice@example.com", withOcsp: false);
        using var checker = new RevocationChecker(null,
            new RevocationOptions { NotCheckedWithoutSources = true });

        RevocationCheck check = checker.Check(cert, pki.Intermediate);

        Assert.Equal(RevocationStatus.Unknown, check.Status);
    }
}
