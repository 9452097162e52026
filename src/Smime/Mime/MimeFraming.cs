using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace Smime.Mime;

/// <summary>The bytes around S/MIME entities: outer headers, boundaries, base64 bodies.</summary>
internal static class MimeFraming
{
    /// <summary>
    /// Writes the outer message's headers, without its Content-* headers: the entity that
    /// follows brings its own. Signing and encrypting write a fresh MIME-Version; reading
    /// keeps the message's own (<paramref name="keepMimeVersion"/>).
    /// </summary>
    public static void WriteOuterHeaders(
        MimeMessage message,
        Stream output,
        bool keepMimeVersion,
        CancellationToken cancellationToken)
    {
        foreach (Header header in message.Headers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (header.Field.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                || (!keepMimeVersion && header.Id == HeaderId.MimeVersion))
            {
                continue;
            }

            // Written line by line: HeaderList.WriteTo would end the block with a blank line.
            output.Write(Encoding.ASCII.GetBytes(header.Field + ":"));
            WriteWithCrlf(output, header.RawValue);
        }

        if (!keepMimeVersion)
        {
            WriteAscii(output, "MIME-Version: 1.0\r\n");
        }
    }

    /// <summary>Writes ASCII text as is.</summary>
    public static void WriteAscii(Stream output, string text) =>
        output.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>Writes data as base64 in 76-character lines, each ended by CRLF.</summary>
    public static void WriteBase64Lines(Stream output, ReadOnlySpan<byte> data)
    {
        using var lines = new Base64LineWriter(output);
        lines.Write(data);
        lines.Finish();
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
