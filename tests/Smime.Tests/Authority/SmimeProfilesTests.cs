using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Xunit;

namespace Smime.Tests.Authority;

public sealed class SmimeProfilesTests
{
    [Theory]
    [InlineData("mailbox-strict", "2.23.140.1.5.1.3")]
    [InlineData("mailbox-legacy", "2.23.140.1.5.1.1")]
    [InlineData("Organization-Multipurpose", "2.23.140.1.5.2.2")]
    [InlineData("organisation_strict", "2.23.140.1.5.2.3")]
    [InlineData("sponsor-legacy", "2.23.140.1.5.3.1")]
    [InlineData("individual", "2.23.140.1.5.4.3")]
    [InlineData("class1", "2.23.140.1.5.1.3")]
    [InlineData("class 2", "2.23.140.1.5.2.3")]
    [InlineData("class2-sponsor", "2.23.140.1.5.3.3")]
    [InlineData("class2-sponsor-legacy", "2.23.140.1.5.3.1")]
    [InlineData("class3-multipurpose", "2.23.140.1.5.4.2")]
    [InlineData("class4", "2.23.140.1.5.4.3")]
    [InlineData("2.23.140.1.5.4.1", "2.23.140.1.5.4.1")]
    public void Parse_KnownName_GivesProfileWithPolicyOid(string name, string oid)
    {
        Assert.Equal(oid, SmimeProfiles.Parse(name).PolicyOid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("class5")]
    [InlineData("mailbox-loose")]
    [InlineData("mailbox-strict-extra")]
    [InlineData("2.23.140.1.5.5.1")]
    [InlineData("class1-sponsor")]
    public void Parse_UnknownName_ThrowsNamingIt(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => SmimeProfiles.Parse(name));

        Assert.Contains($"'{name}'", error.Message);
    }

    [Fact]
    public void All_TwelveProfiles_DistinctOidsAndValidity()
    {
        Assert.Equal(12, SmimeProfiles.All.Count);
        Assert.Equal(12, SmimeProfiles.All.Select(p => p.PolicyOid).Distinct().Count());
        Assert.All(SmimeProfiles.All, p => Assert.Equal(
            p.Generation == SmimeGeneration.Legacy ? 1185 : 825, p.MaximumValidityDays));
    }

    [Fact]
    public void IsExtendedKeyUsageAllowed_StrictAndMultipurpose_Differ()
    {
        SmimeProfile strict = SmimeProfiles.Parse("mailbox-strict");
        SmimeProfile multi = SmimeProfiles.Parse("mailbox-multipurpose");
        const string ClientAuth = "1.3.6.1.5.5.7.3.2";
        const string ServerAuth = "1.3.6.1.5.5.7.3.1";

        Assert.True(strict.IsExtendedKeyUsageAllowed(SmimeProfiles.EmailProtectionOid));
        Assert.False(strict.IsExtendedKeyUsageAllowed(ClientAuth));
        Assert.True(multi.IsExtendedKeyUsageAllowed(ClientAuth));
        Assert.False(multi.IsExtendedKeyUsageAllowed(ServerAuth));
    }

    [Theory]
    [InlineData(SmimeKeyFamily.Rsa,
        X509KeyUsageFlags.DigitalSignature, SmimeKeyPurpose.SigningOnly)]
    [InlineData(SmimeKeyFamily.Rsa,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
        SmimeKeyPurpose.DualUse)]
    [InlineData(SmimeKeyFamily.EllipticCurve,
        X509KeyUsageFlags.KeyAgreement, SmimeKeyPurpose.KeyManagementOnly)]
    public void FindKeyUsageRule_AllowedCombination_NamesPurpose(
        SmimeKeyFamily family, X509KeyUsageFlags usage, SmimeKeyPurpose purpose)
    {
        SmimeProfile profile = SmimeProfiles.Parse("individual-strict");

        Assert.Equal(purpose, profile.FindKeyUsageRule(family, usage)?.Purpose);
    }

    [Theory]
    [InlineData(SmimeKeyFamily.Rsa, X509KeyUsageFlags.KeyAgreement)]
    [InlineData(SmimeKeyFamily.Rsa,
        X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment)]
    [InlineData(SmimeKeyFamily.EllipticCurve, X509KeyUsageFlags.KeyEncipherment)]
    [InlineData(SmimeKeyFamily.Rsa,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign)]
    public void FindKeyUsageRule_ForbiddenCombination_Null(
        SmimeKeyFamily family, X509KeyUsageFlags usage)
    {
        Assert.Null(SmimeProfiles.Parse("mailbox-strict").FindKeyUsageRule(family, usage));
    }

    [Fact]
    public void SubjectRequirement_PerType_FollowsTable()
    {
        string o = SmimeProfiles.Attributes.OrganizationName;

        Assert.Equal(SmimeRequirement.Forbidden,
            SmimeProfiles.Parse("mailbox-strict").SubjectRequirement(o));
        Assert.Equal(SmimeRequirement.Required,
            SmimeProfiles.Parse("sponsor-strict").SubjectRequirement(o));
        Assert.Equal(SmimeRequirement.Forbidden,
            SmimeProfiles.Parse("individual-strict").SubjectRequirement(o));
        Assert.Equal(SmimeRequirement.Optional,
            SmimeProfiles.Parse("individual-legacy")
                .SubjectRequirement(SmimeProfiles.Attributes.PostalCode));
        Assert.Equal(SmimeRequirement.Forbidden,
            SmimeProfiles.Parse("individual-strict")
                .SubjectRequirement(SmimeProfiles.Attributes.PostalCode));
    }
}
