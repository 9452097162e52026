using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>A signer's path is validated at the signingTime it claims and now.</summary>
public sealed class VerdictSigningTimeTests
{
    private static byte[] SignAt(X509Certificate2 signer, DateTimeOffset signingTime)
    {
        using var output = new MemoryStream();
        SmimeWriter.Sign(new MemoryStream(TextMessage()), output, new SignOptions
        {
            Signers = [new CmsSigner(signer) { SigningTime = signingTime }],
        });
        return output.ToArray();
    }

    [Fact]
    public void Read_ExpiredNowSignedWhileValid_UntrustedExpiredSayingValidWhenSigned()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 old = TestPki.Shared.Issue(
            "alice@example.com", notBefore: now.AddDays(-1.5), notAfter: now.AddHours(-1));
        DateTimeOffset signed = now.AddHours(-4);

        Verdict verdict = Read(SignAt(old, signed)).Verdict;

        SignerResult signer = Assert.Single(verdict.Signers);
        Assert.Equal(VerdictOutcome.Untrusted, verdict.Outcome);
        Assert.Equal(ChainOutcome.Expired, signer.Chain.Outcome);
        Assert.True(signer.SignatureValid);
        Assert.Contains(
            $"It was valid at the signing time {signed.UtcDateTime:u}", verdict.Reason);
    }

    [Fact]
    public void Read_SignedBeforeNotBefore_UntrustedNotYetValidAtSigningTime()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 fresh = TestPki.Shared.Issue(
            "alice@example.com", notBefore: now.AddHours(-1), notAfter: now.AddYears(1));
        DateTimeOffset signed = now.AddHours(-3);

        Verdict verdict = Read(SignAt(fresh, signed)).Verdict;

        Assert.Equal(VerdictOutcome.Untrusted, verdict.Outcome);
        Assert.Equal(ChainOutcome.NotYetValid, Assert.Single(verdict.Signers).Chain.Outcome);
        Assert.Contains($"At the signing time {signed.UtcDateTime:u}: The certificate "
            + "'CN=alice@example.com' is not valid before ", verdict.Reason);
    }

    [Fact]
    public void Read_SignedWhileValidStillValid_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        DateTimeOffset signed = DateTimeOffset.UtcNow.AddHours(-2);

        Verdict verdict = Read(SignAt(alice, signed)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
        Assert.EndsWith($"The path is valid at the signing time {signed.UtcDateTime:u} and now.",
            Assert.Single(verdict.Signers).Chain.Reason);
    }
}
