using System.Security.Cryptography.X509Certificates;
using System.Text;
using MimeKit;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// Multi-megabyte messages through the in-place encrypt and decrypt: exact bytes both ways
/// with openssl cms, DER and 76-character lines out, tampered content refused with no output.
/// </summary>
public sealed class LargeEncryptedMessageTests
{
    private const string EntityHeaders = "Content-Type: application/octet-stream\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "\r\n";

    private static readonly Lazy<X509Certificate2> s_bob =
        new(() => TestPki.Shared.Issue("bob@example.com"));

    private static X509Certificate2 Bob => s_bob.Value;

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc)]
    public void Encrypt_SixMegabytes_OpenSslDecryptsTheExactEntity(
        ContentEncryptionAlgorithm algorithm)
    {
        using var dir = new TempDir();
        TestPki.WritePem(Bob, dir.File("bob.pem"), dir.File("bob.key"));
        string entity = EntityHeaders + Base64Body(4_500_000 + 1);
        File.WriteAllBytes(dir.File("enc.eml"), Encrypt(Message(entity), algorithm, null, Bob));

        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-binary", "-in", "enc.eml",
            "-recip", "bob.pem", "-inkey", "bob.key", "-out", "plain.eml");

        Assert.Equal(Encoding.ASCII.GetBytes(entity), File.ReadAllBytes(dir.File("plain.eml")));
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 3_000_000)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, 3_000_001)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 1_000)]
    public void Encrypt_Output_StrictDerIn76CharacterLines(
        ContentEncryptionAlgorithm algorithm,
        int size)
    {
        byte[] encrypted = Encrypt(
            Message(EntityHeaders + Base64Body(size)), algorithm, null, Bob);

        MimeMessage message = MimeMessage.Load(new MemoryStream(encrypted));
        var part = Assert.IsType<MimePart>(message.Body, exactMatch: false);
        using var raw = new MemoryStream();
        Stream body = part.Content!.Stream!;
        body.Position = 0;
        body.CopyTo(raw);
        string[] lines = Encoding.ASCII.GetString(raw.ToArray()).Split("\r\n");
        Assert.Equal("", lines[^1]);
        Assert.All(lines[..^2], line => Assert.Equal(76, line.Length));
        Assert.InRange(lines[^2].Length, 4, 76);
        byte[] der = Convert.FromBase64String(string.Concat(lines));

        DerCheck.AssertStrictDer(der);
        DecryptedContent decrypted = EnvelopedContent.Decrypt(der, [Bob]);
        Assert.EndsWith(Base64Body(size), Encoding.ASCII.GetString(decrypted.Content));
    }

    [Theory]
    [InlineData("-aes-256-gcm")]
    [InlineData("-aes256")]
    public void Read_OpenSslStreamedSixMegabytes_ExactEntity(string cipher)
    {
        // -stream: indefinite lengths and encryptedContent in 4 KB segments, joined in place.
        using var dir = new TempDir();
        TestPki.WritePem(Bob, dir.File("bob.pem"));
        string entity = EntityHeaders + Base64Body(4_500_000 + 2);
        File.WriteAllText(dir.File("entity.eml"), entity);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-binary", "-stream", cipher,
            "-in", "entity.eml", "-out", "enc.eml", "bob.pem");

        Read(File.ReadAllBytes(dir.File("enc.eml")), out byte[] content, keys: [Bob]);

        Assert.EndsWith("MIME-Version: 1.0\r\n" + entity, Encoding.ASCII.GetString(content));
    }

    [Fact]
    public void Read_GcmCiphertextAltered_RefusedWithNoOutput()
    {
        byte[] encrypted = Encrypt(
            Message(EntityHeaders + Base64Body(2_000_000)),
            ContentEncryptionAlgorithm.Aes256Gcm,
            null,
            Bob);

        // One base64 character in the middle of the body: a ciphertext byte changes.
        int middle = encrypted.Length / 2;
        while (encrypted[middle] is (byte)'\r' or (byte)'\n')
        {
            middle++;
        }

        encrypted[middle] = encrypted[middle] == (byte)'A' ? (byte)'B' : (byte)'A';
        using var output = new MemoryStream();
        var options = new ReadOptions { DecryptionKeys = [Bob], DecryptOnly = true };

        var e = Assert.Throws<CmsDecryptionException>(
            () => SmimeReader.Read(new MemoryStream(encrypted), options, output));

        Assert.Contains("tag does not match", Assert.Single(e.Failures).Reason);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void EncryptThenRead_SignedFirstAndCompressed_RoundTrips()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string entity = EntityHeaders + Base64Body(1_000_000);
        using var encrypted = new MemoryStream();
        SmimeWriter.Encrypt(new MemoryStream(Message(entity)), encrypted, new EncryptOptions
        {
            Recipients = [new CmsRecipient(Bob)],
            Algorithm = ContentEncryptionAlgorithm.Aes256Cbc,
            SignFirst = new SignOptions { Signers = [new CmsSigner(alice)] },
            CompressFirst = true,
        });

        ReadResult result = Read(encrypted.ToArray(), out byte[] content, keys: [Bob]);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.EndsWith(entity, Encoding.ASCII.GetString(content));
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm)]
    public void Encrypt_CancelledWhileTheCiphertextIsWritten_StopsThere(
        ContentEncryptionAlgorithm algorithm)
    {
        // Cancelled once the output has its first 64 KB: the rest is not written.
        using var cancel = new CancellationTokenSource();
        var output = new CancelAfter(65_536, cancel);

        Assert.ThrowsAny<OperationCanceledException>(() => SmimeWriter.Encrypt(
            new MemoryStream(Message(EntityHeaders + Base64Body(12_000_000))), output,
            new EncryptOptions { Recipients = [new CmsRecipient(Bob)], Algorithm = algorithm },
            cancel.Token));
        Assert.InRange(output.Length, 65_536, 8_000_000);
    }

    /// <summary>A sink that cancels a token once it holds a number of bytes.</summary>
    private sealed class CancelAfter(long limit, CancellationTokenSource cancel) : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) =>
            Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            if (_length >= limit)
            {
                cancel.Cancel();
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static byte[] Message(string entity) => Encoding.ASCII.GetBytes(
        "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.com>\r\n"
        + "Subject: large\r\n"
        + "MIME-Version: 1.0\r\n"
        + entity);

    /// <summary>Random bytes of this length as base64 in 76-character CRLF lines.</summary>
    private static string Base64Body(int size)
    {
        // Seeded by the size: the same text each time it is asked for.
        var random = new Random(size);
        byte[] data = new byte[size];
        random.NextBytes(data);
        return Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) + "\r\n";
    }
}
