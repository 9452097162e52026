using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// Compressed-data layers (RFC 8551 §3.7, RFC 3274) through SmimeWriter and SmimeReader: alone,
/// inside signed and inside encrypted layers, and zip bombs refused. OpenSSL 3.0 on this
/// machine has no zlib (`cms -compress` fails), so the reader is checked on our own output and
/// on CompressedContent's, and the inflated content byte for byte.
/// </summary>
public sealed class CompressedMessageTests
{
    private const string CompressedHeader =
        "Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\n";

    [Fact]
    public void Compress_Alone_ReadsBackTheSameBody()
    {
        byte[] message = TextMessage();
        using var output = new MemoryStream();
        SmimeWriter.Compress(new MemoryStream(message), output);
        string compressed = Text(output.ToArray());

        ReadResult result = Read(output.ToArray(), out byte[] content);

        Assert.Contains(CompressedHeader, compressed);
        Assert.Contains("Content-Disposition: attachment; filename=smime.p7z\r\n", compressed);
        Assert.StartsWith("From: Alice <alice@example.com>\r\n", compressed);
        Assert.DoesNotContain("this message is signed.", compressed);
        Layer layer = Assert.Single(result.Layers);
        Assert.Equal(LayerKind.CompressedData, layer.Kind);
        Assert.Equal(VerdictOutcome.NotSigned, result.Verdict.Outcome);
        Assert.EndsWith(
            "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "H=C3=A4llo Bob,\r\nthis message is signed.\r\n",
            Text(content));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sign_CompressFirst_ValidOverTheCompressedLayer(bool opaque)
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using var output = new MemoryStream();
        SmimeWriter.Sign(new MemoryStream(TextMessage()), output, new SignOptions
        {
            Signers = [new CmsSigner(alice)],
            Opaque = opaque,
            CompressFirst = true,
        });

        ReadResult result = Read(output.ToArray(), out byte[] content);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Equal(
            [opaque ? LayerKind.OpaqueSigned : LayerKind.ClearSigned, LayerKind.CompressedData],
            result.Layers.Select(l => l.Kind));
        Assert.Contains("this message is signed.\r\n", Text(content));
        if (!opaque)
        {
            Assert.Contains(CompressedHeader, Text(output.ToArray()));
        }
    }

    [Fact]
    public void Sign_CompressFirstTamperedCompressedBody_Invalid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using var output = new MemoryStream();
        SmimeWriter.Sign(new MemoryStream(TextMessage()), output, new SignOptions
        {
            Signers = [new CmsSigner(alice)],
            CompressFirst = true,
        });
        string signed = Text(output.ToArray());

        // The first base64 line of the compressed part: change one character of it.
        int body = signed.IndexOf(CompressedHeader, StringComparison.Ordinal);
        int line = signed.IndexOf("\r\n\r\n", body, StringComparison.Ordinal) + 4;
        char replacement = signed[line + 10] == 'A' ? 'B' : 'A';
        string tampered = signed.Remove(line + 10, 1).Insert(line + 10, replacement.ToString());

        ReadResult? result = null;
        Exception? refused = Record.Exception(() => result = Read(Bytes(tampered)));

        // Either the signature fails or the changed zlib stream is refused; never Valid.
        Assert.True(refused is FormatException || result!.Verdict.Outcome != VerdictOutcome.Valid);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, LayerKind.AuthEnvelopedData)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, LayerKind.EnvelopedData)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, LayerKind.AuthEnvelopedData)]
    public void Encrypt_CompressFirst_ReadsBackThroughBothLayers(
        ContentEncryptionAlgorithm algorithm,
        LayerKind encryptedKind)
    {
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        using var output = new MemoryStream();
        SmimeWriter.Encrypt(new MemoryStream(TextMessage()), output, new EncryptOptions
        {
            Recipients = [new CmsRecipient(bob)],
            Algorithm = algorithm,
            CompressFirst = true,
        });

        ReadResult result = Read(output.ToArray(), out byte[] content, keys: [bob]);

        Assert.Equal([encryptedKind, LayerKind.CompressedData], result.Layers.Select(l => l.Kind));
        Assert.Contains("H=C3=A4llo Bob,\r\nthis message is signed.\r\n", Text(content));
    }

    [Fact]
    public void Encrypt_SignThenCompress_SignedInsideCompressedInsideEncrypted()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        using var output = new MemoryStream();
        SmimeWriter.Encrypt(new MemoryStream(TextMessage()), output, new EncryptOptions
        {
            Recipients = [new CmsRecipient(bob)],
            SignFirst = new SignOptions { Signers = [new CmsSigner(alice)] },
            CompressFirst = true,
        });

        ReadResult result = Read(output.ToArray(), out _, keys: [bob]);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Equal(
            [LayerKind.AuthEnvelopedData, LayerKind.CompressedData, LayerKind.ClearSigned],
            result.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void Read_CompressedPastTheCap_RefusedNamingThePart()
    {
        // A megabyte of one repeated line deflates to some ten kilobytes.
        string body = string.Concat(Enumerable.Repeat(new string('a', 62) + "\r\n", 16384));
        byte[] message = Bytes(
            "From: alice@example.com\r\nContent-Type: text/plain\r\n\r\n" + body);
        using var compressed = new MemoryStream();
        SmimeWriter.Compress(new MemoryStream(message), compressed);
        Assert.True(compressed.Length < 16384, $"{compressed.Length} bytes");

        var options = new ReadOptions { MaxInflatedBytes = 64 * 1024 };
        FormatException e = Assert.Throws<FormatException>(() => SmimeReader.Read(
            new MemoryStream(compressed.ToArray()), options, new MemoryStream()));

        Assert.StartsWith(
            "The application/pkcs7-mime compressed-data part is refused: "
            + "The CompressedData inflates to more than 65536 bytes",
            e.Message);
        Assert.Contains("zip bomb", e.Message);
    }

    [Fact]
    public void Read_NestedCompressedLayers_ShareOneCap()
    {
        // Each layer alone stays under the cap; the two together do not.
        byte[] message = Bytes("From: alice@example.com\r\nContent-Type: text/plain\r\n\r\n"
            + new string('b', 40_000) + "\r\n");
        using var once = new MemoryStream();
        SmimeWriter.Compress(new MemoryStream(message), once);
        using var twice = new MemoryStream();
        SmimeWriter.Compress(new MemoryStream(once.ToArray()), twice);
        Layer alone = Assert.Single(Read(once.ToArray()).Layers);
        long inner = long.Parse(alone.Description.Split(' ')[1]);
        var options = new ReadOptions { MaxInflatedBytes = inner + 10 };
        SmimeReader.Read(new MemoryStream(once.ToArray()), options, new MemoryStream());

        FormatException e = Assert.Throws<FormatException>(() => SmimeReader.Read(
            new MemoryStream(twice.ToArray()), options, new MemoryStream()));

        Assert.StartsWith("The application/pkcs7-mime compressed-data part is refused: ", e.Message);
    }

    [Fact]
    public void Read_CompressedUnderTheDefaultCap_Opens()
    {
        Assert.Equal(CompressedContent.DefaultMaxInflatedBytes, new ReadOptions().MaxInflatedBytes);
        byte[] inner = Bytes("Content-Type: text/plain\r\n\r\n" + new string('z', 100_000) + "\r\n");
        string message = "From: alice@example.com\r\nMIME-Version: 1.0\r\n" + CompressedHeader
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(CompressedContent.Compress(inner)) + "\r\n";

        ReadResult result = Read(Bytes(message), out byte[] content);

        Assert.Equal("zlib, 100030 bytes inflated", Assert.Single(result.Layers).Description);
        Assert.EndsWith(new string('z', 100_000) + "\r\n", Text(content));
    }

    [Fact]
    public void Read_P7zWithoutSmimeType_OpensAsCompressed()
    {
        byte[] inner = Bytes("Content-Type: text/plain\r\n\r\nplain inside\r\n");
        string message = "From: alice@example.com\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; name=smime.p7z\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(CompressedContent.Compress(inner)) + "\r\n";

        ReadResult result = Read(Bytes(message), out byte[] content);

        Assert.Equal(LayerKind.CompressedData, Assert.Single(result.Layers).Kind);
        Assert.EndsWith("\r\n\r\nplain inside\r\n", Text(content));
    }

    [Fact]
    public void Read_CorruptZlibStream_RefusedNamingThePart()
    {
        byte[] compressed = CompressedContent.Compress(
            Bytes("Content-Type: text/plain\r\n\r\n" + new string('q', 5000)));
        compressed[^3] ^= 0x5A;
        string message = "From: alice@example.com\r\n" + CompressedHeader
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(compressed) + "\r\n";

        FormatException e = Assert.Throws<FormatException>(() => Read(Bytes(message)));

        Assert.StartsWith("The application/pkcs7-mime compressed-data part is refused: ", e.Message);
    }
}
