namespace Smime.Mime;

/// <summary>How far a harvest has come.</summary>
/// <param name="Path">The file being read.</param>
/// <param name="MessagesRead">Messages read so far, over all files.</param>
public sealed record HarvestProgress(string Path, int MessagesRead)
{
    /// <summary>Bytes of the input files done so far.</summary>
    public long BytesDone { get; init; }

    /// <summary>Bytes of all the input files, measured before the harvest began.</summary>
    public long BytesTotal { get; init; }
}
