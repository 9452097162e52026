using System.Security.Cryptography;
using MimeKit;
using Smime.Cms;

namespace Smime.Mime;

internal sealed partial class MessageUnwrapper
{
    private const string CompressedPart = "application/pkcs7-mime compressed-data part";

    // Every compressed layer of the message inflates into the one budget: nesting does not
    // multiply the cap.
    private long _inflated;

    private static bool IsCompressed(MimePart part, string? smimeType)
    {
        if (smimeType == "compressed-data")
        {
            return true;
        }

        // Compat: without smime-type, the file name smime.p7z (RFC 8551 §3.7) says which.
        return string.IsNullOrEmpty(smimeType)
            && part.FileName is { } name
            && name.EndsWith(".p7z", StringComparison.OrdinalIgnoreCase);
    }

    private (MimeEntity, ParsedSource) Decompress(ReadOnlyMemory<byte> encoded)
    {
        // RFC 3274: the inflated size is capped (ReadOptions.MaxInflatedBytes) against zip bombs.
        long budget = _options.MaxInflatedBytes - _inflated;
        if (budget <= 0)
        {
            throw new FormatException(
                $"The {CompressedPart} is refused: the message's compressed layers already "
                + $"inflate to {_inflated} bytes, the limit of {_options.MaxInflatedBytes}.");
        }

        DecompressedContent inflated;
        try
        {
            inflated = CompressedContent.Decompress(encoded, budget);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"The {CompressedPart} is refused: {e.Message}", e);
        }

        if (inflated.ContentType != Oids.Data)
        {
            throw new FormatException(
                $"The {CompressedPart} holds content of type {inflated.ContentType}, "
                + $"not a MIME entity ({Oids.Data}).");
        }

        _inflated += inflated.Content.Length;
        _layers.Add(new Layer(
            LayerKind.CompressedData, $"zlib, {inflated.Content.Length} bytes inflated"));
        return ParseInner(inflated.Content);
    }
}
