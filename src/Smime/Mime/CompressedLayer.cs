using MimeKit;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>
/// The application/pkcs7-mime compressed-data part (RFC 8551 §3.7, RFC 3274): writes one
/// around canonical content, and gives it back as an entity to sign.
/// </summary>
internal static class CompressedLayer
{
    /// <summary>Writes the compressed-data part (Content-* headers, body) for the content.</summary>
    public static void Write(ReadOnlySpan<byte> canonicalContent, Stream output)
    {
        byte[] compressed = CompressedContent.Compress(canonicalContent);

        // RFC 8551 §3.7: smime-type=compressed-data, file name smime.p7z.
        MimeFraming.WriteAscii(output,
            "Content-Type: application/pkcs7-mime; smime-type=compressed-data; "
            + "name=smime.p7z\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=smime.p7z\r\n"
            + "\r\n");
        MimeFraming.WriteBase64Lines(output, compressed);
    }

    /// <summary>Compresses the canonical entity and returns the compressed-data part.</summary>
    public static MimeEntity Wrap(MimeEntity entity, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        CanonicalWriter.Write(entity, content, cancellationToken);
        var part = new MemoryStream();
        Write(content.GetBuffer().AsSpan(0, (int)content.Length), part);
        part.Position = 0;
        return MimeEntity.Load(part, persistent: false, cancellationToken);
    }
}
