namespace Smime.Mime;

/// <summary>How far a harvest has come.</summary>
/// <param name="Path">The file being read.</param>
/// <param name="MessagesRead">Messages read so far, over all files.</param>
public sealed record HarvestProgress(string Path, int MessagesRead);
