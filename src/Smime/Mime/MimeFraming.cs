using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace Smime.Mime;

/// <summary>The bytes around S/MIME entities: outer headers, boundaries, base64 bodies.</summary>
internal static class MimeFraming
{
    // RFC 2045 §6.8: encoded lines are at most 76 characters, 57 octets of input.
    private const int Base64LineInput = 57;
    private const int LinesPerWrite = 1024;

    /// <summary>Writes the outer message's headers except Content-* and MIME-Version.</summary>
    public static void WriteOuterHeaders(
        MimeMessage message,
        Stream output,
        CancellationToken cancellationToken,
        bool includeMimeVersion = false)
    {
        var headers = new HeaderList();
        foreach (Header header in message.Headers)
        {
            bool isContent = header.Field.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);
            bool isVersion = header.Field.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase);
            if (!isContent && (includeMimeVersion || !isVersion))
            {
                headers.Add(header);
            }
        }

        // HeaderList.WriteTo ends the block with a blank line; the entity's headers follow
        // directly, so write the headers one by one instead.
        foreach (Header header in headers)
        {
            byte[] field = Encoding.ASCII.GetBytes(header.Field + ":");
            output.Write(field);
            WriteWithCrlf(output, header.RawValue);
        }

        if (!includeMimeVersion)
        {
            WriteAscii(output, "MIME-Version: 1.0\r\n");
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Writes ASCII text as is.</summary>
    public static void WriteAscii(Stream output, string text) =>
        output.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>Writes data as base64 in 76-character lines, each ended by CRLF.</summary>
    public static void WriteBase64Lines(Stream output, ReadOnlySpan<byte> data)
    {
        const int lineBytes = 78;
        byte[] buffer = new byte[lineBytes * LinesPerWrite];
        int filled = 0;
        for (int offset = 0; offset < data.Length; offset += Base64LineInput)
        {
            ReadOnlySpan<byte> chunk = data.Slice(offset, Math.Min(Base64LineInput, data.Length - offset));
            Base64.EncodeToUtf8(chunk, buffer.AsSpan(filled), out _, out int written);
            filled += written;
            buffer[filled++] = (byte)'\r';
            buffer[filled++] = (byte)'\n';
            if (filled > buffer.Length - lineBytes)
            {
                output.Write(buffer, 0, filled);
                filled = 0;
            }
        }

        output.Write(buffer, 0, filled);
    }

    /// <summary>A fresh multipart boundary that cannot occur in base64 or QP text.</summary>
    public static string NewBoundary()
    {
        // '=' and '_' followed by '-' cannot start a base64 or quoted-printable line
        // (RFC 2045 §6.7), so the boundary never collides with encoded content.
        return "=_smime_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>The micalg parameter value (RFC 8551 §3.5.3.2) for the signers' digests.</summary>
    public static string MicAlg(IEnumerable<HashAlgorithmName> algorithms)
    {
        string[] names = algorithms.Select(MicAlgName).Distinct().ToArray();
        return names.Length == 1 ? names[0] : "\"" + string.Join(',', names) + "\"";
    }

    private static string MicAlgName(HashAlgorithmName algorithm)
    {
        if (algorithm == HashAlgorithmName.SHA256)
        {
            return "sha-256";
        }

        if (algorithm == HashAlgorithmName.SHA384)
        {
            return "sha-384";
        }

        if (algorithm == HashAlgorithmName.SHA512)
        {
            return "sha-512";
        }

        throw new NotSupportedException(
            $"The digest algorithm {algorithm.Name} has no S/MIME micalg name to sign with.");
    }

    private static void WriteWithCrlf(Stream output, byte[] rawValue)
    {
        // Raw header values keep the source's line ends; folded lines become CRLF too.
        int start = 0;
        for (int i = 0; i < rawValue.Length; i++)
        {
            if (rawValue[i] != (byte)'\n')
            {
                continue;
            }

            int lineEnd = i > 0 && rawValue[i - 1] == (byte)'\r' ? i - 1 : i;
            output.Write(rawValue, start, lineEnd - start);
            output.Write("\r\n"u8);
            start = i + 1;
        }

        if (start < rawValue.Length)
        {
            output.Write(rawValue, start, rawValue.Length - start);
            output.Write("\r\n"u8);
        }
    }
}
