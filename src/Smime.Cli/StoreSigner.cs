using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>A signer taken from the store by address (--from, else the message's From).</summary>
internal static class StoreSigner
{
    /// <summary>
    /// The store's newest valid signing certificate for the address, its key opened with
    /// --password; the issuers the store holds (and the --chain files) go along, and a
    /// separate encryption certificate of the same address is announced (RFC 8551 §2.5.3).
    /// </summary>
    public static CmsSigner Create(
        ParseResult result,
        InputFile input,
        string verb,
        Option<string?> from,
        StoreOptions storeOptions,
        IdentityOptions identity,
        Option<string> digest,
        Option<bool> pss,
        Option<string[]>? chain,
        CliContext context)
    {
        string address = result.GetValue(from)
            ?? MessageHeaders.Read(input.Stream, context.CancellationToken).From.FirstOrDefault()
            ?? throw new UsageException(verb,
                "needs --cert, or --from ADDRESS (or a From header) with a key in the store.");
        using CertificateStore store = storeOptions.OpenIfExists(result)
            ?? throw new UsageException(address,
                $"no certificate store at {CertificateStore.DefaultDirectory}; give --cert or "
                + "import your PKCS#12 with 'smime certs import'.");
        StoredCertificate stored = store.FindSigningCertificate(address)
            ?? throw new UsageException(address,
                "the store has no valid signing certificate with a private key for it.");
        string password = identity.GetPassword(result)
            ?? throw new UsageException("--password",
                $"the store's key for {address} is encrypted; give --password or --password-file.");
        CmsSigner signer = CertificateStore.NeedsCertificateKey(stored.Certificate)
            ? CurveSigner(store, stored, password, result, digest, pss, context)
            : KeySigner(store, stored, password, result, digest, pss, context);

        if (!CanCarryKeys(stored)
            && store.FindEncryptionCertificate(address) is { } encryption
            && encryption.Thumbprint != stored.Thumbprint)
        {
            signer.EncryptionCertificate = encryption.Certificate;
            context.Detail($"announcing {encryption.Subject} ({encryption.Thumbprint[..16]}) "
                + "as the encryption certificate.");
        }

        SigningChain.AddFiles(signer, result, chain);
        SigningChain.Complete(signer, store.GetAllCertificates());
        return signer;
    }

    // A signing-only certificate (keyUsage without keyEncipherment or keyAgreement, RFC 8550
    // §4.4.2) needs a separate encryption certificate for replies.
    private static bool CanCarryKeys(StoredCertificate stored) =>
        stored.KeyUsage is not { } usage
        || (usage & (X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)) != 0;

    private static CmsSigner KeySigner(
        CertificateStore store,
        StoredCertificate stored,
        string password,
        ParseResult result,
        Option<string> digest,
        Option<bool> pss,
        CliContext context)
    {
        X509Certificate2 certificate = store.GetCertificateWithKey(stored.Thumbprint, password);
        if (result.GetValue(pss) && certificate.GetRSAPublicKey() is null)
        {
            throw new UsageException("--pss", $"needs an RSA key; '{certificate.Subject}' has none.");
        }

        context.Detail($"signing as {certificate.Subject} ({stored.Thumbprint[..16]}) from the store.");
        return new CmsSigner(certificate)
        {
            DigestAlgorithm = result.GetValue(digest) switch
            {
                "sha384" => HashAlgorithmName.SHA384,
                "sha512" => HashAlgorithmName.SHA512,
                _ => HashAlgorithmName.SHA256,
            },
            UsePss = result.GetValue(pss),
        };
    }

    // Ed25519 (RFC 8419): the key stays PKCS#8 beside the certificate, and the digest is
    // SHA-512, the only one allowed (RFC 8419 §3.1); --pss has no meaning there.
    private static CmsSigner CurveSigner(
        CertificateStore store,
        StoredCertificate stored,
        string password,
        ParseResult result,
        Option<string> digest,
        Option<bool> pss,
        CliContext context)
    {
        if (result.GetValue(pss))
        {
            throw new UsageException("--pss", $"needs an RSA key; '{stored.Subject}' has none.");
        }

        if (result.GetValue(digest) is "sha256" or "sha384"
            && result.GetResult(digest) is { Implicit: false })
        {
            throw new UsageException("--digest",
                $"Ed25519 signs with sha512 only (RFC 8419); '{stored.Subject}' is Ed25519.");
        }

        CertificateKey key = store.GetCertificateKey(stored.Thumbprint, password);
        context.Detail($"signing as {stored.Subject} ({stored.Thumbprint[..16]}) from the store.");
        try
        {
            return new CmsSigner(key);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new UsageException(stored.Subject, e.Message);
        }
    }
}
