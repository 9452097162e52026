using MimeKit;

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
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static ParsedSource ParseMessage(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.Length - stream.Position == 0)
        {
            throw new FormatException("The input is empty; it holds no message.");
        }

        var source = new ParsedSource(stream);
        MimeParser parser = source.CreateParser(MimeFormat.Default);
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

    /// <summary>Parses a MIME entity (decrypted or encapsulated content).</summary>
    /// <exception cref="FormatException">The content is not a MIME entity.</exception>
    public static ParsedSource ParseEntity(Stream stream, CancellationToken cancellationToken)
    {
        var source = new ParsedSource(stream);
        MimeParser parser = source.CreateParser(MimeFormat.Entity);
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

    private MimeParser CreateParser(MimeFormat format)
    {
        // The parser reads through a guard against huge header fields; offsets and content
        // reads still refer to the stream itself.
        var parser = new MimeParser(new HeaderLimitStream(Stream), format, persistent: true);
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
}
