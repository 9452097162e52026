using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>
/// Certificates-only messages (RFC 8551 §3.6): application/pkcs7-mime with
/// smime-type=certs-only, a SignedData without signers carrying the certificates.
/// </summary>
public static class CertsOnlyMessage
{
    /// <summary>How deep multiparts are searched for the certs-only part.</summary>
    public const int MaxDepth = 8;

    /// <summary>Writes a certs-only MIME entity, smime.p7c, base64.</summary>
    public static void Write(
        IEnumerable<X509Certificate2> certificates,
        Stream output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(output);

        byte[] p7c = SignedData.CreateCertificatesOnly(certificates);
        var part = new MimePart("application", "pkcs7-mime")
        {
            Content = new MimeContent(new MemoryStream(p7c)),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment)
            {
                FileName = "smime.p7c",
            },
        };
        part.ContentType.Parameters["smime-type"] = "certs-only";
        part.ContentType.Name = "smime.p7c";
        part.WriteTo(FormatOptions.Default, output, cancellationToken);
        output.Flush();
    }

    /// <summary>Whether the data looks like a MIME entity or message with a certs-only part.</summary>
    public static bool LooksLikeOne(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> head = data[..Math.Min(data.Length, 8192)];
        return head.IndexOf("certs-only"u8) >= 0 || head.IndexOf("smime.p7c"u8) >= 0;
    }

    /// <summary>The certificates of the first certs-only part of a message or entity.</summary>
    /// <exception cref="FormatException">No certs-only part is found.</exception>
    /// <exception cref="CryptographicException">Its SignedData is malformed.</exception>
    public static X509Certificate2Collection Read(
        Stream input,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);

        // The same limits as every other parse of hostile input (ParseGuard).
        var parser = new MimeParser(new HeaderLimitStream(input), MimeFormat.Entity);
        ParseGuard.Attach(parser);
        MimeEntity entity = parser.ParseEntity(cancellationToken);
        MimePart part = Parts(entity, 0).FirstOrDefault(IsCertsOnly)
            ?? throw new FormatException(
                "The message has no application/pkcs7-mime part with smime-type=certs-only.");
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content, cancellationToken);
        SignedData signedData = SignedData.Decode(content.ToArray());
        var result = new X509Certificate2Collection();
        foreach (X509Certificate2 certificate in signedData.Certificates)
        {
            result.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        }

        return result;
    }

    private static IEnumerable<MimePart> Parts(MimeEntity entity, int depth)
    {
        if (entity is MimePart part)
        {
            yield return part;
        }
        else if (entity is Multipart multipart && depth < MaxDepth)
        {
            foreach (MimeEntity child in multipart)
            {
                foreach (MimePart inner in Parts(child, depth + 1))
                {
                    yield return inner;
                }
            }
        }
    }

    // RFC 8551 §3.6; Compat: older agents write application/x-pkcs7-mime and name the file
    // smime.p7c without the smime-type parameter.
    private static bool IsCertsOnly(MimePart part) =>
        (part.ContentType.IsMimeType("application", "pkcs7-mime")
            || part.ContentType.IsMimeType("application", "x-pkcs7-mime"))
        && (string.Equals(part.ContentType.Parameters["smime-type"], "certs-only",
                StringComparison.OrdinalIgnoreCase)
            || string.Equals(part.ContentType.Name, "smime.p7c", StringComparison.OrdinalIgnoreCase)
            || string.Equals(part.FileName, "smime.p7c", StringComparison.OrdinalIgnoreCase));
}
