using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using MimeKit.IO;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>
/// Harvests validly signed mail into the certificate store (RFC 8551 §2.7.1): certificates,
/// and the signer's SMIMECapabilities and SMIMEEncryptionKeyPreference.
/// </summary>
public static class MessageHarvester
{
    /// <summary>Files larger than this are skipped rather than read.</summary>
    public const long MaxFileLength = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// Stores what the signers of a read message offer, when every signature verified
    /// (never from a message whose signature fails). Certificates are stored from any such
    /// message; a sender's capabilities and key preference only from a signer whose chain is
    /// trusted, so that a certificate nobody vouches for cannot redirect mail to that address.
    /// </summary>
    /// <returns>What was stored; null when the message was not harvestable, with why.</returns>
    public static HarvestSummary? Harvest(
        CertificateStore store,
        ReadResult result,
        out string? notHarvested)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(result);

        Verdict verdict = result.Verdict;
        notHarvested = null;
        if (verdict.Signers.Count == 0)
        {
            notHarvested = "the message is not signed";
            return null;
        }

        if (verdict.Outcome is VerdictOutcome.Malformed or VerdictOutcome.BadSignature
            || verdict.Signers.Any(s => !s.SignatureValid || s.Certificate is null))
        {
            notHarvested = $"a signature does not verify ({verdict.Reason.TrimEnd('.')})";
            return null;
        }

        var signers = new List<HarvestedSigner>();
        var certificatesOnly = new List<X509Certificate2>();
        foreach (SignerResult signer in verdict.Signers)
        {
            if (!signer.Chain.IsTrusted || signer.SignerInfo is null)
            {
                certificatesOnly.AddRange(signer.MessageCertificates.Append(signer.Certificate!));
                continue;
            }

            signers.Add(new HarvestedSigner(
                signer.Certificate!,
                signer.MessageCertificates,
                signer.SigningTime,
                signer.SignerInfo.Capabilities,
                KeyPreference(signer.SignerInfo)));
        }

        HarvestSummary summary = store.Harvest(signers);
        if (certificatesOnly.Count == 0)
        {
            return summary;
        }

        var added = new List<StoredCertificate>(summary.NewCertificates);
        foreach (X509Certificate2 certificate in certificatesOnly.DistinctBy(c => c.Thumbprint))
        {
            bool known = store.Find(CertificateFacts.Thumbprint(certificate)) is not null;
            StoredCertificate stored = store.Add(certificate);
            if (!known)
            {
                added.Add(stored);
            }
        }

        return new HarvestSummary(added, summary.UpdatedSenders);
    }

    /// <summary>
    /// Verifies and harvests every message in the given .eml files, mbox files and folders
    /// (Maildir or any tree of message files), with the store's anchors and certificates.
    /// </summary>
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

        // The files are listed and measured first, so that progress can be told in bytes.
        List<(string Path, long Length)> files = paths.SelectMany(Expand)
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
                    report.Skipped.Add($"{path}: larger than {MaxFileLength} bytes");
                    continue;
                }

                using FileStream file = File.OpenRead(path);
                if (IsMbox(file))
                {
                    HarvestMbox(store, file, path, revocation, report,
                        done => Report(path, done), cancellationToken);
                }
                else
                {
                    HarvestOne(store, file, path, revocation, report, cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Skipped.Add($"{path}: {e.Message}");
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
        RevocationChecker? revocation,
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
        RevocationChecker? revocation,
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
                Revocation = revocation,
            };
            result = SmimeReader.Read(message, options, null, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or CryptographicException
            or NotSupportedException)
        {
            report.Skipped.Add($"{where}: {e.Message}");
            return;
        }

        if (result.Verdict.Signers.Count > 0)
        {
            report.MessagesSigned++;
        }

        HarvestSummary? summary = Harvest(store, result, out string? why);
        if (summary is null)
        {
            if (result.Verdict.Signers.Count > 0)
            {
                report.Skipped.Add($"{where}: {why}");
            }

            return;
        }

        report.MessagesHarvested++;
        report.NewCertificates.AddRange(summary.NewCertificates);
        report.UpdatedSenders.AddRange(
            summary.UpdatedSenders.Where(s => !report.UpdatedSenders.Contains(s)));
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is neither a file nor a folder.", path);
        }

        // Maildir keeps half-delivered mail in tmp/; only cur/ and new/ hold messages.
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) != "tmp"
                && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);
    }

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

    private static ReadOnlyMemory<byte> KeyPreference(SignerInfo info) =>
        info.SignedAttributes
            .FirstOrDefault(a => a.Oid == Oids.EncryptionKeyPreferenceAttribute)?.Values
            .FirstOrDefault() ?? ReadOnlyMemory<byte>.Empty;
}
