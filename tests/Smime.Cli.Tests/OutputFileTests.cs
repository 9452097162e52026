using System.Diagnostics;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>-o never lands on an input, and leaves devices, pipes and links what they are.</summary>
public sealed class OutputFileTests
{
    [Fact]
    public void Sign_OutputIsItsOwnCert_ExitTwoKeyFileUnchanged()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string before = Files.Sha256(alice.P12);

        CliRunner.Result run = CliRunner.Run("sign", dir.File("message.eml"), "--cert", alice.P12,
            "--password", Files.Password, "-o", alice.P12);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {alice.P12}: is the input '{alice.P12}'; smime never overwrites "
            + "its input.\n", run.StdErr);
        Assert.Equal(before, Files.Sha256(alice.P12));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }

    [Fact]
    public void Sign_OutputIsTheKeyThroughALinkedFolder_ExitTwoKeyUnchanged()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string before = Files.Sha256(alice.Key);
        string linked = dir.File("linked");
        Directory.CreateSymbolicLink(linked, dir.Path);
        string key = Path.Combine(linked, "alice.key");

        CliRunner.Result run = CliRunner.Run("sign", dir.File("message.eml"), "--cert", alice.Crt,
            "--key", key, "-o", alice.Key);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {alice.Key}: is the input '{key}'; smime never overwrites "
            + "its input.\n", run.StdErr);
        Assert.Equal(before, Files.Sha256(alice.Key));
    }

    [Fact]
    public void Sign_OutputIsAHardLinkToThePasswordFile_ExitTwo()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string passwordFile = dir.File("password.txt");
        File.WriteAllText(passwordFile, Files.Password + "\n");
        string hardLink = dir.File("other-name.txt");
        RunTool("ln", passwordFile, hardLink);

        CliRunner.Result run = CliRunner.Run("sign", dir.File("message.eml"), "--cert", alice.P12,
            "--password-file", passwordFile, "-o", hardLink);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {hardLink}: is the input '{passwordFile}'; smime never "
            + "overwrites its input.\n", run.StdErr);
        Assert.Equal(Files.Password + "\n", File.ReadAllText(passwordFile));
    }

    [Fact]
    public void Sign_OutputIsAnExistingOtherFile_Replaced()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string output = dir.File("signed.eml");
        File.WriteAllText(output, "old");

        CliRunner.Result run = CliRunner.Run("sign", dir.File("message.eml"), "--cert", alice.P12,
            "--password", Files.Password, "-o", output);

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("application/pkcs7-signature", File.ReadAllText(output));
    }

    [Fact]
    public void CertsExport_OutputIsTheStore_ExitTwoStoreIntact()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "bob");
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("bob.p12"), "--password",
            Files.Password, "--store", store).ExitCode);
        string database = Path.Combine(store, "store.db");
        string before = Files.Sha256(database);

        CliRunner.Result run = CliRunner.Run("certs", "export", "bob@example.com", "--format",
            "pem", "-o", database, "--store", store);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {database}: is the certificate store's store.db; smime never "
            + "overwrites it.\n", run.StdErr);
        Assert.Equal(before, Files.Sha256(database));
        Assert.Contains("bob@example.com",
            CliRunner.Run("certs", "list", "--store", store).StdOut);
    }

    [Fact]
    public void KeyNew_OutputIsTheStoreWal_ExitTwoNoKeyStored()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "bob");
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("bob.p12"), "--password",
            Files.Password, "--store", store).ExitCode);
        string wal = Path.Combine(store, "store.db-wal");

        CliRunner.Result run = CliRunner.Run("key", "new", "--email", "x@example.com",
            "--password", "pw", "-o", wal, "--store", store);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {wal}: is the certificate store's store.db-wal; smime never "
            + "overwrites it.\n", run.StdErr);
        Assert.DoesNotContain("x@example.com",
            CliRunner.Run("key", "list", "--store", store).StdOut);
    }

    [Fact]
    public void KeyNew_OutputIsTheStore_ExitTwoStoreIntact()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "bob");
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("bob.p12"), "--password",
            Files.Password, "--store", store).ExitCode);
        string database = Path.Combine(store, "store.db");

        CliRunner.Result run = CliRunner.Run("key", "new", "--email", "x@example.com",
            "--password", "pw", "-o", database, "--store", store);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {database}: is the certificate store's store.db; smime never "
            + "overwrites it.\n", run.StdErr);
        CliRunner.Result list = CliRunner.Run("certs", "list", "--store", store);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("bob@example.com", list.StdOut);
        Assert.DoesNotContain("x@example.com",
            CliRunner.Run("key", "list", "--store", store).StdOut);
    }

    [Fact]
    public void Compress_OutputIsAFifo_WritesIntoThePipeAndKeepsIt()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        string fifo = dir.File("fifo");
        RunTool("mkfifo", fifo);
        Task<byte[]> reader = Task.Run(() => File.ReadAllBytes(fifo));

        CliRunner.Result run = CliRunner.Run("compress", dir.File("message.eml"), "-o", fifo);

        byte[] read = Drain(fifo, reader);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("smime-type=compressed-data", System.Text.Encoding.ASCII.GetString(read));
        Assert.Equal(Mime.FileNodeType.Fifo,
            Mime.FileNodes.GetNodeType(fifo, followLinks: false));
        Assert.Equal(["fifo", "message.eml", "root.pem"],
            Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Sign_FailsWithAFifoOutput_NothingWrittenIntoThePipe()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string fifo = dir.File("fifo");
        RunTool("mkfifo", fifo);
        Task<byte[]> reader = Task.Run(() => File.ReadAllBytes(fifo));

        CliRunner.Result run = CliRunner.Run("sign", dir.File("message.eml"), "--cert", alice.P12,
            "--password", "wrong", "-o", fifo);

        byte[] read = Drain(fifo, reader);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(read);
        Assert.Equal(Mime.FileNodeType.Fifo,
            Mime.FileNodes.GetNodeType(fifo, followLinks: false));
    }

    [Fact]
    public void Compress_OutputIsASymlink_LinkKeptItsTargetReplaced()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Directory.CreateDirectory(dir.File("real"));
        string target = dir.File("real/target.eml");
        File.WriteAllText(target, "keep");
        string link = dir.File("link");
        File.CreateSymbolicLink(link, "real/target.eml");

        CliRunner.Result run = CliRunner.Run("compress", dir.File("message.eml"), "-o", link);

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal("real/target.eml", new FileInfo(link).LinkTarget);
        Assert.Contains("smime-type=compressed-data", File.ReadAllText(target));
        Assert.Equal(["target.eml"],
            Directory.GetFileSystemEntries(dir.File("real")).Select(Path.GetFileName));
    }

    [Fact]
    public void FileNodes_DevNull_IsACharacterDevice()
    {
        // Read-only look: /dev/null is never written by a test.
        Assert.Equal(Mime.FileNodeType.CharacterDevice,
            Mime.FileNodes.GetNodeType("/dev/null", followLinks: false));
    }

    // The reader thread blocks in open() until a writer comes; if the command never opened
    // the pipe, open it here so that the reader sees an empty stream and ends.
    private static byte[] Drain(string fifo, Task<byte[]> reader)
    {
        if (!reader.Wait(TimeSpan.FromSeconds(2)))
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
        }

        Assert.True(reader.Wait(TimeSpan.FromSeconds(20)), "the FIFO reader did not end");
        return reader.Result;
    }

    private static void RunTool(string tool, params string[] args)
    {
        using Process process = Process.Start(tool, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
