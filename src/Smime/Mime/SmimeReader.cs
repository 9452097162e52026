namespace Smime.Mime;

/// <summary>Opens S/MIME messages: decrypts and verifies every layer, down to the content.</summary>
public static class SmimeReader
{
    /// <summary>
    /// Reads a message, unwrapping its S/MIME layers up to <see cref="ReadOptions.MaxDepth"/>,
    /// and writes the innermost message (outer headers kept) to <paramref name="contentOutput"/>
    /// when given. The input should be seekable; large bodies are read from it, not copied.
    /// </summary>
    /// <exception cref="FormatException">The input is not a MIME message or a layer is malformed.</exception>
    /// <exception cref="Smime.Cms.CmsDecryptionException">An encrypted layer could not be opened.</exception>
    public static ReadResult Read(
        Stream input,
        ReadOptions options,
        Stream? contentOutput,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
