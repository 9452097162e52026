namespace Smime.Cli;

/// <summary>Temporary files: readable by their owner only, since they may hold plaintext.</summary>
internal static class TempFiles
{
    /// <summary>A read-write file in the system temp folder, deleted on close.</summary>
    public static FileStream CreateAnonymous()
    {
        string path = Path.Combine(Path.GetTempPath(), $"smime-{Guid.NewGuid():N}.tmp");
        return Create(path, FileOptions.DeleteOnClose);
    }

    /// <summary>Creates a new file that no one else may read (mode 0600 on Unix).</summary>
    public static FileStream Create(string path, FileOptions options = FileOptions.None)
    {
        var streamOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 81920,
            Options = options,
        };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, streamOptions);
    }
}
