using System.Text;

namespace Smime.Mime;

/// <summary>
/// Watches the bytes a MIME parser reads and refuses a header field longer than
/// <see cref="SmimeLimits.MaxHeaderFieldLength"/>. MimeKit grows its header buffer in small
/// steps, so one huge field (a 50 MB Subject, or a million folded lines) costs time quadratic
/// in its length: minutes for a few megabytes.
/// </summary>
/// <remarks>
/// Header blocks are found as the parser would find them: at the start, after a line that
/// begins with "--" (a boundary; RFC 2046 §5.1.1), and in the body of a message/* part
/// (RFC 2046 §5.2). Body lines are never limited: binary content may have lines of any length.
/// </remarks>
internal sealed class HeaderScanner
{
    private const int HeadSize = 32;
    private static readonly byte[] s_contentType = "content-type:"u8.ToArray();
    private static readonly byte[] s_message = "message/"u8.ToArray();

    private readonly byte[] _head = new byte[HeadSize];
    private readonly int _limit;
    private long _offset;
    private long _lineStart;
    private long _fieldStart;
    private bool _inHeaders = true;
    private long _lineLength;
    private long _fieldLength;
    private bool _fieldIsContentType;
    private bool _bodyIsMessage;

    public HeaderScanner(int limit = SmimeLimits.MaxHeaderFieldLength)
    {
        _limit = limit;
    }

    /// <summary>Scans the next bytes of the stream.</summary>
    /// <exception cref="FormatException">A header field is longer than the limit.</exception>
    public void Scan(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> segment = newline < 0 ? data : data[..newline];
            Append(segment);
            _offset += segment.Length;
            if (newline < 0)
            {
                return;
            }

            EndLine();
            _offset++;
            _lineStart = _offset;
            data = data[(newline + 1)..];
        }
    }

    private void Append(ReadOnlySpan<byte> segment)
    {
        if (_lineLength < HeadSize)
        {
            int take = (int)Math.Min(HeadSize - _lineLength, segment.Length);
            segment[..take].CopyTo(_head.AsSpan((int)_lineLength));
        }

        _lineLength += segment.Length;
        if (!_inHeaders || _lineLength == 0)
        {
            return;
        }

        bool continued = IsContinuation();
        long field = continued ? _fieldLength + _lineLength : _lineLength;
        if (field > _limit)
        {
            long start = continued ? _fieldStart : _lineStart;
            throw new FormatException(
                $"The header field at byte {start} is longer than {_limit} bytes "
                + $"(\"{Printable(_head)}...\"); the message is refused.");
        }
    }

    private void EndLine()
    {
        ReadOnlySpan<byte> head = _head.AsSpan(0, (int)Math.Min(_lineLength, HeadSize));
        bool empty = head.IsEmpty || (head.Length == 1 && head[0] == (byte)'\r');
        if (!_inHeaders)
        {
            // A boundary line: the part's header block follows.
            _inHeaders = head.StartsWith("--"u8);
            _fieldLength = 0;
        }
        else if (empty)
        {
            // The header block ends; a message/* body is itself a header block first.
            _inHeaders = _bodyIsMessage;
            _bodyIsMessage = false;
            _fieldLength = 0;
        }
        else if (IsContinuation())
        {
            _fieldLength += _lineLength + 1;
            if (_fieldIsContentType && StartsWithMessage(head))
            {
                _bodyIsMessage = true;
            }
        }
        else
        {
            _fieldLength = _lineLength + 1;
            _fieldStart = _lineStart;
            _fieldIsContentType = StartsWithIgnoreCase(head, s_contentType);
            if (_fieldIsContentType && StartsWithMessage(head[s_contentType.Length..]))
            {
                _bodyIsMessage = true;
            }
        }

        _lineLength = 0;
    }

    private static string Printable(ReadOnlySpan<byte> head)
    {
        var text = new StringBuilder(head.Length);
        foreach (byte b in head[..Math.Min(head.Length, 20)])
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }

        return text.ToString();
    }

    private bool IsContinuation() => _lineLength > 0 && _head[0] is (byte)' ' or (byte)'\t';

    private static bool StartsWithMessage(ReadOnlySpan<byte> value) =>
        StartsWithIgnoreCase(value.TrimStart(" \t"u8), s_message);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix) =>
        text.Length >= prefix.Length
        && Ascii.EqualsIgnoreCase(text[..prefix.Length], prefix);
}
