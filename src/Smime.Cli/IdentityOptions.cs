using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>--cert, --key, --password and --password-file: who we are.</summary>
internal sealed class IdentityOptions
{
    /// <summary>rsaEncryption (RFC 8017 Appendix C), the only key RSASSA-PSS applies to.</summary>
    private const string RsaOid = "1.2.840.113549.1.1.1";

    public IdentityOptions(string certDescription)
    {
        Cert = new Option<string?>("--cert")
        {
            Description = certDescription,
            HelpName = "FILE",
        };
        Key = new Option<string?>("--key")
        {
            Description = "The private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1) "
                + "when --cert holds only the certificate.",
            HelpName = "FILE",
        };
        Password = new Option<string?>("--password")
        {
            Description = "The PKCS#12 or key password (visible to other users: prefer "
                + "--password-file).",
            HelpName = "PASSWORD",
        };
        PasswordFile = new Option<string?>("--password-file")
        {
            Description = "Read the password from the first line of FILE.",
            HelpName = "FILE",
        };
    }

    public Option<string?> Cert { get; }

    public Option<string?> Key { get; }

    public Option<string?> Password { get; }

    public Option<string?> PasswordFile { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Cert);
        command.Options.Add(Key);
        command.Options.Add(Password);
        command.Options.Add(PasswordFile);
    }

    /// <summary>Whether --cert was given.</summary>
    public bool HasCertificate(ParseResult result) => result.GetValue(Cert) is not null;

    /// <summary>The password from --password or --password-file, or null.</summary>
    public string? GetPassword(ParseResult result)
    {
        string? password = result.GetValue(Password);
        string? file = result.GetValue(PasswordFile);
        if (password is not null && file is not null)
        {
            throw new UsageException("--password", "give either --password or --password-file.");
        }

        if (file is null)
        {
            return password;
        }

        if (Directory.Exists(file))
        {
            throw new UsageException(file, "is a folder, not a password file.");
        }

        if (!File.Exists(file))
        {
            throw new UsageException(file, "no such file.");
        }

        using var reader = new StreamReader(file);
        return reader.ReadLine() ?? string.Empty;
    }

    /// <summary>Loads the certificate with its private key; --cert is required.</summary>
    public X509Certificate2 LoadIdentity(ParseResult result, string verb)
    {
        string certPath = result.GetValue(Cert)
            ?? throw new UsageException("--cert", $"{verb} needs --cert with your certificate.");
        return CertificateLoader.LoadIdentity(certPath, result.GetValue(Key), GetPassword(result));
    }

    /// <summary>
    /// Loads the identity as <see cref="LoadIdentity"/> does, also when its key is Ed25519,
    /// X25519 or X448 (returned beside the certificate); --cert is required.
    /// </summary>
    public LoadedIdentity LoadIdentityOrKey(ParseResult result, string verb)
    {
        string certPath = result.GetValue(Cert)
            ?? throw new UsageException("--cert", $"{verb} needs --cert with your certificate.");
        return CertificateLoader.LoadIdentityOrKey(
            certPath, result.GetValue(Key), GetPassword(result));
    }

    /// <summary>
    /// The further certificates in the --cert file besides the identity (a PKCS#12's or a
    /// full-chain PEM's CA certificates), to send along with a signature.
    /// </summary>
    public X509Certificate2Collection LoadChain(ParseResult result, X509Certificate2 identity)
    {
        string certPath = result.GetValue(Cert)!;
        var chain = new X509Certificate2Collection();
        foreach (X509Certificate2 certificate in
            CertificateLoader.LoadCertificates(certPath, GetPassword(result)))
        {
            if (certificate.Thumbprint != identity.Thumbprint)
            {
                chain.Add(certificate);
            }
        }

        return chain;
    }

    /// <summary>
    /// Builds a signer from the identity and the --digest, --pss, --chain choices; the
    /// signer's issuers the store holds (when there is one) go along too.
    /// </summary>
    public CmsSigner CreateSigner(
        ParseResult result,
        string verb,
        Option<string> digest,
        Option<bool> pss,
        Option<string[]>? chain,
        StoreOptions? store = null)
    {
        LoadedIdentity loaded = LoadIdentityOrKey(result, verb);
        X509Certificate2 identity = loaded.Certificate;
        if (result.GetValue(pss) && identity.GetKeyAlgorithm() != RsaOid)
        {
            throw new UsageException("--pss", $"needs an RSA key; '{identity.Subject}' has none.");
        }

        CmsSigner signer = loaded.Key is not null
            ? RawKeySigner.Create(loaded.Key, result, digest)
            : new CmsSigner(identity)
            {
                DigestAlgorithm = result.GetValue(digest) switch
                {
                    "sha384" => HashAlgorithmName.SHA384,
                    "sha512" => HashAlgorithmName.SHA512,
                    _ => HashAlgorithmName.SHA256,
                },
                UsePss = result.GetValue(pss),
            };
        signer.ExtraCertificates.AddRange(LoadChain(result, identity));
        SigningChain.AddFiles(signer, result, chain);
        SigningChain.Complete(signer, StoreCertificates(result, store));
        return signer;
    }

    // With --cert the store is optional: it only lends issuers, and one that cannot be read
    // leaves the signature as the files make it.
    private static X509Certificate2Collection StoreCertificates(
        ParseResult result,
        StoreOptions? options)
    {
        try
        {
            using CertificateStore? store = options?.OpenIfExists(result);
            return store?.GetAllCertificates() ?? [];
        }
        catch (CertificateStoreException)
        {
            return [];
        }
    }
}
