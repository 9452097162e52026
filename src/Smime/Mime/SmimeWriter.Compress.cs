using MimeKit;

namespace Smime.Mime;

public static partial class SmimeWriter
{
    /// <summary>
    /// Compresses the message read from <paramref name="input"/> (RFC 8551 §3.7): the outer
    /// headers stay, the canonical body becomes an application/pkcs7-mime compressed-data part.
    /// </summary>
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static void Compress(
        Stream input,
        Stream output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);

        MimeMessage message = Parse(input, cancellationToken);
        MimeEntity body = message.Body
            ?? throw new FormatException("The message has no body to compress.");
        Canonicalizer.Canonicalize(body, cancellationToken);

        var content = new ContentBuffer(CapacityFor(input), spare: 0);
        CanonicalWriter.Write(body, content, cancellationToken);
        MimeFraming.WriteOuterHeaders(message, output, keepMimeVersion: false, cancellationToken);
        CompressedLayer.Write(content.Buffer.AsSpan(0, (int)content.Length), output);
        output.Flush();
    }
}
