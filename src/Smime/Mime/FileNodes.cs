using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Smime.Mime;

/// <summary>
/// The type and identity of a path. .NET tells folders and links apart but reports a named
/// pipe or a device as a plain file; opening a pipe waits for a writer and renaming onto a
/// device replaces the node, so callers that walk or write must know. On Linux this asks
/// statx(2), whose buffer layout is the same on every architecture.
/// </summary>
public static class FileNodes
{
    // statx(2): AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_INO, and the offsets of
    // stx_mode, stx_ino and stx_dev_major (stx_dev_minor follows it) in struct statx.
    private const int AtCurrentFolder = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeAndInode = 0x1 | 0x100;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int InodeOffset = 32;
    private const int DeviceMajorOffset = 136;

    private static bool s_statxMissing = !OperatingSystem.IsLinux();

    /// <summary>What the path names; with <paramref name="followLinks"/>, what its links lead to.</summary>
    public static FileNodeType GetNodeType(string path, bool followLinks)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!TryStat(path, followLinks, out byte[]? status))
        {
            return Fallback(path, followLinks);
        }

        if (status is null)
        {
            return FileNodeType.Missing;
        }

        int mode = BinaryPrimitives.ReadUInt16LittleEndian(status.AsSpan(ModeOffset));
        return (mode & 0xF000) switch
        {
            0x8000 => FileNodeType.Regular,
            0x4000 => FileNodeType.Directory,
            0xA000 => FileNodeType.SymbolicLink,
            0x2000 => FileNodeType.CharacterDevice,
            0x6000 => FileNodeType.BlockDevice,
            0x1000 => FileNodeType.Fifo,
            0xC000 => FileNodeType.Socket,
            _ => FileNodeType.Missing,
        };
    }

    /// <summary>
    /// Whether two existing paths are the same file (device and inode, links followed): true
    /// for hard links and for names through linked folders. False when either is missing or
    /// the system cannot say.
    /// </summary>
    public static bool AreSameFile(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return TryStat(first, true, out byte[]? a) && a is not null
            && TryStat(second, true, out byte[]? b) && b is not null
            && a.AsSpan(InodeOffset, 8).SequenceEqual(b.AsSpan(InodeOffset, 8))
            && a.AsSpan(DeviceMajorOffset, 8).SequenceEqual(b.AsSpan(DeviceMajorOffset, 8));
    }

    // False when statx is not there to ask; then a null status means the path failed
    // (ENOENT, EACCES, ELOOP...).
    private static bool TryStat(string path, bool followLinks, out byte[]? status)
    {
        status = null;
        if (s_statxMissing || !OperatingSystem.IsLinux())
        {
            return false;
        }

        byte[] buffer = new byte[StatxSize];
        try
        {
            int flags = followLinks ? 0 : AtSymlinkNoFollow;
            if (StatX(AtCurrentFolder, path, flags, StatxTypeAndInode, buffer) == 0)
            {
                status = buffer;
            }

            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // An old C library: fall back to what .NET can tell.
            s_statxMissing = true;
            return false;
        }
    }

    private static FileNodeType Fallback(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && !followLinks)
        {
            return FileNodeType.SymbolicLink;
        }

        if (Directory.Exists(path))
        {
            return FileNodeType.Directory;
        }

        return File.Exists(path) ? FileNodeType.Regular : FileNodeType.Missing;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatX(
        int folder,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        int flags,
        uint mask,
        byte[] buffer);
}
