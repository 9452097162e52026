using Smime.Certificates;

namespace Smime.Mime;

/// <summary>What a harvest over files found.</summary>
public sealed class HarvestReport
{
    public int MessagesRead { get; set; }

    public int MessagesSigned { get; set; }

    /// <summary>Messages whose every signature verified, and that were harvested.</summary>
    public int MessagesHarvested { get; set; }

    public List<StoredCertificate> NewCertificates { get; } = [];

    public List<string> UpdatedSenders { get; } = [];

    /// <summary>One line per message not harvested: where, and why.</summary>
    public List<string> Skipped { get; } = [];
}
