using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>SignedData against GnuPG's gpgsm 2.2, both ways (recipes of PEERS.md).</summary>
public sealed class SignedDataGpgsmTests
{
    private const string Passphrase = GpgsmHome.Passphrase;

    private static readonly byte[] s_content =
        Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\nFor gpgsm.\r\n");

    [Theory]
    [InlineData(TestKeyType.Rsa2048, false)]
    [InlineData(TestKeyType.Rsa2048, true)]
    [InlineData(TestKeyType.EcP256, false)]
    public void CreateDetached_VerifiedByGpgsm(TestKeyType keyType, bool pss)
    {
        using var dir = new TempDir();
        using var home = new GpgsmHome(dir);
        var signer = new CmsSigner(Signer(keyType)) { UsePss = pss };
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        File.WriteAllBytes(dir.File("content.bin"), s_content);
        File.WriteAllBytes(dir.File("sig.p7s"), SignedData.CreateDetached([signer], digests));

        Peer.Result result = home.Run(null, "--verify", "sig.p7s", "content.bin");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("Good signature", result.StdErr);
    }

    [Fact]
    public void CreateDetached_ContentChanged_RefusedByGpgsm()
    {
        using var dir = new TempDir();
        using var home = new GpgsmHome(dir);
        var signer = new CmsSigner(Signer(TestKeyType.Rsa2048));
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        File.WriteAllBytes(dir.File("content.bin"), [.. s_content, (byte)'!']);
        File.WriteAllBytes(dir.File("sig.p7s"), SignedData.CreateDetached([signer], digests));

        Peer.Result result = home.Run(null, "--verify", "sig.p7s", "content.bin");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("message digest attribute does not match", result.StdErr);
    }

    [Fact]
    public void CheckSignature_GpgsmDetachedSignature_Verifies()
    {
        using var dir = new TempDir();
        using var home = new GpgsmHome(dir);
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        home.ImportKey(certificate);
        File.WriteAllBytes(dir.File("content.bin"), s_content);

        Peer.Result result = home.Run(Passphrase + "\n", "--pinentry-mode", "loopback",
            "--passphrase-fd", "0", "--detach-sign", "-u", certificate.GetNameInfo(
                X509NameType.EmailName, false), "-o", "sig.p7s", "content.bin");

        Assert.True(result.ExitCode == 0, result.StdErr);
        SignedData decoded = SignedData.Decode(File.ReadAllBytes(dir.File("sig.p7s")));
        SignerInfo info = Assert.Single(decoded.SignerInfos);
        SignerCheck check = Check(decoded, info, s_content);
        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(certificate.RawData, check.Certificate!.RawData);
        Assert.False(Check(decoded, info, s_content.AsSpan(1)).IsValid);
    }
}
