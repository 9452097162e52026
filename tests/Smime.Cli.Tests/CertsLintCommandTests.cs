using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>`smime certs lint` and the validation class `smime verify` prints.</summary>
public sealed class CertsLintCommandTests
{
    [Fact]
    public void Lint_CompliantCertificate_ExitZeroNoFindings()
    {
        using var dir = new TempDir();
        using X509Certificate2 certificate = LintCertificates.Issue(new LintCertificateSpec());
        TestPki.WritePem(certificate, dir.File("alice.pem"));

        CliRunner.Result result = CliRunner.Run("certs", "lint", dir.File("alice.pem"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Certificate: CN=alice@example.com\n"
                + $"  SHA-256:   {certificate.GetCertHashString(HashAlgorithmName.SHA256)}\n"
                + "  profile:   mailbox-strict (class 1, policy 2.23.140.1.5.1.3)\n"
                + "  no findings\n"
                + "0 error(s), 0 warning(s), 0 notice(s)\n",
            result.StdOut.ReplaceLineEndings("\n"));
        Assert.Empty(result.StdErr);
    }

    [Fact]
    public void Lint_ServerAuthEku_ExitOneWithEachFindingAndItsSource()
    {
        using var dir = new TempDir();
        using X509Certificate2 certificate = LintCertificates.Issue(new LintCertificateSpec
        {
            Ekus = [LintCertificateSpec.ServerAuth],
        });
        TestPki.WritePem(certificate, dir.File("web.pem"));

        CliRunner.Result result = CliRunner.Run("certs", "lint", dir.File("web.pem"));

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.StdOut.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(
            "  error    eku-missing-email-protection [RFC 8550 §4.4.4]: extendedKeyUsage "
                + "(serverAuth) has neither emailProtection nor anyExtendedKeyUsage, so S/MIME "
                + "agents refuse the certificate.",
            lines[3]);
        Assert.Equal(
            "  error    eku-not-allowed [CABF S/MIME BR §7.1.2.3 (f)]: extendedKeyUsage has "
                + "serverAuth, which mailbox-strict does not allow.",
            lines[4]);
        Assert.Equal("2 error(s), 0 warning(s), 0 notice(s)", lines[5]);
    }

    [Fact]
    public void Lint_WarningsOnly_ExitZero()
    {
        using var dir = new TempDir();
        using X509Certificate2 certificate = LintCertificates.Issue(new LintCertificateSpec
        {
            WithSubjectKeyIdentifier = false,
        });
        TestPki.WritePem(certificate, dir.File("alice.pem"));

        CliRunner.Result result = CliRunner.Run("certs", "lint", dir.File("alice.pem"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\n  warning  ski-missing [RFC 5280 §4.2.1.2]: ", result.StdOut);
    }

    [Fact]
    public void Lint_Json_GivesExactFields()
    {
        using var dir = new TempDir();
        using X509Certificate2 certificate = LintCertificates.Issue(new LintCertificateSpec
        {
            RsaBits = 1024,
            Policies = ["2.23.140.1.5.4.2"],
            Subject = [("2.5.4.3", "Alice Example")],
        });
        File.WriteAllBytes(dir.File("alice.der"), certificate.RawData);

        CliRunner.Result result = CliRunner.Run("certs", "lint", dir.File("alice.der"), "--json");

        Assert.Equal(1, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.StdOut);
        JsonElement root = json.RootElement;
        Assert.Equal(
            ["certificates", "errors", "warnings", "notices"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("errors").GetInt32());
        Assert.Equal(0, root.GetProperty("warnings").GetInt32());
        JsonElement linted = Assert.Single(root.GetProperty("certificates").EnumerateArray());
        Assert.Equal("CN=Alice Example", linted.GetProperty("subject").GetString());
        JsonElement validation = linted.GetProperty("validationClass");
        Assert.Equal("individual-multipurpose", validation.GetProperty("profile").GetString());
        Assert.Equal("class 3 or 4", validation.GetProperty("legacyClass").GetString());
        Assert.Equal("2.23.140.1.5.4.2", validation.GetProperty("policyOid").GetString());
        JsonElement finding = Assert.Single(linted.GetProperty("findings").EnumerateArray());
        Assert.Equal(
            ["severity", "rule", "source", "message"],
            finding.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Error", finding.GetProperty("severity").GetString());
        Assert.Equal("rsa-key-too-small", finding.GetProperty("rule").GetString());
        Assert.Equal("CABF S/MIME BR §6.1.5", finding.GetProperty("source").GetString());
    }

    [Fact]
    public void Lint_NotACertificate_ExitTwo()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("junk.pem"), "this is not a certificate\n");

        CliRunner.Result result = CliRunner.Run("certs", "lint", dir.File("junk.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StdOut);
        Assert.StartsWith("smime: ", result.StdErr);
        Assert.Contains("junk.pem", result.StdErr);
    }

    [Fact]
    public void Lint_MissingFile_ExitTwo()
    {
        using var dir = new TempDir();

        CliRunner.Result result = CliRunner.Run("certs", "lint", dir.File("absent.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("absent.pem", result.StdErr);
    }

    [Fact]
    public void Verify_SignerClaimingProfile_PrintsValidationClass()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        using X509Certificate2 alice = LintCertificates.Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.3.3"],
            Subject =
            [
                ("2.5.4.6", "GB"), ("2.5.4.10", "Example Ltd"),
                ("2.5.4.97", "NTRGB-12345678"), ("2.5.4.3", "Alice Example"),
            ],
        });
        TestPki.WritePem(alice, dir.File("alice.crt"), dir.File("alice.key"));
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o",
            dir.File("signed.eml"), "--cert", dir.File("alice.crt"), "--key",
            dir.File("alice.key")).ExitCode);

        // The certificate names a CRL distribution point that nothing serves: revocation is
        // not this test's subject.
        CliRunner.Result text = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("root.pem"), "--no-revocation");
        CliRunner.Result json = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("root.pem"), "--json", "--no-revocation");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains(
            "\n  class:      sponsor-strict (class 2, policy 2.23.140.1.5.3.3)\n",
            text.StdOut.ReplaceLineEndings("\n"));
        Assert.Equal(0, json.ExitCode);
        using JsonDocument document = JsonDocument.Parse(json.StdOut);
        JsonElement signer = Assert.Single(
            document.RootElement.GetProperty("signers").EnumerateArray());
        JsonElement validation = signer.GetProperty("validationClass");
        Assert.Equal("sponsor-strict", validation.GetProperty("profile").GetString());
        Assert.Equal("class 2", validation.GetProperty("legacyClass").GetString());
        Assert.Equal("2.23.140.1.5.3.3", validation.GetProperty("policyOid").GetString());
    }

    [Fact]
    public void Verify_SignerWithoutProfile_SaysNoneClaimed()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o",
            dir.File("signed.eml"), "--cert", alice.Crt, "--key", alice.Key).ExitCode);

        CliRunner.Result text = CliRunner.Run("verify", dir.File("signed.eml"),
            "--trust", dir.File("root.pem"));

        Assert.Contains("\n  class:      (none claimed)\n", text.StdOut.ReplaceLineEndings("\n"));
    }
}
