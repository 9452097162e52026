namespace Smime.Cms;

/// <summary>
/// An EnvelopedData or AuthEnvelopedData ContentInfo in DER, in three pieces to be written one
/// after another: the ciphertext stays in the buffer it was encrypted in
/// (<see cref="EnvelopedContent.EncryptInPlace"/>), never copied into a whole encoding.
/// </summary>
/// <param name="Header">The DER before the encryptedContent's bytes.</param>
/// <param name="Ciphertext">The encryptedContent's bytes.</param>
/// <param name="Trailer">The DER after them: authAttrs and the mac, if any.</param>
/// <param name="IsAuthenticated">True for AuthEnvelopedData.</param>
internal sealed record EncryptedInPlace(
    byte[] Header,
    ArraySegment<byte> Ciphertext,
    byte[] Trailer,
    bool IsAuthenticated)
{
    private const int WritePiece = 4 << 20;

    /// <summary>The length of the whole encoding.</summary>
    public long Length => Header.Length + (long)Ciphertext.Count + Trailer.Length;

    /// <summary>
    /// Set while CBC encryption still runs on another thread: <see cref="Ciphertext"/> is then
    /// final only up to what it reports. Null when the ciphertext is complete.
    /// </summary>
    internal EncryptionProgress? Progress { get; init; }

    /// <summary>
    /// Hands the ciphertext to <paramref name="write"/> in order, each piece as soon as it is
    /// encrypted: the caller encodes and writes one part while the next is encrypted.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The encryption
    /// failed; nothing after the last piece written is valid.</exception>
    public void WriteCiphertext(Action<ReadOnlySpan<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Progress is null)
        {
            // In pieces too, so a caller can stop between them.
            for (int offset = 0; offset < Ciphertext.Count; offset += WritePiece)
            {
                write(Ciphertext.AsSpan(offset, Math.Min(WritePiece, Ciphertext.Count - offset)));
            }

            return;
        }

        int written = 0;
        while (written < Ciphertext.Count)
        {
            int ready = Progress.WaitBeyond(written);
            write(Ciphertext.AsSpan(written, ready - written));
            written = ready;
        }
    }
}

/// <summary>How far a background encryption has got, or why it stopped.</summary>
internal sealed class EncryptionProgress
{
    private readonly object _lock = new();
    private int _ready;
    private Exception? _error;

    /// <summary>Bytes from the start of the ciphertext that are now final.</summary>
    public void Advance(int ready)
    {
        lock (_lock)
        {
            _ready = ready;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>The encryption failed.</summary>
    public void Fail(Exception error)
    {
        lock (_lock)
        {
            _error = error;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits until more than <paramref name="written"/> bytes are final.</summary>
    public int WaitBeyond(int written)
    {
        lock (_lock)
        {
            while (_ready <= written && _error is null)
            {
                Monitor.Wait(_lock);
            }

            return _error is null
                ? _ready
                : throw new System.Security.Cryptography.CryptographicException(
                    $"The content encryption failed: {_error.Message}", _error);
        }
    }
}
