using System.Security.Cryptography;
using System.Text.Json;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// What a message or certificate supplies reaches the terminal escaped: a subject cannot
/// forge verdict lines, and escape codes cannot redraw the screen.
/// </summary>
public sealed class PrintableOutputTests
{
    // .NET quotes a value holding a line break; every control is then shown escaped.
    private const string EscapedSubject =
        "CN=\"M\\nVerdict: Valid\\nReason:  ok\\x1b[31m\\u202e\"";

    [Fact]
    public void Escape_EveryUnsafeClass_ShownEscaped()
    {
        Assert.Equal(
            "a\\nb\\r\\tc\\x00\\x1b\\x7f\\u0085\\u009b\\u202a\\u202e\\u2066\\u2069\\u2028 é✓",
            Printable.Escape("a\nb\r\tc\0\u001b\u007f\u0085\u009b\u202a\u202e\u2066\u2069\u2028 é✓"));
    }

    [Fact]
    public void Escape_SafeText_ReturnedAsIs()
    {
        const string text = "CN=Ålice, E=alice@example.com \\n";

        Assert.Same(text, Printable.Escape(text));
    }

    [Fact]
    public void EscapeJson_C1DelAndBidi_EscapedStructureKept()
    {
        Assert.Equal(
            "{\n  \"a\": \"x\\u0085\\u202E\\u007F\\u2069\\n\"\n}",
            Printable.EscapeJson("{\n  \"a\": \"x\u0085\u202e\u007f\u2069\\n\"\n}"));
    }

    [Fact]
    public void Verify_SignerSubjectWithControls_TextShowsThemEscaped()
    {
        using var dir = new TempDir();
        string signed = SignAsForger(dir);

        CliRunner.Result result = CliRunner.Run(
            "verify", signed, "--trust", dir.File("root.pem"), "--no-revocation");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StdOut.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("Verdict: Valid", lines[0]);
        Assert.Equal(1, lines.Count(l => l.StartsWith("Verdict:", StringComparison.Ordinal)));
        Assert.Contains($"Layer:   ClearSigned: signed by {EscapedSubject}", lines);
        Assert.Contains($"Signer 1: {EscapedSubject}", lines);
        Assert.DoesNotContain(result.StdOut, c => c is '\u001b' or '\u202e');
        Assert.Empty(result.StdErr);
    }

    [Fact]
    public void Verify_UntrustedSignerSubjectWithControls_OneEscapedLineOnStderr()
    {
        using var dir = new TempDir();
        string signed = SignAsForger(dir);
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=Other Root", otherKey, HashAlgorithmName.SHA256);
        using var other = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        TestPki.WritePem(other, dir.File("other.pem"));

        CliRunner.Result result = CliRunner.Run(
            "verify", signed, "--trust", dir.File("other.pem"), "--no-revocation");

        Assert.Equal(1, result.ExitCode);
        string reason = $"The signer '{EscapedSubject}' is not trusted: The certificate "
            + $"'{EscapedSubject}' does not chain to any of the trust anchors.";
        Assert.Equal($"smime: {signed}: Untrusted: {reason}\n",
            result.StdErr.ReplaceLineEndings("\n"));
        string[] lines = result.StdOut.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("Verdict: Untrusted", lines[0]);
        Assert.Equal($"Reason:  {reason}", lines[1]);
        Assert.Equal(1, lines.Count(l => l.StartsWith("Verdict:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Verify_SignerSubjectWithControls_JsonEscapesThem()
    {
        using var dir = new TempDir();
        string signed = SignAsForger(dir);

        CliRunner.Result result = CliRunner.Run(
            "verify", signed, "--trust", dir.File("root.pem"), "--no-revocation", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\\nVerdict: Valid\\nReason:  ok\\u001B[31m\\u202E", result.StdOut);
        Assert.DoesNotContain(result.StdOut, c => c is '\u001b' or '\u202e' or '\r');
        using JsonDocument json = JsonDocument.Parse(result.StdOut);
        JsonElement signer = Assert.Single(json.RootElement.GetProperty("signers").EnumerateArray());
        Assert.Equal(
            $"CN=\"{HostileCertificates.ForgingCommonName}\"",
            signer.GetProperty("subject").GetString());
    }

    [Fact]
    public void CertsLint_SubjectWithControls_FirstLineEscaped()
    {
        using var dir = new TempDir();
        Files.User forger = HostileCertificates.Write(
            dir, "forger", HostileCertificates.CommonName(HostileCertificates.ForgingCommonName));

        CliRunner.Result result = CliRunner.Run("certs", "lint", forger.Crt);

        string[] lines = result.StdOut.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal($"Certificate: {EscapedSubject}", lines[0]);
        Assert.Equal(
            $"  SHA-256:   {forger.Certificate.GetCertHashString(HashAlgorithmName.SHA256)}",
            lines[1]);
        Assert.DoesNotContain(result.StdOut, c => c is '\u001b' or '\u202e');
    }

    [Fact]
    public void CertsListAndShow_SubjectWithControls_Escaped()
    {
        using var dir = new TempDir();
        Files.User forger = HostileCertificates.Write(
            dir, "forger", HostileCertificates.CommonName(HostileCertificates.ForgingCommonName));
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", forger.Crt, "--store", store).ExitCode);

        CliRunner.Result list = CliRunner.Run("certs", "list", "--store", store);
        CliRunner.Result show = CliRunner.Run(
            "certs", "show", "alice@example.com", "--store", store);

        Assert.Equal(0, list.ExitCode);
        string[] rows = list.StdOut.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, rows.Length);
        Assert.Contains($"  alice@example.com  {EscapedSubject}  CN=smime Test Root", rows[1]);
        Assert.Equal(rows[0].IndexOf("SUBJECT", StringComparison.Ordinal),
            rows[1].IndexOf("CN=\"M", StringComparison.Ordinal));
        Assert.Equal(0, show.ExitCode);
        Assert.Equal($"Subject:        {EscapedSubject}",
            show.StdOut.ReplaceLineEndings("\n").Split('\n')[0]);
    }

    [Fact]
    public void Report_FileNameWithControls_OneEscapedLine()
    {
        using var dir = new TempDir();
        string name = dir.File("a\nVerdict: Valid\u001b[2J.eml");

        CliRunner.Result result = CliRunner.Run("verify", name, "--trust", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"smime: {dir.File("a\\nVerdict: Valid\\x1b[2J.eml")}: no such file.\n",
            result.StdErr.ReplaceLineEndings("\n"));
    }

    // alice's message, signed with a certificate whose CN tries to forge verdict lines.
    private static string SignAsForger(TempDir dir)
    {
        Files.WriteBasics(dir);
        Files.User forger = HostileCertificates.Write(
            dir, "forger", HostileCertificates.CommonName(HostileCertificates.ForgingCommonName));
        string signed = dir.File("signed.eml");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", signed,
            "--cert", forger.P12, "--password", Files.Password).ExitCode);
        return signed;
    }
}
