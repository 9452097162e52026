using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// A signer certificate whose subject emailAddress is not an IA5String (a non-ASCII byte):
/// any sender can mail one, so verify gives a verdict and lint a finding, never exit 3.
/// </summary>
public sealed class MalformedNameTests
{
    private const string Finding =
        "  error    subject-attribute-malformed [RFC 5280 §4.1.2.6]: The subject attribute "
        + "1.2.840.113549.1.9.1 is not a valid IA5String (X.520); rules reading it were skipped.";

    [Fact]
    public void Verify_SignerEmailAddressNotIa5_VerdictNotInternalError()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User mallory = HostileCertificates.Write(
            dir, "mallory", HostileCertificates.NonAsciiEmailAddress());
        string signed = dir.File("signed.eml");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", signed,
            "--cert", mallory.P12, "--password", Files.Password).ExitCode);

        CliRunner.Result text = CliRunner.Run(
            "verify", signed, "--trust", dir.File("root.pem"), "--no-revocation");
        CliRunner.Result json = CliRunner.Run(
            "verify", signed, "--trust", dir.File("root.pem"), "--no-revocation", "--json");

        Assert.Equal(0, text.ExitCode);
        string[] lines = text.StdOut.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("Verdict: Valid", lines[0]);
        Assert.Contains("  class:      (none claimed)", lines);
        Assert.Empty(text.StdErr);
        Assert.Equal(0, json.ExitCode);
        Assert.StartsWith("{", json.StdOut);
        Assert.Empty(json.StdErr);
    }

    [Fact]
    public void Lint_SubjectEmailAddressNotIa5_ErrorFindingExitOne()
    {
        using var dir = new TempDir();
        Files.User mallory = HostileCertificates.Write(
            dir, "mallory", HostileCertificates.NonAsciiEmailAddress());

        CliRunner.Result result = CliRunner.Run("certs", "lint", mallory.Crt);

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.StdOut.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains(Finding, lines);
        Assert.Empty(result.StdErr);
    }
}
