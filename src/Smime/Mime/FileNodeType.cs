namespace Smime.Mime;

/// <summary>What a path names, as the file system says (the file type bits of st_mode).</summary>
public enum FileNodeType
{
    /// <summary>Nothing is there (or the path could not be looked at).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A character device such as /dev/null or a terminal.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A named pipe: opening it waits for the other end.</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,
}
