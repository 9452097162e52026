namespace Smime.Mime;

/// <summary>Signs and encrypts MIME messages (RFC 8551 §3).</summary>
public static class SmimeWriter
{
    /// <summary>
    /// Signs the message read from <paramref name="input"/> and writes the signed message.
    /// Headers other than Content-* stay on the outer message; the signed entity is
    /// canonicalised (CRLF, 7-bit transfer encodings). Clear signing streams.
    /// </summary>
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static void Sign(
        Stream input,
        Stream output,
        SignOptions options,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Encrypts (after signing, when asked) the message read from the input.</summary>
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static void Encrypt(
        Stream input,
        Stream output,
        EncryptOptions options,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
