namespace Smime.Mime;

/// <summary>Opens S/MIME messages: decrypts and verifies every layer, down to the content.</summary>
public static class SmimeReader
{
    private const int CopyBufferSize = 81920;

    /// <summary>
    /// Reads a message, unwrapping its S/MIME layers up to <see cref="ReadOptions.MaxDepth"/>,
    /// and writes the innermost message (outer headers kept) to <paramref name="contentOutput"/>
    /// when given. The input should be seekable; large bodies are read from it, not copied.
    /// Signers' certificates are checked against the trust anchors only; revocation is not
    /// checked yet.
    /// </summary>
    /// <exception cref="FormatException">The input is not a MIME message or a layer is malformed.</exception>
    /// <exception cref="Smime.Cms.CmsDecryptionException">An encrypted layer could not be opened.</exception>
    /// <exception cref="NotSupportedException">A layer uses an algorithm not supported.</exception>
    public static ReadResult Read(
        Stream input,
        ReadOptions options,
        Stream? contentOutput,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxDepth < 1)
        {
            throw new ArgumentException("MaxDepth must be at least 1.", nameof(options));
        }

        if (input.CanSeek)
        {
            return new MessageUnwrapper(options, cancellationToken).Run(input, contentOutput);
        }

        // The signed part's raw bytes are re-read by offset, so a pipe is spooled to a
        // temporary file first. On Unix its name is removed at once, so nothing is left
        // however the process ends; elsewhere it is deleted when closed.
        string path = Path.Combine(Path.GetTempPath(), $"smime-{Guid.NewGuid():N}.tmp");
        var spoolOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = CopyBufferSize,
            Options = OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            spoolOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var spool = new FileStream(path, spoolOptions);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        Spool(input, spool, cancellationToken);
        spool.Position = 0;
        return new MessageUnwrapper(options, cancellationToken).Run(spool, contentOutput);
    }

    private static void Spool(Stream input, Stream spool, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[CopyBufferSize];
        long total = 0;
        int read;
        while ((read = input.Read(chunk)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            total += read;
            if (total > SmimeLimits.MaxStdinBytes)
            {
                throw new FormatException($"The input holds more than "
                    + $"{SmimeLimits.MaxStdinBytes >> 30} GiB; give the message as a file.");
            }

            spool.Write(chunk, 0, read);
        }
    }
}
