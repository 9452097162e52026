using System.Text;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>Standard input is spooled to a file no one can find, and only while it is a message.</summary>
public sealed class InputFileTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(20);

    [Fact]
    public void Verify_StdinIsEndlessYes_RefusedAtOnce()
    {
        using var stdin = new EndlessStream([], "y\n"u8.ToArray());

        CliRunner.Result run = RunGuarded(null, stdin, "verify", "--no-revocation");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("smime: stdin: does not start like a message (a header field such as "
            + "'From: ...'); give a MIME message.\n", run.StdErr);
        Assert.True(stdin.BytesRead < 1024 * 1024, $"{stdin.BytesRead} bytes read");
    }

    [Fact]
    public void Compress_StdinLargerThanTheLimit_RefusedWithTheLimit()
    {
        using var stdin = new EndlessStream(
            "From: a@example.com\r\n\r\n"u8.ToArray(), "TOP SECRET\r\n"u8.ToArray());

        CliRunner.Result run = RunGuarded(64 * 1024, stdin, "compress");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("smime: stdin: holds more than 65536 bytes; give the message as a file.\n",
            run.StdErr);
        Assert.Empty(run.StdOutBytes);
        Assert.True(stdin.BytesRead < 65536 + 81920 * 2, $"{stdin.BytesRead} bytes read");
    }

    [Fact]
    public void Compress_StdinAtTheLimit_Accepted()
    {
        byte[] message = Encoding.ASCII.GetBytes(Files.Message);
        using var stdin = new MemoryStream(message);

        CliRunner.Result run = RunGuarded(message.Length, stdin, "compress");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("smime-type=compressed-data", run.StdOut);
    }

    [Theory]
    [InlineData("Subject : spaced\r\n\r\nbody\r\n")]
    [InlineData("\r\nno headers\r\n")]
    public void Compress_StdinStartsWithAnAllowedForm_NotRefusedAsNotAMessage(string message)
    {
        using var stdin = new MemoryStream(Encoding.ASCII.GetBytes(message));

        CliRunner.Result run = RunGuarded(null, stdin, "compress");

        Assert.DoesNotContain("does not start like a message", run.StdErr);
    }

    [Fact]
    public void Encrypt_StdinWhileSpooled_TheSpoolFileHasNoName()
    {
        using var dir = new TempDir();
        Files.User bob = Files.WriteUser(dir, "bob");
        var named = new List<string>();
        using var stdin = new EndlessStream(
            "From: a@example.com\r\n\r\n"u8.ToArray(), "TOP SECRET\r\n"u8.ToArray(),
            limit: 300_000, onRead: () => named.AddRange(NamedSpoolFiles()));

        CliRunner.Result run = RunGuarded(null, stdin, "encrypt", "--to", bob.Crt);

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.True(stdin.Reads > 2);
        Assert.Empty(named);
    }

    // The files this process holds open under a smime-*.tmp name that still has that name.
    private static IEnumerable<string> NamedSpoolFiles() =>
        Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget ?? "";
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(t => Path.GetFileName(t).StartsWith("smime-", StringComparison.Ordinal)
                && !t.EndsWith("(deleted)", StringComparison.Ordinal))
            .ToList();

    private static CliRunner.Result RunGuarded(long? limit, Stream stdin, params string[] args)
    {
        Task<CliRunner.Result> run = Task.Run(() =>
        {
            InputFile.StdinLimitForTests.Value = limit;
            using var output = new MemoryStream();
            using var error = new StringWriter();
            int code = Cli.Run(args, stdin, output, error);
            return new CliRunner.Result(code, output.ToArray(), error.ToString());
        });
        Assert.True(run.Wait(s_guard), "the command did not end");
        return run.Result;
    }

    /// <summary>A head, then a pattern repeated until the limit (or forever).</summary>
    private sealed class EndlessStream(
        byte[] head, byte[] pattern, long limit = long.MaxValue, Action? onRead = null) : Stream
    {
        public long BytesRead { get; private set; }

        public int Reads { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            if (Reads > 1)
            {
                onRead?.Invoke();
            }

            int n = 0;
            while (n < count && BytesRead < limit)
            {
                buffer[offset + n] = BytesRead < head.Length
                    ? head[BytesRead]
                    : pattern[(BytesRead - head.Length) % pattern.Length];
                n++;
                BytesRead++;
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();
    }
}
