using System.Text.Json;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class VerifyCommandTests
{
    [Fact]
    public void Verify_OpenSslSigned_PrintsValidAndExitsZero()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        File.WriteAllText(dir.File("entity.eml"),
            "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob,\r\nthis is a test.\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "entity.eml", "-signer", "alice.crt",
            "-inkey", "alice.key", "-out", "part.eml");

        // openssl signs the whole input; the mail headers go outside the signed part.
        File.WriteAllText(dir.File("signed.eml"),
            "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\nSubject: hi\r\n"
            + File.ReadAllText(dir.File("part.eml")));

        CliRunner.Result result = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("root.pem"), "-o", dir.File("content.eml"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Verdict: Valid\n", result.StdOut);
        Assert.Contains("alice@example.com (matches the sender)", result.StdOut);
        Assert.Contains("  signature:  valid\n", result.StdOut);
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("content.eml")));
    }

    [Fact]
    public void Verify_Json_GivesExactFields()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", dir.File("signed.eml"),
            "--cert", alice.Crt, "--key", alice.Key, "--digest", "sha384").ExitCode);

        CliRunner.Result result = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("root.pem"), "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.StdOut);
        JsonElement root = json.RootElement;
        Assert.Equal("Valid", root.GetProperty("outcome").GetString());
        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.True(root.GetProperty("wholeMessageSigned").GetBoolean());
        Assert.Equal(["alice@example.com"], Strings(root.GetProperty("senderAddresses")));
        JsonElement signer = Assert.Single(root.GetProperty("signers").EnumerateArray());
        Assert.Equal(alice.Certificate.Subject, signer.GetProperty("subject").GetString());
        Assert.Equal(alice.Certificate.Issuer, signer.GetProperty("issuer").GetString());
        Assert.Equal(alice.Certificate.SerialNumber, signer.GetProperty("serialNumber").GetString());
        Assert.Equal(["alice@example.com"], Strings(signer.GetProperty("addresses")));
        Assert.True(signer.GetProperty("addressMatches").GetBoolean());
        Assert.True(signer.GetProperty("signatureValid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, signer.GetProperty("failure").ValueKind);
        Assert.Equal("SHA-384", signer.GetProperty("digestAlgorithm").GetString());
        Assert.Equal("RSA PKCS#1 v1.5 with SHA-384",
            signer.GetProperty("signatureAlgorithm").GetString());
        Assert.Equal(
            alice.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            signer.GetProperty("sha256Thumbprint").GetString());
        DateTimeOffset signedAt = signer.GetProperty("signingTime").GetDateTimeOffset();
        Assert.InRange(signedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        JsonElement layer = Assert.Single(root.GetProperty("layers").EnumerateArray());
        Assert.Equal("ClearSigned", layer.GetProperty("kind").GetString());
        Assert.Equal(
            ["outcome", "valid", "reason", "wholeMessageSigned", "senderAddresses", "layers",
                "signers"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["signer", "subject", "issuer", "serialNumber", "sha256Thumbprint", "addresses",
                "addressMatches", "digestAlgorithm", "signatureAlgorithm", "signingTime",
                "signatureValid", "failure", "chain", "warnings"],
            signer.EnumerateObject().Select(p => p.Name));
        JsonElement chain = signer.GetProperty("chain");
        Assert.Equal("Trusted", chain.GetProperty("outcome").GetString());
        Assert.True(chain.GetProperty("trusted").GetBoolean());
        Assert.Equal(
            [alice.Certificate.Subject, TestPki.Shared.Root.Subject],
            Strings(chain.GetProperty("certificates")));
        Assert.Empty(signer.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void Verify_TamperedContent_ExitsOneAndWritesNoContent()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", dir.File("signed.eml"),
            "--cert", alice.P12, "--password", Files.Password).ExitCode);
        Files.TamperBody(dir.File("signed.eml"), "Hello Bob", "Hello Rob");

        CliRunner.Result result = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("root.pem"), "-o", dir.File("content.eml"), "--json");

        Assert.Equal(1, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("BadSignature", json.RootElement.GetProperty("outcome").GetString());
        Assert.False(File.Exists(dir.File("content.eml")));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_NoTrustAnchor_ExitsOneUntrusted()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", dir.File("signed.eml"),
            "--cert", alice.P12, "--password", Files.Password).ExitCode);

        CliRunner.Result result = CliRunner.Run("verify", dir.File("signed.eml"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Verdict: Untrusted\n", result.StdOut);
        string line = HelpAndUsageTests.SingleLine(result.StdErr);
        Assert.StartsWith($"smime: {dir.File("signed.eml")}: Untrusted: ", line);
        Assert.EndsWith(" (no --trust given; no signer can be trusted)", line);
    }

    [Fact]
    public void Verify_UnsignedMessage_ExitsOneNotSigned()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);

        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message),
            "verify", "--trust", dir.File("root.pem"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Verdict: NotSigned\n", result.StdOut);
    }

    [Fact]
    public void Verify_SignedThenEncrypted_OpensWithKeyAndExitsZero()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Files.User bob = Files.WriteUser(dir, "bob");
        Assert.Equal(0, CliRunner.Run("encrypt", dir.File("message.eml"), "-o", dir.File("enc.eml"),
            "--to", bob.Crt, "--sign", "--cert", alice.P12, "--password", Files.Password).ExitCode);

        CliRunner.Result result = CliRunner.Run("verify", dir.File("enc.eml"),
            "--trust", dir.File("root.pem"), "--cert", bob.Crt, "--key", bob.Key,
            "-o", dir.File("content.eml"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Layer:   AuthEnvelopedData", result.StdOut);
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("content.eml")));
    }

    [Fact]
    public void Verify_EncryptedWithoutKey_ExitsTwoAskingForCert()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User bob = Files.WriteUser(dir, "bob");
        Assert.Equal(0, CliRunner.Run("encrypt", dir.File("message.eml"), "-o", dir.File("enc.eml"),
            "--to", bob.Crt, "--cert", bob.Crt).ExitCode);

        CliRunner.Result result = CliRunner.Run("verify", dir.File("enc.eml"),
            "--trust", dir.File("root.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith($"smime: {dir.File("enc.eml")}: is encrypted; give --cert (and --key) to open it.",
            result.StdErr.TrimEnd());
    }

    private static string[] Strings(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
