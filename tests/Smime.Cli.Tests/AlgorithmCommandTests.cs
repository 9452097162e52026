using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// The S/MIME 4.0 algorithms from the command line, with keys and certificates made by
/// `openssl`: Ed25519 signing (RFC 8419), X25519 (RFC 8418) and ECDH (RFC 5753) recipients,
/// ChaCha20-Poly1305 (RFC 8103) and compressed-data (RFC 3274).
/// </summary>
public sealed class AlgorithmCommandTests
{
    [Fact]
    public void Sign_Ed25519ThenVerify_ExitsZeroWithSha512()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "alice", "ed25519");

        CliRunner.Result signed = CliRunner.Run("sign", dir.File("message.eml"),
            "-o", dir.File("signed.eml"), "--cert", dir.File("alice.crt"),
            "--key", dir.File("alice.key"));
        CliRunner.Result verified = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("ca.crt"), "-o", dir.File("content.eml"));

        Assert.Equal(0, signed.ExitCode);
        Assert.Equal(string.Empty, signed.StdErr);
        Assert.Contains("\tmicalg=sha-512; ", File.ReadAllText(dir.File("signed.eml")));
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("Verdict: Valid", verified.StdOut);
        Assert.Contains("algorithm:  Ed25519", verified.StdOut);
        Assert.EndsWith("Hello Bob,\r\nthis is a test.\r\n",
            File.ReadAllText(dir.File("content.eml")));
    }

    [Fact]
    public void Verify_Ed25519Tampered_ExitsOne()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "alice", "ed25519");
        CliRunner.Run("sign", dir.File("message.eml"), "-o", dir.File("signed.eml"),
            "--cert", dir.File("alice.crt"), "--key", dir.File("alice.key"));
        Files.TamperBody(dir.File("signed.eml"), "this is a test.", "this is a jest.");

        CliRunner.Result result = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("ca.crt"), "-o", dir.File("content.eml"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("signature:  INVALID", result.StdOut, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(dir.File("content.eml")));
    }

    [Fact]
    public void Sign_Ed25519WithSha256_ExitsTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "alice", "ed25519");

        CliRunner.Result result = CliRunner.Run("sign", dir.File("message.eml"),
            "--cert", dir.File("alice.crt"), "--key", dir.File("alice.key"), "--digest", "sha256");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: --digest: an Ed25519 key signs with sha512 (RFC 8419).",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Sign_X25519Key_ExitsTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "bob", "x25519");

        CliRunner.Result result = CliRunner.Run("sign", dir.File("message.eml"),
            "--cert", dir.File("bob.crt"), "--key", dir.File("bob.key"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: --cert: 'CN=bob@example.com' has a key-agreement key "
            + "(1.3.101.110); it can decrypt but not sign.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Encrypt_ToX25519ThenDecrypt_ExitsZero(bool encryptedKey)
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "bob", "x25519", encryptedKey);

        CliRunner.Result encrypted = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--to", dir.File("bob.crt"));
        string[] password = encryptedKey ? ["--password", Files.Password] : [];
        CliRunner.Result decrypted = CliRunner.Run(["decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", dir.File("bob.crt"),
            "--key", dir.File("bob.key"), .. password]);

        Assert.Equal(0, encrypted.ExitCode);
        Assert.Contains("smime-type=authEnveloped-data", File.ReadAllText(dir.File("enc.eml")));
        Assert.Equal(0, decrypted.ExitCode);
        Assert.Equal(string.Empty, decrypted.StdErr);
        Assert.EndsWith("Hello Bob,\r\nthis is a test.\r\n",
            File.ReadAllText(dir.File("plain.eml")));
    }

    [Fact]
    public void Decrypt_X25519WithAnotherKey_ExitsOne()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "bob", "x25519");
        CurveFiles.WriteUser(dir, "eve", "x25519");
        CliRunner.Run("encrypt", dir.File("message.eml"), "-o", dir.File("enc.eml"),
            "--to", dir.File("bob.crt"));

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", dir.File("eve.crt"),
            "--key", dir.File("eve.key"));

        Assert.Equal(1, result.ExitCode);
        Assert.False(File.Exists(dir.File("plain.eml")));
    }

    [Fact]
    public void Decrypt_EncryptedX25519KeyWrongPassword_ExitsTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "bob", "x25519", encrypted: true);
        CliRunner.Run("encrypt", dir.File("message.eml"), "-o", dir.File("enc.eml"),
            "--to", dir.File("bob.crt"));

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "--cert", dir.File("bob.crt"), "--key", dir.File("bob.key"), "--password", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("wrong password", result.StdErr);
    }

    [Fact]
    public void Encrypt_ToEcdhCertificate_OpenSslDecryptsAndWeDecryptOpenSsl()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "bob", TestKeyType.EcP256);

        CliRunner.Result encrypted = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--to", dir.File("bob.crt"));
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", "bob.crt",
            "-inkey", "bob.key", "-out", "by-openssl.eml");
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-128-gcm", "-in", "message.eml",
            "-out", "openssl.eml", "bob.crt");
        CliRunner.Result decrypted = CliRunner.Run("decrypt", dir.File("openssl.eml"),
            "-o", dir.File("by-smime.eml"), "--cert", dir.File("bob.crt"),
            "--key", dir.File("bob.key"));

        Assert.Equal(0, encrypted.ExitCode);
        Assert.EndsWith("this is a test.\r\n", File.ReadAllText(dir.File("by-openssl.eml")));
        Assert.Equal(0, decrypted.ExitCode);
        Assert.EndsWith("Hello Bob,\r\nthis is a test.\r\n",
            File.ReadAllText(dir.File("by-smime.eml")));
    }

    [Fact]
    public void Encrypt_ChaCha20ThenDecrypt_ExitsZero()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User bob = Files.WriteUser(dir, "bob");

        CliRunner.Result encrypted = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--to", bob.Crt, "--cipher", "chacha20-poly1305");
        CliRunner.Result decrypted = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", bob.P12, "--password", Files.Password,
            "-v");

        Assert.Equal(0, encrypted.ExitCode);
        Assert.Equal(0, decrypted.ExitCode);
        Assert.Contains("AuthEnvelopedData: ChaCha20Poly1305", decrypted.StdErr);
        Assert.EndsWith("Hello Bob,\r\nthis is a test.\r\n",
            File.ReadAllText(dir.File("plain.eml")));
    }

    [Fact]
    public void Decrypt_ChaCha20Tampered_ExitsOneWritesNothing()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User bob = Files.WriteUser(dir, "bob");
        CliRunner.Run("encrypt", dir.File("message.eml"), "-o", dir.File("enc.eml"),
            "--to", bob.Crt, "--cipher", "chacha20-poly1305");
        string text = File.ReadAllText(dir.File("enc.eml"));
        int last = text.TrimEnd().LastIndexOf('\n') - 20;
        char swapped = text[last] == 'A' ? 'B' : 'A';
        File.WriteAllText(dir.File("enc.eml"),
            text.Remove(last, 1).Insert(last, swapped.ToString()));

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", bob.P12, "--password", Files.Password);

        Assert.Equal(1, result.ExitCode);
        Assert.False(File.Exists(dir.File("plain.eml")));
    }

    [Fact]
    public void Help_Encrypt_ListsChaCha20()
    {
        CliRunner.Result result = CliRunner.Run("encrypt", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("chacha20-poly1305", result.StdOut);
        Assert.Contains("--compress", result.StdOut);
    }

    [Fact]
    public void Compress_ThenDecompress_ExitsZeroSameBody()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);

        CliRunner.Result compressed = CliRunner.Run("compress", dir.File("message.eml"),
            "-o", dir.File("z.eml"));
        CliRunner.Result decompressed = CliRunner.Run("decompress", dir.File("z.eml"),
            "-o", dir.File("plain.eml"));

        Assert.Equal(0, compressed.ExitCode);
        string z = File.ReadAllText(dir.File("z.eml"));
        Assert.Contains(
            "Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z", z);
        Assert.DoesNotContain("this is a test.", z);
        Assert.Equal(0, decompressed.ExitCode);
        Assert.EndsWith("Content-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n\r\nHello Bob,\r\nthis is a test.\r\n",
            File.ReadAllText(dir.File("plain.eml")));
    }

    [Fact]
    public void Decompress_PlainMessage_ExitsTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);

        CliRunner.Result result = CliRunner.Run("decompress", dir.File("message.eml"));

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("is not a compressed message.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void SignCompressed_Ed25519ThenEncryptToX25519_VerifyOpensEveryLayer()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        CurveFiles.WriteUser(dir, "alice", "ed25519");
        CurveFiles.WriteUser(dir, "bob", "x25519");

        CliRunner.Result encrypted = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--to", dir.File("bob.crt"), "--sign", "--compress",
            "--cert", dir.File("alice.crt"), "--key", dir.File("alice.key"),
            "--cipher", "chacha20-poly1305");
        CliRunner.Result verified = CliRunner.Run("verify", dir.File("enc.eml"),
            "--trust", dir.File("ca.crt"), "--cert", dir.File("bob.crt"),
            "--key", dir.File("bob.key"));

        Assert.Equal(0, encrypted.ExitCode);
        Assert.Equal(
            "smime: note: your signing key cannot decrypt (Ed25519); "
            + "you will not be able to read this message.",
            HelpAndUsageTests.SingleLine(encrypted.StdErr));
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("Layer:   AuthEnvelopedData: ChaCha20Poly1305 for 'CN=bob@example.com'",
            verified.StdOut);
        Assert.Contains("Layer:   CompressedData: zlib", verified.StdOut);
        Assert.Contains("Layer:   ClearSigned: signed by CN=alice@example.com", verified.StdOut);
    }
}
