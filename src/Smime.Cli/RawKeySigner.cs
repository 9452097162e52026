using System.CommandLine;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>A signer whose key .NET cannot attach to the certificate: Ed25519 (RFC 8419).</summary>
internal static class RawKeySigner
{
    /// <summary>Builds the signer; an X25519 or X448 key cannot sign: a usage error.</summary>
    public static CmsSigner Create(
        CertificateKey key,
        ParseResult result,
        Option<string> digest)
    {
        if (key.KeyAlgorithmOid != Oids.Ed25519)
        {
            throw new UsageException("--cert",
                $"'{key.Certificate.Subject}' has a key-agreement key ({key.KeyAlgorithmOid}); "
                + "it can decrypt but not sign.");
        }

        // RFC 8419 §3.1: Ed25519 in CMS digests with SHA-512, whatever --digest says.
        string? asked = result.GetResult(digest) is { Implicit: false }
            ? result.GetValue(digest)
            : null;
        if (asked is not null and not "sha512")
        {
            throw new UsageException("--digest", "an Ed25519 key signs with sha512 (RFC 8419).");
        }

        return new CmsSigner(key);
    }
}
