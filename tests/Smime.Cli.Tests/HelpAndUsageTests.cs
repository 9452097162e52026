using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>Help output and usage errors: no library work, so these run on any build.</summary>
public sealed class HelpAndUsageTests
{
    [Fact]
    public void Run_Help_ListsEveryVerbAndExitsZero()
    {
        CliRunner.Result result = CliRunner.Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (string verb in new[] { "sign", "verify", "encrypt", "decrypt", "demo" })
        {
            Assert.Contains($"  {verb} ", result.StdOut);
        }

        Assert.Equal(string.Empty, result.StdErr);
    }

    [Theory]
    [InlineData("sign", "--opaque")]
    [InlineData("sign", "--password-file")]
    [InlineData("verify", "--json")]
    [InlineData("verify", "--trust")]
    [InlineData("encrypt", "--cipher")]
    [InlineData("decrypt", "--key")]
    [InlineData("demo", "--keep")]
    public void Run_VerbHelp_ListsItsOptions(string verb, string option)
    {
        CliRunner.Result result = CliRunner.Run(verb, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(option, result.StdOut);
    }

    [Fact]
    public void Run_UnknownOption_ExitsTwoWithOneLine()
    {
        CliRunner.Result result = CliRunner.Run("sign", "--bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "smime: Unrecognized option '--bogus'. (see 'smime sign --help')",
            SingleLine(result.StdErr));
        Assert.Empty(result.StdOutBytes);
    }

    [Fact]
    public void Run_NoVerb_ExitsTwo()
    {
        CliRunner.Result result = CliRunner.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("smime: ", SingleLine(result.StdErr));
    }

    [Fact]
    public void Run_DigestNotOffered_ExitsTwo()
    {
        CliRunner.Result result = CliRunner.Run("sign", "--digest", "md5", "--cert", "x.p12");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("md5", SingleLine(result.StdErr));
    }

    [Fact]
    public void Sign_MissingInput_ExitsTwoNamingTheFile()
    {
        using var dir = new TempDir();
        Files.User alice = Files.WriteUser(dir, "alice");
        string missing = dir.File("nope.eml");

        CliRunner.Result result = CliRunner.Run(
            "sign", missing, "--cert", alice.P12, "--password", Files.Password);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"smime: {missing}: no such file.", SingleLine(result.StdErr));
    }

    [Fact]
    public void Sign_GarbageCertificate_ExitsTwoNamingTheFile()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        string garbage = dir.File("garbage.pem");
        File.WriteAllText(garbage, "this is not a certificate\n");

        CliRunner.Result result = CliRunner.Run(
            "sign", dir.File("message.eml"), "--cert", garbage);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"smime: {garbage}: is not a certificate file (PEM, DER, PKCS#7 or PKCS#12).",
            SingleLine(result.StdErr));
    }

    [Fact]
    public void Sign_WrongPassword_ExitsTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");

        CliRunner.Result result = CliRunner.Run(
            "sign", dir.File("message.eml"), "--cert", alice.P12, "--password", "wrong");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"smime: {alice.P12}: wrong password or not a PKCS#12 file.",
            SingleLine(result.StdErr));
    }

    [Fact]
    public void Sign_OutputIsInput_ExitsTwoAndLeavesInput()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string message = dir.File("message.eml");
        string before = Files.Sha256(message);

        CliRunner.Result result = CliRunner.Run(
            "sign", message, "-o", message, "--cert", alice.Crt, "--key", alice.Key);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"smime: {message}: is the input file; smime never overwrites its input.",
            SingleLine(result.StdErr));
        Assert.Equal(before, Files.Sha256(message));
        Assert.Equal(["alice.crt", "alice.key", "alice.p12", "message.eml", "root.pem"], Listing(dir));
    }

    [Fact]
    public void Sign_PssWithEcKey_ExitsTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User carol = Files.WriteUser(dir, "carol", TestKeyType.EcP256);

        CliRunner.Result result = CliRunner.Run("sign", dir.File("message.eml"),
            "--cert", carol.Crt, "--key", carol.Key, "--pss");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"smime: --pss: needs an RSA key; '{carol.Certificate.Subject}' has none.",
            SingleLine(result.StdErr));
    }

    [Fact]
    public void Decrypt_NoCert_ExitsTwo()
    {
        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message), "decrypt");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: --cert: decrypt needs --cert with your certificate.", SingleLine(result.StdErr));
    }

    [Fact]
    public void Verify_BadTime_ExitsTwo()
    {
        CliRunner.Result result = CliRunner.Run(
            Files.Bytes(Files.Message), "verify", "--at", "yesterday");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'yesterday' is not a time", SingleLine(result.StdErr));
    }

    [Fact]
    public void Encrypt_NoRecipient_ExitsTwo()
    {
        CliRunner.Result result = CliRunner.Run(Files.Bytes(Files.Message), "encrypt");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--to", SingleLine(result.StdErr));
    }

    /// <summary>Asserts that stderr holds exactly one line, and returns it.</summary>
    internal static string SingleLine(string stderr)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"Expected one line on stderr, got:\n{stderr}");
        Assert.DoesNotContain("   at ", stderr);
        return lines[0].TrimEnd('\r');
    }

    internal static string[] Listing(TempDir dir) =>
        [.. Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order()!];
}
