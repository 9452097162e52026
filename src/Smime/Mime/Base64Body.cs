using System.Buffers;
using System.Buffers.Text;
using MimeKit;

namespace Smime.Mime;

/// <summary>
/// Decodes a base64 part body (a .p7m or .p7s) into one array. The encoded bytes are read in
/// chunks, line breaks squeezed out in place and decoded by the vectorised decoder straight
/// into an array sized for the decoded bytes: one allocation of the decoded size, instead of
/// MimeKit's filter chain and a growing MemoryStream, or the whole encoded text in memory.
/// </summary>
internal static class Base64Body
{
    // Large reads, so that the file system and the decoder work in long runs.
    private const int ChunkSize = 1 << 20;

    // Characters held back between chunks: the last whole quad (it may be the padded one,
    // which only a final block may hold) and up to three more.
    private const int CarrySpace = 8;

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

        // Every 4 characters give at most 3 bytes; whitespace only shrinks it. Pages of the
        // array that the decoded bytes do not reach are never touched.
        byte[] output = GC.AllocateUninitializedArray<byte>((int)(source.Length / 4 * 3 + 3));
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize + CarrySpace);
        try
        {
            int written = 0;
            int carry = 0;
            int read;

            // Read(byte[], ...) and not a span: MimeKit's BoundStream has no span override,
            // and Stream's default would rent (and fill) a second array of the whole length.
            while ((read = source.Read(chunk, carry, ChunkSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int length = carry + RemoveWhitespace(chunk.AsSpan(carry, read));
                int whole = Math.Max(0, length - 4) & ~3;
                OperationStatus status = Base64.DecodeFromUtf8(
                    chunk.AsSpan(0, whole),
                    output.AsSpan(written),
                    out int consumed,
                    out int decoded,
                    isFinalBlock: false);
                if (status is not (OperationStatus.Done or OperationStatus.NeedMoreData)
                    || length - consumed > CarrySpace)
                {
                    return null;
                }

                written += decoded;
                carry = length - consumed;
                chunk.AsSpan(consumed, carry).CopyTo(chunk);
            }

            // RFC 2045 §6.8: characters outside the alphabet are to be ignored; a body that
            // still does not decode is left to MimeKit's lenient decoder.
            OperationStatus last = Base64.DecodeFromUtf8(
                chunk.AsSpan(0, carry), output.AsSpan(written), out _, out int tail);
            return last == OperationStatus.Done
                ? output.AsMemory(0, written + tail)
                : (ReadOnlyMemory<byte>?)null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
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
