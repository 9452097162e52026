using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Smime.Cli;

/// <summary>Temporary files: readable by their owner only, since they may hold plaintext.</summary>
internal static class TempFiles
{
    // Named temporary files (an -o payload beside its target) still on disk. They cannot
    // lose their name before the rename, so SIGTERM and a normal exit remove them; only
    // SIGKILL can leave one.
    private static readonly ConcurrentDictionary<string, byte> s_named = new();

    // Kept alive: the registration ends when collected. The signal still ends the process.
    private static readonly PosixSignalRegistration? s_terminate;

    static TempFiles()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteNamed();
        if (!OperatingSystem.IsWindows())
        {
            s_terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => DeleteNamed());
        }
    }

    /// <summary>A named file from <see cref="Create"/> was moved or deleted.</summary>
    public static void Forget(string path) => s_named.TryRemove(path, out _);

    private static void DeleteNamed()
    {
        foreach (string path in s_named.Keys)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process is ending; nothing more can be done.
            }
        }
    }

    /// <summary>
    /// A read-write file in the system temp folder that no other process can find: on Unix
    /// its name is removed as soon as it is open (the system keeps the data while the file
    /// is open), so nothing is left behind however the process ends. Elsewhere it is
    /// deleted on close.
    /// </summary>
    public static FileStream CreateAnonymous()
    {
        string path = Path.Combine(Path.GetTempPath(), $"smime-{Guid.NewGuid():N}.tmp");
        if (OperatingSystem.IsWindows())
        {
            return Create(path, FileOptions.DeleteOnClose);
        }

        FileStream stream = Create(path);
        try
        {
            File.Delete(path);
            Forget(path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return stream;
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

        var stream = new FileStream(path, streamOptions);
        if ((options & FileOptions.DeleteOnClose) == 0)
        {
            s_named[path] = 0;
        }

        return stream;
    }
}
