using System.Security.Cryptography;
using MimeKit;
using MimeKit.IO;
using Smime.Certificates;

namespace Smime.Mime;

public static partial class MessageHarvester
{
    /// <summary>
    /// Verifies and harvests every message in the given .eml files, mbox files and folders
    /// (Maildir or any tree of message files), with the store's anchors and certificates.
    /// Only messages whose verdict is Valid are harvested (see <see cref="Harvest(
    /// CertificateStore, ReadResult, out NotHarvestedReason, out string?)"/>).
    /// </summary>
    /// <param name="store">The store: anchors, certificates, cached CRLs; harvested into.</param>
    /// <param name="paths">Files and folders.</param>
    /// <param name="revocation">
    /// Checks the signers' paths while verifying; null checks only the store's cached CRLs
    /// (a certificate they list as revoked is still never harvested).
    /// </param>
    /// <param name="progress">Told the bytes done, file by file.</param>
    /// <param name="cancellationToken">Stops between messages.</param>
    public static HarvestReport HarvestFiles(
        CertificateStore store,
        IEnumerable<string> paths,
        RevocationChecker? revocation = null,
        IProgress<HarvestProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(paths);

        var report = new HarvestReport();
        using RevocationChecker cached = CachedRevocation(store);

        // The files are listed and measured first, so that progress can be told in bytes.
        List<(string Path, long Length)> files = paths.SelectMany(p => Expand(p, report))
            .Select(path => (path, Length(path)))
            .ToList();
        long total = files.Sum(f => f.Length);
        long before = 0;
        void Report(string path, long done) => progress?.Report(
            new HarvestProgress(path, report.MessagesRead)
            {
                BytesDone = before + done,
                BytesTotal = total,
            });

        foreach ((string path, long length) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Report(path, 0);
            try
            {
                if (length > MaxFileLength)
                {
                    report.Skip(NotHarvestedReason.Unreadable,
                        $"{path}: larger than {MaxFileLength} bytes");
                    continue;
                }

                using FileStream file = File.OpenRead(path);
                if (IsMbox(file))
                {
                    HarvestMbox(store, file, path, (revocation, cached), report,
                        done => Report(path, done), cancellationToken);
                }
                else
                {
                    HarvestOne(store, file, path, (revocation, cached), report,
                        cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Skip(NotHarvestedReason.Unreadable, $"{path}: {e.Message}");
            }
            finally
            {
                before += length;
            }
        }

        if (files.Count > 0)
        {
            progress?.Report(new HarvestProgress(files[^1].Path, report.MessagesRead)
            {
                BytesDone = total,
                BytesTotal = total,
            });
        }

        return report;
    }

    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static void HarvestMbox(
        CertificateStore store,
        FileStream file,
        string path,
        (RevocationChecker? Asked, RevocationChecker Cached) revocation,
        HarvestReport report,
        Action<long> bytesDone,
        CancellationToken cancellationToken)
    {
        // The mbox parser finds the "From " separators; each message is then read from its
        // exact bytes, so signatures are checked over what was sent.
        var markers = new List<long>();
        var parser = new MimeParser(file, MimeFormat.Mbox, persistent: true);
        while (!parser.IsEndOfStream)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                parser.ParseMessage(cancellationToken);
                markers.Add(parser.MboxMarkerOffset);
            }
            catch (FormatException)
            {
                break;
            }
        }

        for (int i = 0; i < markers.Count; i++)
        {
            long start = SkipLine(file, markers[i]);
            long end = i + 1 < markers.Count ? markers[i + 1] : file.Length;
            using var message = new BoundStream(file, start, end, leaveOpen: true);
            HarvestOne(store, message, $"{path} #{i + 1}", revocation, report, cancellationToken);
            bytesDone(end);
        }
    }

    private static void HarvestOne(
        CertificateStore store,
        Stream message,
        string where,
        (RevocationChecker? Asked, RevocationChecker Cached) revocation,
        HarvestReport report,
        CancellationToken cancellationToken)
    {
        report.MessagesRead++;
        ReadResult result;
        try
        {
            var options = new ReadOptions
            {
                TrustAnchors = store.GetTrustAnchors(),
                ExtraCertificates = store.GetAllCertificates(),
                Revocation = revocation.Asked,
            };
            result = SmimeReader.Read(message, options, null, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or CryptographicException
            or NotSupportedException)
        {
            report.Skip(NotHarvestedReason.Unreadable, $"{where}: {e.Message}");
            return;
        }

        if (result.Verdict.Signers.Count > 0)
        {
            report.MessagesSigned++;
        }

        HarvestSummary? summary = Harvest(store, result, revocation.Cached,
            out NotHarvestedReason reason, out string? why);
        if (summary is null)
        {
            if (reason != NotHarvestedReason.NotSigned)
            {
                report.Skip(reason, $"{where}: {why}");
            }

            return;
        }

        report.MessagesHarvested++;
        report.NewCertificates.AddRange(summary.NewCertificates);
        report.UpdatedSenders.AddRange(
            summary.UpdatedSenders.Where(s => !report.UpdatedSenders.Contains(s)));
    }

    // A named file is read when it is a regular file (links followed: the user named it); a
    // folder is walked. Anything else would block (a named pipe) or never end (a device).
    private static IEnumerable<string> Expand(string path, HarvestReport report)
    {
        FileNodeType type = FileNodes.GetNodeType(path, followLinks: true);
        if (type == FileNodeType.Regular)
        {
            return [path];
        }

        if (type == FileNodeType.Directory)
        {
            return Walk(path, report).Order(StringComparer.Ordinal);
        }

        if (type == FileNodeType.Missing)
        {
            throw new FileNotFoundException($"'{path}' is neither a file nor a folder.", path);
        }

        report.Skip(NotHarvestedReason.Unreadable, $"{path}: {Describe(type)}, not a file");
        return [];
    }

    // The tree under a folder: regular files only, and no symbolic link is followed, so a
    // link back up the tree cannot read the same mail twice or loop. What is passed over is
    // said in the report's lines (shown with --verbose), not counted as a message.
    private static List<string> Walk(string root, HarvestReport report)
    {
        var files = new List<string>();
        var folders = new Stack<string>();
        folders.Push(root);
        while (folders.Count > 0)
        {
            string folder = folders.Pop();
            List<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folder).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Skipped.Add($"{folder}: {e.Message}");
                continue;
            }

            foreach (string entry in entries)
            {
                FileNodeType type = FileNodes.GetNodeType(entry, followLinks: false);
                if (type == FileNodeType.Directory)
                {
                    folders.Push(entry);
                    continue;
                }

                // Maildir keeps half-delivered mail in tmp/; only cur/ and new/ hold messages.
                if (Path.GetFileName(folder) == "tmp" || Path.GetFileName(entry).StartsWith('.'))
                {
                    continue;
                }

                if (type == FileNodeType.Regular)
                {
                    files.Add(entry);
                }
                else if (type != FileNodeType.Missing)
                {
                    report.Skipped.Add(type == FileNodeType.SymbolicLink
                        ? $"{entry}: a symbolic link; not followed"
                        : $"{entry}: {Describe(type)}, not a file; not read");
                }
            }
        }

        return files;
    }

    private static string Describe(FileNodeType type) => type switch
    {
        FileNodeType.Fifo => "a named pipe",
        FileNodeType.Socket => "a socket",
        FileNodeType.CharacterDevice => "a character device",
        FileNodeType.BlockDevice => "a block device",
        FileNodeType.SymbolicLink => "a symbolic link",
        _ => "not a regular file",
    };

    private static bool IsMbox(FileStream file)
    {
        Span<byte> head = stackalloc byte[5];
        int read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == head.Length && head.SequenceEqual("From "u8);
    }

    private static long SkipLine(FileStream file, long offset)
    {
        file.Position = offset;
        int b;
        while ((b = file.ReadByte()) >= 0 && b != '\n')
        {
        }

        long next = file.Position;
        file.Position = 0;
        return next;
    }
}
