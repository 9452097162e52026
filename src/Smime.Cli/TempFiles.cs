namespace Smime.Cli;

/// <summary>Temporary files that vanish when closed.</summary>
internal static class TempFiles
{
    /// <summary>A read-write file in the system temp folder, deleted on close.</summary>
    public static FileStream CreateAnonymous()
    {
        string path = Path.Combine(Path.GetTempPath(), $"smime-{Guid.NewGuid():N}.tmp");
        return new FileStream(
            path,
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            81920,
            FileOptions.DeleteOnClose);
    }
}
