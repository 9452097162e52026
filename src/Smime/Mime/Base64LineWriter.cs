using System.Buffers;
using System.Buffers.Text;

namespace Smime.Mime;

/// <summary>
/// Writes bytes given in any number of pieces as base64 in 76-character lines, each ended by
/// CRLF (RFC 2045 §6.8), through one pooled buffer: a large body is encoded as it is written,
/// never held encoded in memory.
/// </summary>
internal sealed class Base64LineWriter : IDisposable
{
    // RFC 2045 §6.8: encoded lines are at most 76 characters, 57 octets of input.
    private const int LineInput = 57;
    private const int LineChars = 76;
    private const int LineBytes = LineChars + 2;
    private const int LinesPerBlock = 2048;

    private readonly Stream _output;
    private readonly byte[] _lines;
    private readonly byte[] _encoded;
    private readonly byte[] _pending = new byte[LineInput];
    private int _pendingLength;
    private int _filled;

    public Base64LineWriter(Stream output)
    {
        _output = output;
        _lines = ArrayPool<byte>.Shared.Rent(LineBytes * LinesPerBlock);
        _encoded = ArrayPool<byte>.Shared.Rent(LineChars * LinesPerBlock);
    }

    /// <summary>Adds bytes; whole lines are encoded, the rest waits for more.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_pendingLength > 0)
        {
            int take = Math.Min(LineInput - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < LineInput)
            {
                return;
            }

            WriteLines(_pending);
            _pendingLength = 0;
        }

        int whole = data.Length - (data.Length % LineInput);
        for (int offset = 0; offset < whole; offset += LineInput * LinesPerBlock)
        {
            WriteLines(data[offset..Math.Min(whole, offset + (LineInput * LinesPerBlock))]);
        }

        data[whole..].CopyTo(_pending);
        _pendingLength = data.Length - whole;
    }

    /// <summary>Writes the last, shorter line (padded) and everything still buffered.</summary>
    public void Finish()
    {
        if (_pendingLength > 0)
        {
            Reserve();
            Base64.EncodeToUtf8(
                _pending.AsSpan(0, _pendingLength), _lines.AsSpan(_filled), out _, out int written);
            _filled += written;
            _lines[_filled++] = (byte)'\r';
            _lines[_filled++] = (byte)'\n';
            _pendingLength = 0;
        }

        _output.Write(_lines, 0, _filled);
        _filled = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_encoded);
        ArrayPool<byte>.Shared.Return(_lines);
    }

    // Whole lines only: the block is encoded in one vectorised call, then cut into lines.
    private void WriteLines(ReadOnlySpan<byte> block)
    {
        Base64.EncodeToUtf8(block, _encoded, out _, out int encoded);
        for (int start = 0; start < encoded; start += LineChars)
        {
            Reserve();
            _encoded.AsSpan(start, LineChars).CopyTo(_lines.AsSpan(_filled));
            _filled += LineChars;
            _lines[_filled++] = (byte)'\r';
            _lines[_filled++] = (byte)'\n';
        }
    }

    private void Reserve()
    {
        if (_filled > (LineBytes * LinesPerBlock) - LineBytes)
        {
            _output.Write(_lines, 0, _filled);
            _filled = 0;
        }
    }
}
