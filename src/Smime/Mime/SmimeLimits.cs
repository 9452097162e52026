namespace Smime.Mime;

/// <summary>Limits on hostile input.</summary>
public static class SmimeLimits
{
    /// <summary>S/MIME layers (signed, encrypted, compressed) nested in one message.</summary>
    public const int MaxLayers = 8;

    /// <summary>Signed parts searched for beside unsigned ones (a partially signed message).</summary>
    public const int MaxSignedParts = 16;

    /// <summary>
    /// Bytes in one header field, folded lines included. RFC 5322 §2.1.1 caps a line at 998
    /// characters; Postfix's header_size_limit is 102,400 bytes per field. Past this MimeKit's
    /// header parsing turns quadratic.
    /// </summary>
    public const int MaxHeaderFieldLength = 256 * 1024;

    /// <summary>
    /// MIME entities (parts, multiparts, message parts) in one parsed message or layer. Real
    /// mail has tens; a few megabytes of empty parts would otherwise cost gigabytes of memory.
    /// </summary>
    public const int MaxEntities = 10_000;

    /// <summary>MIME entities nested inside one another (multipart in multipart ...).</summary>
    public const int MaxEntityDepth = 64;

    /// <summary>
    /// The most a message read from a stream that cannot seek (standard input, a pipe) may
    /// hold: such a message is first copied to a temporary file, which must not grow until
    /// the disk is full.
    /// </summary>
    public const long MaxStdinBytes = 1L << 30;
}
