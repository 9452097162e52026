using Smime.Certificates;

namespace Smime.Mime;

/// <summary>What a harvest over files found.</summary>
public sealed class HarvestReport
{
    public int MessagesRead { get; set; }

    public int MessagesSigned { get; set; }

    /// <summary>Messages whose verdict was Valid, and that were harvested.</summary>
    public int MessagesHarvested { get; set; }

    public List<StoredCertificate> NewCertificates { get; } = [];

    public List<string> UpdatedSenders { get; } = [];

    /// <summary>One line per message not harvested: where, and why.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>
    /// How many messages (or unreadable files) were not harvested, by reason; unsigned
    /// messages are not counted here.
    /// </summary>
    public SortedDictionary<NotHarvestedReason, int> SkippedByReason { get; } = [];

    /// <summary>Records one message not harvested.</summary>
    public void Skip(NotHarvestedReason reason, string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        Skipped.Add(line);
        SkippedByReason[reason] = SkippedByReason.GetValueOrDefault(reason) + 1;
    }
}
