using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// Whole messages signed with Ed25519 (RFC 8419) through the Mime layer: micalg=sha-512
/// (RFC 8551 §3.5.3.2) and a valid verdict, clear and opaque.
/// </summary>
public sealed class Ed25519MessageTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sign_Ed25519_ReadsBackValid(bool opaque)
    {
        CertificateKey key = SignedDataEd25519Tests.Key;
        using var output = new MemoryStream();
        SmimeWriter.Sign(
            new MemoryStream(TextMessage("ed25519@example.com")),
            output,
            new SignOptions { Signers = [new CmsSigner(key)], Opaque = opaque });
        byte[] signed = output.ToArray();

        ReadResult result = Read(signed, out byte[] content);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        SignerResult signer = Assert.Single(result.Verdict.Signers);
        Assert.Equal(key.Certificate.Thumbprint, signer.Certificate!.Thumbprint);
        Assert.Equal("Ed25519", signer.SignatureAlgorithm);
        Assert.True(signer.AddressMatches);
        Assert.Contains("Subject: S/MIME test\r\n", Text(content));
        if (!opaque)
        {
            Assert.Contains("micalg=sha-512;", Text(signed));
        }
    }

    [Fact]
    public void Read_Ed25519TamperedBody_Invalid()
    {
        using var output = new MemoryStream();
        SmimeWriter.Sign(
            new MemoryStream(TextMessage("ed25519@example.com")),
            output,
            new SignOptions { Signers = [new CmsSigner(SignedDataEd25519Tests.Key)] });
        string signed = Text(output.ToArray());
        int at = signed.IndexOf("H=C3=A4llo", StringComparison.Ordinal);
        Assert.True(at > 0);

        ReadResult result = Read(Bytes(signed.Remove(at, 1).Insert(at, "J")));

        Assert.NotEqual(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.False(Assert.Single(result.Verdict.Signers).SignatureValid);
    }
}
