using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class SignCommandTests
{
    [Fact]
    public void Sign_Pkcs12ClearSigned_OpenSslVerifies()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");

        CliRunner.Result result = CliRunner.Run("sign", dir.File("message.eml"),
            "-o", dir.File("signed.eml"), "--cert", alice.P12, "--password", Files.Password);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Empty(result.StdOutBytes);
        Assert.Contains("multipart/signed", File.ReadAllText(dir.File("signed.eml")));
        Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
            "-out", "content.eml");
        Assert.Contains("Hello Bob,\r\nthis is a test.", File.ReadAllText(dir.File("content.eml")));
    }

    [Fact]
    public void Sign_PemKeyOpaqueSha512Pss_OpenSslVerifies()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");

        CliRunner.Result result = CliRunner.Run("sign", dir.File("message.eml"),
            "-o", dir.File("signed.eml"), "--cert", alice.Crt, "--key", alice.Key,
            "--opaque", "--digest", "sha512", "--pss");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("application/pkcs7-mime", File.ReadAllText(dir.File("signed.eml")));
        Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
            "-out", "content.eml");
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("content.eml")));
        string dump = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-noout",
            "-in", "signed.eml").StdOut;
        Assert.Contains("rsassaPss", dump);
        Assert.Contains("sha512", dump);
    }

    [Fact]
    public void Sign_EncryptionCertificate_AnnouncedInEncryptionKeyPreference()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Files.User aliceEc = Files.WriteUser(dir, "alice-ec", TestKeyType.EcP256);

        CliRunner.Result with = CliRunner.Run("sign", dir.File("message.eml"),
            "-o", dir.File("with.eml"), "--cert", alice.Crt, "--key", alice.Key, "--opaque",
            "--encryption-cert", aliceEc.Crt);
        CliRunner.Result without = CliRunner.Run("sign", dir.File("message.eml"),
            "-o", dir.File("without.eml"), "--cert", alice.Crt, "--key", alice.Key, "--opaque");

        Assert.Equal(0, with.ExitCode);
        Assert.Equal(0, without.ExitCode);
        string printed = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-noout",
            "-in", "with.eml").StdOut;
        Assert.Contains("id-smime-aa-encrypKeyPref", printed);
        Assert.Contains(aliceEc.Certificate.SerialNumber.TrimStart('0').ToLowerInvariant()[..8],
            printed.Replace(":", "").ToLowerInvariant());
        Assert.DoesNotContain("id-smime-aa-encrypKeyPref", Peer.OpenSsl(dir.Path, "cms",
            "-cmsout", "-print", "-noout", "-in", "without.eml").StdOut);
    }

    [Fact]
    public void Sign_EcKeyFromStdinToStdout_OpenSslVerifies()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User carol = Files.WriteUser(dir, "carol", TestKeyType.EcP256);

        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message),
            "sign", "--cert", carol.Crt, "--key", carol.Key);

        Assert.Equal(0, result.ExitCode);
        File.WriteAllBytes(dir.File("signed.eml"), result.StdOutBytes);
        Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
            "-out", "content.eml");
    }

    [Fact]
    public void Sign_PasswordFile_ReadsTheFirstLine()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        File.WriteAllText(dir.File("pw.txt"), Files.Password + "\nnot this\n");

        CliRunner.Result result = CliRunner.Run("sign", dir.File("message.eml"),
            "-o", dir.File("signed.eml"), "--cert", alice.P12, "--password-file", dir.File("pw.txt"));

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(dir.File("signed.eml")));
    }
}
