using System.Text;
using Smime.Mime;

namespace Smime.Tests.Mime;

/// <summary>The spool of a non-seekable input has no name while it is written.</summary>
public sealed class SmimeReaderSpoolTests
{
    [Fact]
    public void Read_NonSeekableInput_SpoolFileHasNoName()
    {
        byte[] message = Encoding.ASCII.GetBytes("From: a@example.com\r\n\r\n"
            + string.Concat(Enumerable.Repeat("TOP SECRET\r\n", 30_000)));
        var named = new List<string>();
        using var input = new WatchingStream(message, () => named.AddRange(NamedSpoolFiles()));

        ReadResult result = SmimeReader.Read(input, new ReadOptions(), null);

        Assert.Empty(result.Verdict.Signers);
        Assert.True(input.Reads > 2);
        Assert.Empty(named);
    }

    private static readonly string TempFolder =
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.GetTempPath()));

    // Files this process holds open directly in the temp folder under a name.
    private static List<string> NamedSpoolFiles() =>
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
            .Where(t => t.Length > 0 && Path.GetDirectoryName(t) == TempFolder
                && !t.EndsWith("(deleted)", StringComparison.Ordinal))
            .ToList();

    // Reads in small pieces, looking at the open files after the first.
    private sealed class WatchingStream(byte[] data, Action onRead) : MemoryStream(data)
    {
        public int Reads { get; private set; }

        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (++Reads > 1)
            {
                onRead();
            }

            return base.Read(buffer, offset, Math.Min(count, 4096));
        }

        public override int Read(Span<byte> buffer)
        {
            if (++Reads > 1)
            {
                onRead();
            }

            return base.Read(buffer[..Math.Min(buffer.Length, 4096)]);
        }
    }
}
