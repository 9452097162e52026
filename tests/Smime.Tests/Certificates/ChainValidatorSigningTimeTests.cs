using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>RFC 8550 path validation at the signer's signingTime and now.</summary>
public sealed class ChainValidatorSigningTimeTests
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;

    private static X509Certificate2Collection Anchors => [TestPki.Shared.Root];

    private static ChainResult Validate(X509Certificate2 cert, DateTimeOffset? signingTime) =>
        ChainValidator.Validate(cert, Anchors, [], new ChainValidationOptions
        {
            At = s_now,
            SigningTime = signingTime,
        });

    [Fact]
    public void Validate_ExpiredNowValidAtSigningTime_ExpiredSayingValidWhenSigned()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("old@example.com",
            notBefore: s_now.AddDays(-1.5), notAfter: s_now.AddHours(-1));
        DateTimeOffset signed = s_now.AddHours(-5);

        ChainResult result = Validate(cert, signed);

        Assert.Equal(ChainOutcome.Expired, result.Outcome);
        Assert.StartsWith("The certificate 'CN=old@example.com' expired on ", result.Reason);
        Assert.EndsWith(
            $" It was valid at the signing time {signed.UtcDateTime:u}, but a signingTime is "
            + "only the signer's claim.",
            result.Reason);
    }

    [Fact]
    public void Validate_ExpiredAtSigningTime_ExpiredAtTheSigningTime()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("old@example.com",
            notBefore: s_now.AddDays(-1.5), notAfter: s_now.AddDays(-1));
        DateTimeOffset signed = s_now.AddHours(-12);

        ChainResult result = Validate(cert, signed);

        Assert.Equal(ChainOutcome.Expired, result.Outcome);
        Assert.StartsWith(
            $"At the signing time {signed.UtcDateTime:u}: The certificate "
            + "'CN=old@example.com' expired on ",
            result.Reason);
    }

    [Fact]
    public void Validate_NotYetValidAtSigningTime_NotYetValidThoughValidNow()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("new@example.com",
            notBefore: s_now.AddHours(-2), notAfter: s_now.AddYears(1));
        DateTimeOffset signed = s_now.AddHours(-6);

        ChainResult plain = Validate(cert, signingTime: null);
        ChainResult result = Validate(cert, signed);

        Assert.Equal(ChainOutcome.Trusted, plain.Outcome);
        Assert.Equal(ChainOutcome.NotYetValid, result.Outcome);
        Assert.StartsWith(
            $"At the signing time {signed.UtcDateTime:u}: The certificate "
            + "'CN=new@example.com' is not valid before ",
            result.Reason);
    }

    [Fact]
    public void Validate_ValidAtSigningTimeAndNow_TrustedNamingBoth()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");
        DateTimeOffset signed = s_now.AddHours(-3);

        ChainResult result = Validate(cert, signed);

        Assert.Equal(ChainOutcome.Trusted, result.Outcome);
        Assert.Equal(
            "The certificate 'CN=alice@example.com' chains to the trust anchor "
            + $"'{TestPki.Shared.Root.Subject}'. The path is valid at the signing time "
            + $"{signed.UtcDateTime:u} and now.",
            result.Reason);
    }

    [Fact]
    public void Validate_SigningTimeInTheFuture_ValidatedOnlyNow()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com",
            notBefore: s_now.AddDays(-1), notAfter: s_now.AddDays(1));
        DateTimeOffset signed = s_now.AddDays(3);

        ChainResult result = Validate(cert, signed);

        Assert.Equal(ChainOutcome.Trusted, result.Outcome);
        Assert.EndsWith(
            $" The signingTime {signed.UtcDateTime:u} is in the future, so the path was "
            + $"validated only at {s_now.UtcDateTime:u}.",
            result.Reason);
    }

    [Fact]
    public void Validate_NoSigningTime_ReasonUnchanged()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");

        ChainResult result = Validate(cert, signingTime: null);

        Assert.Equal(
            "The certificate 'CN=alice@example.com' chains to the trust anchor "
            + $"'{TestPki.Shared.Root.Subject}'.",
            result.Reason);
    }
}
