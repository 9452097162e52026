using MimeKit;
using MimeKit.IO;

namespace Smime.Mime;

/// <summary>
/// A MIME tree parsed persistently from a seekable stream, with the source offsets of each
/// entity so signed parts can be hashed from their exact bytes.
/// </summary>
internal sealed class ParsedSource
{
    private readonly Dictionary<MimeEntity, (long Begin, long End)> _offsets =
        new(ReferenceEqualityComparer.Instance);

    private ParsedSource(Stream stream)
    {
        Stream = stream;
    }

    /// <summary>The stream parsed; its content stays in it.</summary>
    public Stream Stream { get; }

    /// <summary>The message, for a message parse.</summary>
    public MimeMessage? Message { get; private set; }

    /// <summary>
    /// The first Content-Type field whose parameters readers may read differently, as a
    /// sentence; null when there is none. Every entity of the parse is checked.
    /// </summary>
    public string? FramingProblem { get; private set; }

    /// <summary>The top entity.</summary>
    public MimeEntity Entity { get; private set; } = null!;

    /// <summary>Parses a whole message.</summary>
    /// <param name="stream">The message, seekable, from its current position to the end.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <param name="leafShortcut">
    /// True to parse only the header block of a message whose body is one leaf part (an
    /// application/pkcs7-mime body above all) and take the rest of the stream as its content,
    /// as a full parse would; false for the full parse (tests compare the two).
    /// </param>
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static ParsedSource ParseMessage(
        Stream stream, CancellationToken cancellationToken, bool leafShortcut = true)
    {
        if (stream.Length - stream.Position <= 0)
        {
            throw new FormatException("The input is empty; it holds no message.");
        }

        long start = stream.Position;
        if (leafShortcut && FindBodyStart(stream) is long bodyStart)
        {
            ParsedSource headers =
                Parse(new PrefixStream(stream, bodyStart), stream, cancellationToken);
            // An empty body stays without content, as MimeKit leaves it.
            if (headers.Entity is MimePart part && bodyStart < stream.Length)
            {
                // A leaf's content ends where the message ends: MimeKit would find that by
                // reading (and line-counting) every byte of a 100 MB .p7m first.
                part.Content = new MimeContent(
                    new BoundStream(stream, bodyStart, stream.Length, leaveOpen: true),
                    part.ContentTransferEncoding);
                headers._offsets[part] = (headers._offsets[part].Begin, stream.Length);
                return headers;
            }

            stream.Position = start;
        }

        return Parse(stream, stream, cancellationToken);
    }

    private static ParsedSource Parse(
        Stream parsed, Stream stream, CancellationToken cancellationToken)
    {
        var source = new ParsedSource(stream);
        MimeParser parser = source.CreateParser(parsed, MimeFormat.Default);
        try
        {
            source.Message = parser.ParseMessage(cancellationToken);
        }
        catch (FormatException e) when (e.Source == "MimeKit")
        {
            throw new FormatException($"The input is not a MIME message: {e.Message}", e);
        }

        source.Entity = source.Message.Body
            ?? throw new FormatException("The message has no body.");
        return source;
    }

    /// <summary>
    /// The offset just after the blank line that ends the header block, when it is found in
    /// the first <see cref="SmimeLimits.MaxHeaderFieldLength"/> bytes; null otherwise (no
    /// header block, no body, or headers too long to look through here).
    /// </summary>
    private static long? FindBodyStart(Stream stream)
    {
        long start = stream.Position;
        byte[] head =
            new byte[(int)Math.Min(SmimeLimits.MaxHeaderFieldLength, stream.Length - start)];
        stream.ReadExactly(head);
        stream.Position = start;
        ReadOnlySpan<byte> text = head;

        // MimeKit skips a UTF-8 byte order mark first: a blank line after it is an empty
        // header block, which the search below would not see.
        ReadOnlySpan<byte> first = text.StartsWith("\uFEFF"u8) ? text[3..] : text;
        if (first.StartsWith("\n"u8) || first.StartsWith("\r\n"u8))
        {
            return null;
        }

        for (int newline = text.IndexOf((byte)'\n'); newline >= 0;)
        {
            ReadOnlySpan<byte> next = text[(newline + 1)..];
            if (next.StartsWith("\n"u8))
            {
                return start + newline + 2;
            }

            if (next.StartsWith("\r\n"u8))
            {
                return start + newline + 3;
            }

            int further = next.IndexOf((byte)'\n');
            newline = further < 0 ? -1 : newline + 1 + further;
        }

        return null;
    }

    /// <summary>Parses a MIME entity (decrypted or encapsulated content).</summary>
    /// <exception cref="FormatException">The content is not a MIME entity.</exception>
    public static ParsedSource ParseEntity(Stream stream, CancellationToken cancellationToken)
    {
        var source = new ParsedSource(stream);
        MimeParser parser = source.CreateParser(stream, MimeFormat.Entity);
        try
        {
            source.Entity = parser.ParseEntity(cancellationToken);
        }
        catch (FormatException e) when (e.Source == "MimeKit")
        {
            throw new FormatException(
                $"The content inside the S/MIME layer is not a MIME entity: {e.Message}", e);
        }

        return source;
    }

    /// <summary>
    /// The entity's bytes in the source: from its first header to the byte before the line
    /// break that precedes the next boundary (RFC 1847 §2.1), as MimeKit reports them.
    /// </summary>
    public (long Begin, long End) Offsets(MimeEntity entity) =>
        _offsets.TryGetValue(entity, out (long, long) range)
            ? range
            : throw new InvalidOperationException("The entity was not parsed from this source.");

    private MimeParser CreateParser(Stream parsed, MimeFormat format)
    {
        // The parser reads through a guard against huge header fields; offsets and content
        // reads still refer to the stream itself.
        var parser = new MimeParser(new HeaderLimitStream(parsed), format, persistent: true);
        parser.MimeEntityEnd += (_, e) =>
        {
            _offsets[e.Entity] = (e.BeginOffset, e.EndOffset);
            foreach (Header header in e.Entity.Headers)
            {
                if (FramingProblem is null && header.Id == HeaderId.ContentType)
                {
                    FramingProblem = ContentTypeParameters.FindAmbiguity(header);
                }
            }
        };
        ParseGuard.Attach(parser);
        return parser;
    }

    /// <summary>
    /// The stream up to a limit, at the stream's own offsets: the parser sees the header
    /// block end there, and the offsets it reports are those of the whole stream.
    /// </summary>
    private sealed class PrefixStream(Stream inner, long limit) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => limit;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long left = limit - inner.Position;
            return left <= 0 ? 0 : inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            origin == SeekOrigin.End
                ? inner.Seek(limit + offset, SeekOrigin.Begin)
                : inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();
    }
}
