using System.Text;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>The store across separate `smime` processes: import in one run, use in the next.</summary>
public sealed class CertsCommandTests
{
    [Fact]
    public void Import_Pkcs12InOneProcess_ListAndSignFromInTheNext()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");

        Peer.Result import = CliRunner.RunExecutable(dir.Path, null, "certs", "import",
            "alice.p12", "root.pem", "--password", Files.Password, "--store", store);
        Peer.Result trust = CliRunner.RunExecutable(dir.Path, null, "certs", "trust",
            "alice@example.com", "--store", store);
        Peer.Result list = CliRunner.RunExecutable(dir.Path, null, "certs", "list",
            "--store", store);
        Peer.Result sign = CliRunner.RunExecutable(dir.Path, null, "sign", "message.eml",
            "-o", "signed.eml", "--from", "alice@example.com", "--password", Files.Password,
            "--store", store);

        Assert.Equal(0, import.ExitCode);
        Assert.Contains("CN=alice@example.com (with private key)", import.StdOut);
        Assert.Equal(0, trust.ExitCode);
        Assert.Equal(0, list.ExitCode);
        string aliceRow = list.StdOut.Split('\n').Single(l => l.Contains("alice@example.com "));
        Assert.Contains("RSA 2048+priv", aliceRow);
        Assert.Contains("sign,encrypt,email", aliceRow);
        Assert.EndsWith("anchor", aliceRow.TrimEnd());
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
            "-out", "content.eml");
    }

    [Fact]
    public void Sign_FromWithWrongPassword_ExitTwoNothingWritten()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("alice.p12"), "--password", Files.Password,
            "--store", store);

        CliRunner.Result sign = CliRunner.Run("sign", dir.File("message.eml"), "-o",
            dir.File("signed.eml"), "--password", "wrong", "--store", store);

        Assert.Equal(2, sign.ExitCode);
        Assert.Equal("smime: The passphrase does not open the private key of "
            + "'CN=alice@example.com'.", sign.StdErr.Trim());
        Assert.False(File.Exists(dir.File("signed.eml")));
    }

    [Fact]
    public void Encrypt_RecipientsFromHeaders_OpenSslDecryptsAndMissingNamed()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        Files.WriteUser(dir, "bob");
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("bob.crt"),
            dir.File("alice.crt"), "--store", store).ExitCode);

        CliRunner.Result ok = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--store", store);
        File.WriteAllText(dir.File("cc.eml"), Files.Message.Replace(
            "To: Bob <bob@example.com>\r\n", "To: Bob <bob@example.com>\r\nCc: carol@example.com\r\n"));
        CliRunner.Result missing = CliRunner.Run("encrypt", dir.File("cc.eml"),
            "-o", dir.File("enc2.eml"), "--store", store);

        Assert.True(ok.ExitCode == 0, ok.StdErr);
        foreach (string user in new[] { "bob", "alice" })
        {
            Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", user + ".crt",
                "-inkey", user + ".key", "-out", user + ".eml");
            Assert.Contains("this is a test.", File.ReadAllText(dir.File(user + ".eml")));
        }

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("smime: no usable certificate for: carol@example.com; nothing was written "
            + "(--skip-missing leaves them out).\nsmime: carol@example.com: The store has no "
            + "certificate for carol@example.com.", missing.StdErr.Trim());
        Assert.False(File.Exists(dir.File("enc2.eml")));
    }

    [Fact]
    public void Verify_StoreAnchors_ValidAndSignerHarvested()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "message.eml", "-signer", "alice.crt",
            "-inkey", "alice.key", "-out", "signed.eml");
        File.WriteAllText(dir.File("mail.eml"), "From: Alice <alice@example.com>\r\n"
            + File.ReadAllText(dir.File("signed.eml")));

        CliRunner.Result verify = CliRunner.Run("verify", dir.File("mail.eml"), "--store", store);
        File.WriteAllText(dir.File("both.eml"), Files.Message.Replace(
            "To: Bob <bob@example.com>", "To: Bob <bob@example.com>, alice@example.com"));
        CliRunner.Result encrypt = CliRunner.Run("encrypt", dir.File("both.eml"),
            "-o", dir.File("enc.eml"), "--store", store, "--skip-missing");

        Assert.True(verify.ExitCode == 0, verify.StdErr + verify.StdOut);
        Assert.Contains("alice@example.com", CliRunner.Run("certs", "list", "--store", store).StdOut);

        // alice's certificate came from the message; bob is unknown and left out.
        Assert.Equal(0, encrypt.ExitCode);
        Assert.Equal("smime: warning: left out bob@example.com, no usable certificate: The "
            + "store has no certificate for bob@example.com.", encrypt.StdErr.Trim());
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", "alice.crt",
            "-inkey", "alice.key", "-out", "plain.eml");
    }

    [Fact]
    public void Harvest_Mbox_PrintsWhatItFound()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "message.eml", "-signer", "alice.crt",
            "-inkey", "alice.key", "-out", "signed.eml");
        File.WriteAllText(dir.File("inbox.mbox"), "From alice@example.com Thu Dec  3 12:00:00 2026\n"
            + "From: Alice <alice@example.com>\n" + File.ReadAllText(dir.File("signed.eml"))
            + "\nFrom bob@example.com Thu Dec  3 12:00:00 2026\n" + Files.Message + "\n");

        CliRunner.Result harvest = CliRunner.Run("certs", "harvest", dir.File("inbox.mbox"),
            "--store", store);

        Assert.Equal(0, harvest.ExitCode);
        string[] lines = harvest.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("harvest: 2 message(s) read, 1 signed, 1 valid, 1 certificate(s) new, "
            + "1 sender(s) updated.", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain("\r", harvest.StdErr);
        Assert.Contains("CN=alice@example.com", harvest.StdOut);
        Assert.Contains("capabilities updated for alice@example.com", harvest.StdOut);
    }

    [Fact]
    public void Export_P12AndP7c_ReadByOpenSsl()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("alice.p12"), "--password", Files.Password,
            "--store", store);

        CliRunner.Result p12 = CliRunner.Run("certs", "export", "alice@example.com", "--format",
            "p12", "--password", Files.Password, "--export-password", "exportpw",
            "-o", dir.File("out.p12"), "--store", store);
        CliRunner.Result p7c = CliRunner.Run("certs", "export", "alice@example.com", "--format",
            "p7c", "-o", dir.File("out.p7c"), "--store", store);

        Assert.Equal(0, p12.ExitCode);
        Assert.Equal(0, p7c.ExitCode);
        Peer.Result info = Peer.OpenSsl(dir.Path, "pkcs12", "-info", "-in", "out.p12",
            "-passin", "pass:exportpw", "-noout");
        Assert.Contains("AES-256-CBC", info.StdErr);
        Peer.OpenSsl(dir.Path, "pkcs7", "-inform", "DER", "-in", "out.p7c", "-print_certs");
    }

    [Fact]
    public void AnyVerb_CorruptStore_ExitTwoClearMessageFileKept()
    {
        using var dir = new TempDir();
        string store = dir.File("store");
        Directory.CreateDirectory(store);
        string file = Path.Combine(store, "store.db");
        byte[] garbage = Encoding.ASCII.GetBytes(new string('z', 4096));
        File.WriteAllBytes(file, garbage);

        CliRunner.Result list = CliRunner.Run("certs", "list", "--store", store);

        Assert.Equal(2, list.ExitCode);
        Assert.StartsWith($"smime: The certificate store '{file}' cannot be read:", list.StdErr);
        Assert.Single(list.StdErr.Trim().Split('\n'));
        Assert.Equal(garbage, File.ReadAllBytes(file));
    }

    [Fact]
    public void Import_WrongPkcs12Password_ExitTwoStoreUnchanged()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");

        CliRunner.Result import = CliRunner.Run("certs", "import", dir.File("alice.p12"),
            "--password", "nope", "--store", store);

        Assert.Equal(2, import.ExitCode);
        Assert.Equal($"smime: The passphrase does not open the PKCS#12 {dir.File("alice.p12")}.",
            import.StdErr.Trim());
        Assert.Contains("is empty", CliRunner.Run("certs", "list", "--store", store).StdErr);
    }
}
