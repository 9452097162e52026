using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>Bad and hostile input: one line on stderr, a distinct exit code, nothing written.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void Verify_EmptyFile_ExitsTwoSayingEmpty()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        File.WriteAllBytes(dir.File("empty.eml"), []);

        CliRunner.Result result = CliRunner.Run(
            "verify", dir.File("empty.eml"), "--trust", dir.File("root.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"smime: {dir.File("empty.eml")}: The input is empty; it holds no message.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Sign_EmptyStdin_ExitsTwoSayingEmpty()
    {
        using var dir = new TempDir();
        Files.User alice = Files.WriteUser(dir, "alice");

        CliRunner.Result result = CliRunner.Run([], "sign", "--cert", alice.P12,
            "--password", Files.Password);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: stdin: The input is empty; it holds no message.",
            HelpAndUsageTests.SingleLine(result.StdErr));
        Assert.Empty(result.StdOutBytes);
    }

    [Fact]
    public void Decrypt_EmptyCertificateFile_ExitsTwoNotInternalError()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        File.WriteAllBytes(dir.File("empty.crt"), []);

        CliRunner.Result result = CliRunner.Run(
            "decrypt", dir.File("message.eml"), "--cert", dir.File("empty.crt"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"smime: {dir.File("empty.crt")}: is empty; not a certificate file.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Verify_EmptyTrustFile_ExitsTwoNotInternalError()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        File.WriteAllBytes(dir.File("empty.pem"), []);

        CliRunner.Result result = CliRunner.Run(
            "verify", dir.File("message.eml"), "--trust", dir.File("empty.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("empty.pem: is empty; not a certificate file.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Encrypt_HugeFoldedHeader_ExitsTwoQuicklyWritingNothing()
    {
        using var dir = new TempDir();
        Files.User bob = Files.WriteUser(dir, "bob");
        string folds = string.Concat(Enumerable.Repeat("\r\n " + new string('A', 70), 100_000));
        File.WriteAllText(dir.File("huge.eml"), "X-Junk: a" + folds + "\r\n" + Files.Message);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        CliRunner.Result result = CliRunner.Run("encrypt", dir.File("huge.eml"),
            "--to", bob.Crt, "--cert", bob.Crt, "-o", dir.File("out.eml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("huge.eml: The header field at byte 0 is longer than 262144 bytes",
            HelpAndUsageTests.SingleLine(result.StdErr));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(["bob.crt", "bob.key", "bob.p12", "huge.eml"], HelpAndUsageTests.Listing(dir));
    }

    [Fact]
    public void Verify_SecondFromHeaderAfterSigning_ExitsOneSenderMismatch()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", dir.File("signed.eml"),
            "--cert", alice.P12, "--password", Files.Password).ExitCode);
        File.WriteAllText(dir.File("spoofed.eml"), "From: Mallory <mallory@evil.example>\r\n"
            + File.ReadAllText(dir.File("signed.eml")));

        CliRunner.Result result = CliRunner.Run("verify", dir.File("spoofed.eml"),
            "--trust", dir.File("root.pem"), "-o", dir.File("content.eml"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Verdict: SenderMismatch\n", result.StdOut);
        Assert.StartsWith($"smime: {dir.File("spoofed.eml")}: SenderMismatch: The From address "
            + "mallory@evil.example is in no signer's certificate",
            HelpAndUsageTests.SingleLine(result.StdErr));
        Assert.False(File.Exists(dir.File("content.eml")));
    }

    [Fact]
    public void Executable_StdinClosed_ExitsTwoInsteadOfWaiting()
    {
        using var dir = new TempDir();
        string smime = CliRunner.FindExecutable();
        string command = smime.EndsWith(".dll", StringComparison.Ordinal)
            ? $"dotnet '{smime}'"
            : $"'{smime}'";

        // `<&-` closes descriptor 0; the runtime then opens its own pipe there.
        Peer.Result result = Peer.Run("/bin/sh", ["-c", $"exec {command} verify <&-"],
            dir.Path, timeoutMs: 20_000);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: stdin: standard input is closed.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Decrypt_OutputThroughLinkedFolderIsInput_ExitsTwoInputUnchanged()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User bob = Files.WriteUser(dir, "bob");
        Directory.CreateDirectory(dir.File("real"));
        Assert.Equal(0, CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("real/enc.eml"), "--to", bob.Crt, "--cert", bob.Crt).ExitCode);
        Directory.CreateSymbolicLink(dir.File("link"), dir.File("real"));
        string before = Files.Sha256(dir.File("real/enc.eml"));

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("real/enc.eml"),
            "--cert", bob.P12, "--password", Files.Password, "-o", dir.File("link/enc.eml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"smime: {dir.File("link/enc.eml")}: is the input file; smime never overwrites its input.",
            HelpAndUsageTests.SingleLine(result.StdErr));
        Assert.Equal(before, Files.Sha256(dir.File("real/enc.eml")));
        Assert.Equal(["enc.eml"], Directory.GetFiles(dir.File("real")).Select(Path.GetFileName));
    }

    [Fact]
    public void Verify_AtPastYear9999_ExitsTwoNotInternalError()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);

        CliRunner.Result result = CliRunner.Run("verify", dir.File("message.eml"),
            "--trust", dir.File("root.pem"), "--at", "99999999999999999");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: --at: '99999999999999999' seconds is past the year 9999.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Decrypt_PasswordFileIsFolder_ExitsTwoSayingFolder()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User bob = Files.WriteUser(dir, "bob");

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("message.eml"),
            "--cert", bob.P12, "--password-file", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"smime: {dir.Path}: is a folder, not a password file.",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("decrypt")]
    public void Run_StdOutFull_ExitsTwoNamingStdOut(string verb)
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Files.User bob = Files.WriteUser(dir, "bob");
        Assert.Equal(0, CliRunner.Run("encrypt", dir.File("message.eml"), "-o", dir.File("enc.eml"),
            "--to", bob.Crt, "--sign", "--cert", alice.P12, "--password", Files.Password).ExitCode);
        using var error = new StringWriter();

        string[] trust = verb == "verify" ? ["--trust", dir.File("root.pem")] : [];

        int code = Cli.Run(
            [verb, dir.File("enc.eml"), .. trust, "--cert", bob.P12, "--password", Files.Password],
            new MemoryStream(), new FullStream(), error);

        Assert.Equal(2, code);
        Assert.Equal("smime: stdout: cannot be written: No space left on device",
            HelpAndUsageTests.SingleLine(error.ToString()));
    }

    /// <summary>An output that refuses every write, as /dev/full does.</summary>
    private sealed class FullStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) =>
            throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<byte> buffer) =>
            throw new IOException("No space left on device");
    }
}
