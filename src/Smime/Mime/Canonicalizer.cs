using MimeKit;

namespace Smime.Mime;

/// <summary>
/// Puts a MIME entity into the canonical form S/MIME protects (RFC 8551 §3.1.1, §3.1.3):
/// CRLF line ends and 7-bit transfer encodings throughout.
/// </summary>
internal static class Canonicalizer
{
    // RFC 5322 §2.1.1: lines longer than this must be encoded whatever their octets.
    private const int MaxLineLength = 998;

    /// <summary>Format options that write CRLF line ends everywhere.</summary>
    public static FormatOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Gives every leaf that is not 7-bit safe a 7-bit transfer encoding: quoted-printable for
    /// text, base64 for everything else. Leaves already QP or base64 are left alone.
    /// </summary>
    public static void Canonicalize(MimeEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);

        foreach (MimeEntity node in Walk(entity))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (node is MimePart part)
            {
                CanonicalizePart(part, cancellationToken);
            }
        }
    }

    /// <summary>The entity and its descendants, parents first, into attached messages.</summary>
    public static IEnumerable<MimeEntity> Walk(MimeEntity entity)
    {
        var stack = new Stack<MimeEntity>();
        stack.Push(entity);
        while (stack.Count > 0)
        {
            MimeEntity current = stack.Pop();
            yield return current;
            if (current is Multipart multipart)
            {
                for (int i = multipart.Count - 1; i >= 0; i--)
                {
                    stack.Push(multipart[i]);
                }
            }
            else if (current is MessagePart { Message.Body: { } body })
            {
                // RFC 8551 §3.1.3: an attached message is itself made 7-bit safe.
                stack.Push(body);
            }
        }
    }

    private static void CanonicalizePart(MimePart part, CancellationToken cancellationToken)
    {
        switch (part.ContentTransferEncoding)
        {
            case ContentEncoding.QuotedPrintable:
            case ContentEncoding.Base64:
            case ContentEncoding.UUEncode:
                return;
        }

        if (part.Content is null)
        {
            return;
        }

        ContentEncoding best = part.GetBestEncoding(
            EncodingConstraint.SevenBit, MaxLineLength, cancellationToken);
        if (best == ContentEncoding.SevenBit)
        {
            // 7-bit data declared 8bit or binary is relabelled; Default stays as it was.
            if (part.ContentTransferEncoding != ContentEncoding.Default)
            {
                part.ContentTransferEncoding = ContentEncoding.SevenBit;
            }

            return;
        }

        // Quoted-printable keeps text readable and carries its line breaks as CRLF
        // (RFC 8551 §3.1.1); MimeKit would often pick base64 for text.
        part.ContentTransferEncoding = part.ContentType.IsMimeType("text", "*")
            ? ContentEncoding.QuotedPrintable
            : ContentEncoding.Base64;
    }

    private static FormatOptions CreateOptions()
    {
        FormatOptions options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
