using System.Security.Cryptography;
using System.Text;
using Smime.Mime;
using Smime.Tests.Support;

namespace Smime.Tests.Mime;

public sealed class RawEntityReaderTests
{
    [Fact]
    public void IndexOfBareLf_RandomCrLfText_SameAsByteByByte()
    {
        var random = new Random(8551);
        byte[] alphabet = "\r\n\r\nab"u8.ToArray();
        for (int round = 0; round < 2000; round++)
        {
            byte[] chunk = new byte[random.Next(0, 80)];
            for (int i = 0; i < chunk.Length; i++)
            {
                // Mostly CRLF text, now and then a lone LF or CR.
                chunk[i] = random.Next(8) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)'x';
            }

            byte previous = random.Next(2) == 0 ? (byte)'\r' : (byte)'y';
            int from = chunk.Length == 0 ? 0 : random.Next(0, chunk.Length + 1);

            Assert.Equal(
                Naive(chunk, from, previous),
                LineEnds.IndexOfBareLf(chunk, from, previous));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1_048_575)]
    [InlineData(1_048_576)]
    [InlineData(1_048_577)]
    [InlineData(2_000_000)]
    public void Hash_OneBareLfAnywhere_DigestOfTheCrLfForm(int at)
    {
        // CRLF lines with one bare LF, also where a 1 MiB read ends; the canonical digest is
        // that of the bytes with a CR put before it, the raw digest that of the bytes as they are.
        var text = new StringBuilder();
        while (text.Length < 2_100_000)
        {
            text.Append("A line of signed text, long enough to be ordinary.\r\n");
        }

        byte[] crlf = Encoding.ASCII.GetBytes(text.ToString());
        int lf = Array.IndexOf(crlf, (byte)'\n', at);
        byte[] raw = [.. crlf[..(lf - 1)], .. crlf[lf..]];

        EntityDigests digests = RawEntityReader.Hash(
            new MemoryStream(raw), 0, raw.Length, [HashAlgorithmName.SHA256], CancellationToken.None);

        Assert.Equal(SHA256.HashData(crlf), digests.Canonical[HashAlgorithmName.SHA256]);
        Assert.NotNull(digests.Raw);
        Assert.Equal(SHA256.HashData(raw), digests.Raw[HashAlgorithmName.SHA256]);
    }

    [Fact]
    public void Hash_CrLfOnly_OnePassNoRawDigest()
    {
        byte[] crlf = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("line\r\n", 50_000)));

        EntityDigests digests = RawEntityReader.Hash(
            new MemoryStream(crlf), 6, crlf.Length, [HashAlgorithmName.SHA256], CancellationToken.None);

        Assert.Equal(SHA256.HashData(crlf.AsSpan(6)), digests.Canonical[HashAlgorithmName.SHA256]);
        Assert.Null(digests.Raw);
    }

    [Fact]
    public async Task HashSoon_FileRead_SameDigestsAsTheStreamAndTheStreamUnmoved()
    {
        using var dir = new TempDir();
        byte[] bytes = Encoding.ASCII.GetBytes(
            string.Concat(Enumerable.Repeat("line\r\nbare\n", 300_000)));
        string path = dir.File("message.eml");
        File.WriteAllBytes(path, bytes);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
        file.Position = 123;

        EntityDigests soon = await RawEntityReader.HashSoon(
            file, 10, bytes.Length - 10, [HashAlgorithmName.SHA256], CancellationToken.None);
        EntityDigests now = RawEntityReader.Hash(
            new MemoryStream(bytes), 10, bytes.Length - 10, [HashAlgorithmName.SHA256],
            CancellationToken.None);

        Assert.Equal(now.Canonical[HashAlgorithmName.SHA256], soon.Canonical[HashAlgorithmName.SHA256]);
        Assert.Equal(now.Raw![HashAlgorithmName.SHA256], soon.Raw![HashAlgorithmName.SHA256]);
        Assert.Equal(123, file.Position);
    }

    [Fact]
    public async Task HashSoon_FileShorterThanTheRange_FormatExceptionWhenAwaited()
    {
        using var dir = new TempDir();
        string path = dir.File("short.eml");
        File.WriteAllBytes(path, new byte[100]);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read);

        Task<EntityDigests> pending = RawEntityReader.HashSoon(
            file, 0, 200, [HashAlgorithmName.SHA256], CancellationToken.None);

        FormatException e = await Assert.ThrowsAsync<FormatException>(() => pending);
        Assert.Contains("ended before the signed part's end", e.Message);
    }

    private static int Naive(byte[] chunk, int from, byte previous)
    {
        for (int i = from; i < chunk.Length; i++)
        {
            byte before = i == 0 ? previous : chunk[i - 1];
            if (chunk[i] == (byte)'\n' && before != (byte)'\r')
            {
                return i;
            }
        }

        return -1;
    }
}
