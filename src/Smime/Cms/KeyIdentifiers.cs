using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>Matching a certificate against a subjectKeyIdentifier named in a message.</summary>
internal static class KeyIdentifiers
{
    /// <summary>
    /// Whether the certificate's subjectKeyIdentifier extension holds the identifier, or, when
    /// it has no such extension, whether the SHA-1 of its subjectPublicKey does.
    /// </summary>
    public static bool Matches(X509Certificate2 certificate, ReadOnlySpan<byte> wanted)
    {
        X509SubjectKeyIdentifierExtension? extension =
            certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        if (extension is not null)
        {
            try
            {
                return extension.SubjectKeyIdentifierBytes.Span.SequenceEqual(wanted);
            }
            catch (CryptographicException)
            {
                // A certificate from the message may carry a malformed extension; it names
                // nothing then.
                return false;
            }
        }

        // Compat: Windows and .NET's SignedCms name a certificate without the extension by the
        // SHA-1 of its subjectPublicKey (RFC 5280 §4.2.1.2 method 1). The hash only names the
        // key; the signature check that follows is what proves it.
        Span<byte> computed = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(certificate.PublicKey.EncodedKeyValue.RawData, computed);
        return computed.SequenceEqual(wanted);
    }
}
