using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class EncryptCommandTests
{
    [Fact]
    public void Encrypt_ToBobWithSender_BothOpenItWithOpenSsl()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        Files.WriteUser(dir, "bob");

        CliRunner.Result result = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--to", dir.File("bob.crt"), "--cert", dir.File("alice.crt"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
        string dump = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-noout",
            "-in", "enc.eml").StdOut;
        Assert.Contains("id-smime-ct-authEnvelopedData", dump);
        Assert.Contains("aes-256-gcm", dump);
        foreach (string user in new[] { "bob", "alice" })
        {
            Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", user + ".crt",
                "-inkey", user + ".key", "-out", user + ".eml");
            Assert.Contains("this is a test.", File.ReadAllText(dir.File(user + ".eml")));
        }
    }

    [Fact]
    public void Encrypt_CbcWithOaep_OpenSslDecrypts()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "bob");

        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message), "encrypt",
            "--to", dir.File("bob.crt"), "--cipher", "aes128-cbc", "--oaep");

        Assert.Equal(0, result.ExitCode);
        File.WriteAllBytes(dir.File("enc.eml"), result.StdOutBytes);
        string dump = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-noout",
            "-in", "enc.eml").StdOut;
        Assert.Contains("aes-128-cbc", dump);
        Assert.Contains("rsaesOaep", dump);
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", "bob.crt",
            "-inkey", "bob.key", "-out", "plain.eml");
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("plain.eml")));
    }

    [Fact]
    public void Encrypt_WithoutSenderCertificate_WarnsOnStderr()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "bob");

        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message), "encrypt",
            "--to", dir.File("bob.crt"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("smime: note: no --cert given; you will not be able to read this message.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Encrypt_SignWithoutCertNorStoreIdentity_ExitsTwoNamingTheAddress()
    {
        // Without --cert, --sign looks for the From address's identity in the store, as
        // `smime sign` does.
        using var dir = new TempDir();
        Files.WriteUser(dir, "bob");

        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message), "encrypt",
            "--to", dir.File("bob.crt"), "--sign", "--store", dir.File("store"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: alice@example.com: the store has no valid signing certificate "
            + "with a private key for it.", HelpAndUsageTests.SingleLine(result.StdErr));
    }
}
