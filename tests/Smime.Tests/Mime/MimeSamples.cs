using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;

namespace Smime.Tests.Mime;

/// <summary>Messages and shortcuts shared by the Mime tests.</summary>
internal static class MimeSamples
{
    public const string BodyText = "H\u00e4llo Bob,\r\nthis message is signed.\r\n";

    /// <summary>A small 8bit text message from the given address, CRLF line ends.</summary>
    public static byte[] TextMessage(string from = "alice@example.com") =>
        Encoding.UTF8.GetBytes(
            $"From: Alice <{from}>\r\n"
            + "To: Bob <bob@example.com>\r\n"
            + "Subject: S/MIME test\r\n"
            + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + BodyText);

    public static byte[] Sign(byte[] message, params X509Certificate2[] signers) =>
        Sign(message, opaque: false, signers);

    public static byte[] Sign(byte[] message, bool opaque, params X509Certificate2[] signers)
    {
        using var output = new MemoryStream();
        SmimeWriter.Sign(new MemoryStream(message), output, new SignOptions
        {
            Signers = signers.Select(s => new CmsSigner(s)).ToArray(),
            Opaque = opaque,
        });
        return output.ToArray();
    }

    public static byte[] Encrypt(
        byte[] message,
        ContentEncryptionAlgorithm algorithm,
        SignOptions? signFirst,
        params X509Certificate2[] recipients)
    {
        using var output = new MemoryStream();
        SmimeWriter.Encrypt(new MemoryStream(message), output, new EncryptOptions
        {
            Recipients = recipients.Select(r => new CmsRecipient(r)).ToArray(),
            Algorithm = algorithm,
            SignFirst = signFirst,
        });
        return output.ToArray();
    }

    /// <summary>Reads with the shared test root as the only anchor.</summary>
    public static ReadResult Read(
        byte[] message,
        out byte[] content,
        X509Certificate2[]? keys = null,
        bool trust = true,
        int maxDepth = SmimeLimits.MaxLayers)
    {
        using var output = new MemoryStream();
        ReadResult result = SmimeReader.Read(new MemoryStream(message), new ReadOptions
        {
            DecryptionKeys = keys ?? [],
            TrustAnchors = trust ? [TestPki.Shared.Root] : [],
            MaxDepth = maxDepth,
        }, output);
        content = output.ToArray();
        return result;
    }

    public static ReadResult Read(byte[] message) => Read(message, out _);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Frames a detached signature over an entity as a multipart/signed message.</summary>
    public static byte[] FrameClearSigned(string entity, byte[] signature, string subject)
    {
        const string boundary = "framed-boundary-1";
        string base64 = Convert.ToBase64String(signature, Base64FormattingOptions.InsertLineBreaks);
        return Bytes(
            "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
            + $"Subject: {subject}\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
            + $"micalg=sha-256; boundary=\"{boundary}\"\r\n\r\n"
            + $"--{boundary}\r\n{entity}\r\n--{boundary}\r\n"
            + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + base64 + $"\r\n--{boundary}--\r\n");
    }
}
