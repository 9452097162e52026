using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>Ordinary mistakes get one clear line on stderr and exit 2, never exit 3.</summary>
public sealed class CliErrorMessageTests
{
    [Theory]
    [InlineData("", "is empty; not a certificate file.")]
    [InlineData(" \r\n\t\n", "holds only white space; not a certificate file.")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "holds no certificate.")]
    public void Import_NoCertificateInFile_ExitTwoOneLineNamingIt(string content, string problem)
    {
        using var dir = new TempDir();
        string file = dir.File("empty.pem");
        File.WriteAllText(file, content);
        string store = dir.File("store");

        CliRunner.Result plain = CliRunner.Run("certs", "import", file, "--store", store);
        CliRunner.Result trusted = CliRunner.Run(
            "certs", "import", "--trust", file, "--store", store);

        Assert.Equal(2, plain.ExitCode);
        Assert.Equal($"smime: {file}: {problem}\n", plain.StdErr.ReplaceLineEndings("\n"));
        Assert.Equal(2, trusted.ExitCode);
        Assert.Equal($"smime: {file}: {problem}\n", trusted.StdErr.ReplaceLineEndings("\n"));
        Assert.Empty(plain.StdOutBytes);
    }

    [Fact]
    public void Store_FolderUnderAFile_OnePrefixNamesTheStore()
    {
        using var dir = new TempDir();
        Files.User alice = Files.WriteUser(dir, "alice");
        File.WriteAllText(dir.File("file"), "not a folder");
        string store = Path.Combine(dir.File("file"), "store");

        CliRunner.Result result = CliRunner.Run("certs", "import", alice.Crt, "--store", store);

        Assert.Equal(2, result.ExitCode);
        string line = HelpAndUsageTests.SingleLine(result.StdErr);
        Assert.StartsWith(
            $"smime: The certificate store '{Path.Combine(store, "store.db")}' is not writable: ",
            line);
        Assert.EndsWith(". Nothing was changed.", line);
    }

    [Fact]
    public void Store_ReadOnlyFolder_ListAndVerifyWorkImportSaysNotWritable()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        Files.User bob = Files.WriteUser(dir, "bob");
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", alice.Crt, "--store", store).ExitCode);
        string signed = dir.File("signed.eml");
        Assert.Equal(0, CliRunner.Run("sign", dir.File("message.eml"), "-o", signed,
            "--cert", alice.P12, "--password", Files.Password).ExitCode);

        using ReadOnlyFolder? locked = OperatingSystem.IsWindows()
            ? null
            : ReadOnlyFolder.TryLock(store);
        if (locked is null)
        {
            return; // Neither chattr nor the file mode stops this user from writing.
        }

        CliRunner.Result list = CliRunner.Run("certs", "list", "--store", store);
        CliRunner.Result import = CliRunner.Run("certs", "import", bob.Crt, "--store", store);
        CliRunner.Result verify = CliRunner.Run(
            "verify", signed, "--trust", dir.File("root.pem"), "--no-revocation");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("alice@example.com", list.StdOut);
        Assert.Empty(list.StdErr);
        Assert.Equal(2, import.ExitCode);
        string line = HelpAndUsageTests.SingleLine(import.StdErr);
        Assert.StartsWith($"smime: The certificate store '{Path.Combine(store, "store.db")}' "
            + "is not writable: ", line);
        Assert.DoesNotContain("smime: smime:", import.StdErr);
        Assert.Equal(0, verify.ExitCode);
        Assert.Empty(verify.StdErr);
    }

    [Theory]
    [InlineData("smime: 'frobnicate' is not a command; see 'smime --help'.", "frobnicate")]
    [InlineData("smime: 'frob' is not a command; see 'smime ca --help'.", "ca", "frob")]
    [InlineData("smime: 'frob' is not a command; see 'smime certs --help'.",
        "certs", "frob", "x")]
    [InlineData("smime: Option '--profile' is required. (see 'smime ca issue --help')",
        "ca", "issue", "x.csr", "--password", "x", "-o", "y.pem")]
    public void Run_UsageError_OneLineNamingTheFullCommand(string expected, params string[] args)
    {
        CliRunner.Result result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected + "\n", result.StdErr.ReplaceLineEndings("\n"));
        Assert.Empty(result.StdOutBytes);
    }

    [Fact]
    public void Run_NestedVerbUsageError_HintNamesTheFullCommand()
    {
        CliRunner.Result result = CliRunner.Run("certs", "lint");

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(" (see 'smime certs lint --help')",
            HelpAndUsageTests.SingleLine(result.StdErr));
    }

    // A folder this user cannot write: immutable (chattr +i, which stops root too), else
    // without the owner's write bit; null when neither stops this user.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class ReadOnlyFolder : IDisposable
    {
        private readonly string _folder;
        private readonly bool _immutable;
        private readonly UnixFileMode _mode;

        private ReadOnlyFolder(string folder, bool immutable, UnixFileMode mode)
        {
            _folder = folder;
            _immutable = immutable;
            _mode = mode;
        }

        public static ReadOnlyFolder? TryLock(string folder)
        {
            UnixFileMode mode = File.GetUnixFileMode(folder);
            bool immutable = TryChattr("+i", folder);
            if (!immutable)
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            var locked = new ReadOnlyFolder(folder, immutable, mode);
            try
            {
                File.WriteAllText(Path.Combine(folder, "probe"), "");
            }
            catch (UnauthorizedAccessException)
            {
                return locked;
            }
            catch (IOException)
            {
                return locked;
            }

            File.Delete(Path.Combine(folder, "probe"));
            locked.Dispose();
            return null;
        }

        public void Dispose()
        {
            if (_immutable)
            {
                TryChattr("-i", _folder);
            }

            File.SetUnixFileMode(_folder, _mode);
        }

        private static bool TryChattr(string flag, string folder)
        {
            try
            {
                return Peer.Run("chattr", [flag, folder], folder, null).ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }
}
