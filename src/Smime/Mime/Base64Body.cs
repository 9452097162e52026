using System.Buffers;
using System.Buffers.Text;
using MimeKit;

namespace Smime.Mime;

/// <summary>
/// Decodes a base64 part body (a .p7m or .p7s) into one array. The encoded bytes are read
/// once into that array, line breaks squeezed out in place, and decoded in place by the
/// vectorised decoder: one allocation instead of MimeKit's filter chain and a growing
/// MemoryStream, which on a 100 MB message is most of the time decryption takes.
/// </summary>
internal static class Base64Body
{
    /// <summary>The decoded body, or null when the part is not plain base64 from a stream.</summary>
    public static ReadOnlyMemory<byte>? TryDecode(MimePart part, CancellationToken cancellationToken)
    {
        if (part.ContentTransferEncoding != ContentEncoding.Base64
            || part.Content is not { Encoding: ContentEncoding.Base64, Stream: { CanSeek: true } source }
            || source.Length > int.MaxValue)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        source.Position = 0;
        byte[] buffer = GC.AllocateUninitializedArray<byte>((int)source.Length);
        source.ReadExactly(buffer);
        int length = RemoveWhitespace(buffer);

        // RFC 2045 §6.8: characters outside the alphabet are to be ignored; a body that still
        // does not decode is left to MimeKit's lenient decoder.
        OperationStatus status = Base64.DecodeFromUtf8InPlace(
            buffer.AsSpan(0, length), out int written);
        return status == OperationStatus.Done
            ? buffer.AsMemory(0, written)
            : (ReadOnlyMemory<byte>?)null;
    }

    private static int RemoveWhitespace(Span<byte> data)
    {
        ReadOnlySpan<byte> whitespace = "\r\n \t"u8;
        int first = data.IndexOfAny(whitespace);
        if (first < 0)
        {
            return data.Length;
        }

        int write = first;
        int read = first;
        while (read < data.Length)
        {
            int skip = data[read..].IndexOfAnyExcept(whitespace);
            if (skip < 0)
            {
                break;
            }

            read += skip;
            int run = data[read..].IndexOfAny(whitespace);
            int length = run < 0 ? data.Length - read : run;
            data.Slice(read, length).CopyTo(data[write..]);
            write += length;
            read += length;
        }

        return write;
    }
}
