using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smime.Certificates;

/// <summary>
/// Reads certificates and signing identities from the files people keep them in: PEM, DER,
/// PKCS#7 certs-only (RFC 8551 §3.6, PEM or DER) and PKCS#12.
/// </summary>
public static partial class CertificateLoader
{
    /// <summary>Largest certificate or key file read; anything bigger is not one.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Most certificates taken from one file.</summary>
    public const int MaxCertificates = 1024;

    /// <summary>
    /// Loads every certificate in a file: PEM with one or many CERTIFICATE or PKCS7 blocks,
    /// a DER certificate, a PKCS#7 certs-only bundle, or a PKCS#12 (its keys are attached).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="password">The PKCS#12 password, if the file is one.</param>
    /// <exception cref="CertificateLoadException">The file is missing or holds no certificate.
    /// </exception>
    public static X509Certificate2Collection LoadCertificates(string path, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data = ReadFile(path);
        return LoadCertificates(data, path, password);
    }

    /// <summary>Loads every certificate in the bytes of a file; see the path overload.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="name">The name to give in errors.</param>
    /// <param name="password">The PKCS#12 password, if the data is one.</param>
    /// <exception cref="CertificateLoadException">The data holds no certificate.</exception>
    public static X509Certificate2Collection LoadCertificates(
        ReadOnlySpan<byte> data,
        string name,
        string? password = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        X509Certificate2Collection certificates = IsPem(data)
            ? LoadPemCertificates(Encoding.Latin1.GetString(data), name)
            : LoadBinaryCertificates(data.ToArray(), name, password);

        if (certificates.Count == 0)
        {
            throw new CertificateLoadException(name, "holds no certificate.");
        }

        if (certificates.Count > MaxCertificates)
        {
            throw new CertificateLoadException(
                name, $"holds more than {MaxCertificates} certificates.");
        }

        return certificates;
    }

    /// <summary>
    /// Loads a signing or decryption identity: a certificate with its private key attached.
    /// The certificate file is a PKCS#12, or PEM/DER certificates with the key in
    /// <paramref name="keyPath"/> (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC PEM) or,
    /// when that is null, in the certificate file itself. When the file holds several
    /// certificates, the one whose public key matches the private key is returned.
    /// </summary>
    /// <param name="certificatePath">The PKCS#12 or certificate file.</param>
    /// <param name="keyPath">The private key file, when separate.</param>
    /// <param name="password">The PKCS#12 or encrypted key's password.</param>
    /// <exception cref="CertificateLoadException">A file is missing, unreadable, encrypted
    /// under another password, or holds no key matching a certificate.</exception>
    public static X509Certificate2 LoadIdentity(
        string certificatePath,
        string? keyPath = null,
        string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        byte[] data = ReadFile(certificatePath);
        if (!IsPem(data) && ContentType(data) == X509ContentType.Pfx)
        {
            return LoadPkcs12Identity(data, certificatePath, password);
        }

        X509Certificate2Collection candidates = LoadCertificates(data, certificatePath, password);
        string keyName = keyPath ?? certificatePath;
        byte[] keyData = keyPath is null ? data : ReadFile(keyPath);
        string keyPem = Encoding.Latin1.GetString(keyData);
        return AttachKey(candidates, keyPem, keyName, password);
    }

    /// <summary>Refuses a file that is empty or holds only white space, in one sentence.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="name">The name to give in the error.</param>
    /// <exception cref="CertificateLoadException">The data is empty or only white space.
    /// </exception>
    public static void ThrowIfBlank(ReadOnlySpan<byte> data, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (data.IsEmpty)
        {
            throw new CertificateLoadException(name, "is empty; not a certificate file.");
        }

        if (data.IndexOfAnyExcept(" \t\r\n\f\v"u8) < 0)
        {
            throw new CertificateLoadException(
                name, "holds only white space; not a certificate file.");
        }
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path))
            {
                throw new CertificateLoadException(path, "is a folder, not a file.");
            }

            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new CertificateLoadException(
                    path,
                    $"is larger than {MaxFileBytes / (1024 * 1024)} MiB; not a certificate file.");
            }

            byte[] data = File.ReadAllBytes(path);
            ThrowIfBlank(data, path);
            return data;
        }
        catch (FileNotFoundException e)
        {
            throw new CertificateLoadException(path, "no such file.", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CertificateLoadException(path, "no such file or folder.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CertificateLoadException(path, "permission denied.", e);
        }
        catch (IOException e)
        {
            throw new CertificateLoadException(path, $"cannot be read: {e.Message}", e);
        }
    }

    private static bool IsPem(ReadOnlySpan<byte> data) => data.IndexOf("-----BEGIN "u8) >= 0;

    private static X509ContentType ContentType(byte[] data)
    {
        // GetCertContentType throws ArgumentException, not CryptographicException, on empty data.
        if (data.Length == 0)
        {
            return X509ContentType.Unknown;
        }

        try
        {
            return X509Certificate2.GetCertContentType(data);
        }
        catch (CryptographicException)
        {
            return X509ContentType.Unknown;
        }
    }

    private static X509Certificate2Collection LoadPemCertificates(string text, string name)
    {
        var certificates = new X509Certificate2Collection();
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            ReadOnlySpan<char> label = rest[fields.Label];
            byte[] der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            rest = rest[fields.Location.End.Value..];

            if (label.SequenceEqual("CERTIFICATE"))
            {
                certificates.Add(LoadDerCertificate(der, name));
            }
            else if (label.SequenceEqual("PKCS7") || label.SequenceEqual("CMS"))
            {
                certificates.AddRange(LoadPkcs7(der, name));
            }
            else if (label.SequenceEqual("TRUSTED CERTIFICATE"))
            {
                throw new CertificateLoadException(name,
                    "holds an OpenSSL TRUSTED CERTIFICATE; export it with 'openssl x509' first.");
            }

            if (certificates.Count > MaxCertificates)
            {
                break;
            }
        }

        return certificates;
    }

    private static X509Certificate2Collection LoadBinaryCertificates(
        byte[] data,
        string name,
        string? password)
    {
        switch (ContentType(data))
        {
            case X509ContentType.Cert:
                return [LoadDerCertificate(data, name)];
            case X509ContentType.Pkcs7:
                return LoadPkcs7(data, name);
            case X509ContentType.Pfx:
                return LoadPkcs12(data, name, password);
            default:
                throw new CertificateLoadException(name,
                    "is not a certificate file (PEM, DER, PKCS#7 or PKCS#12).");
        }
    }

    private static X509Certificate2 LoadDerCertificate(byte[] der, string name)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException(name, $"holds a malformed certificate: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadPkcs7(byte[] der, string name)
    {
        try
        {
            // X509CertificateLoader has no reader for PKCS#7 certs-only bundles, and the
            // collection's Import (OpenSSL's d2i_PKCS7 underneath) is the platform's reader.
#pragma warning disable SYSLIB0057
            var certificates = new X509Certificate2Collection();
            certificates.Import(der);
#pragma warning restore SYSLIB0057
            return certificates;
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException(name, $"holds a malformed PKCS#7 bundle: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadPkcs12(byte[] data, string name, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12Collection(data, password);
        }
        catch (CryptographicException e)
        {
            string reason = string.IsNullOrEmpty(password)
                ? "needs its password (none was given), or is not a PKCS#12 file."
                : "wrong password or not a PKCS#12 file.";
            throw new CertificateLoadException(name, reason, e);
        }
    }

    private static X509Certificate2 LoadPkcs12Identity(byte[] data, string name, string? password)
    {
        X509Certificate2Collection all = LoadPkcs12(data, name, password);
        X509Certificate2? identity = null;
        foreach (X509Certificate2 certificate in all)
        {
            if (identity is null && certificate.HasPrivateKey)
            {
                identity = certificate;
            }
            else
            {
                certificate.Dispose();
            }
        }

        return identity ?? throw new CertificateLoadException(name, "holds no private key.");
    }

    private static X509Certificate2 AttachKey(
        X509Certificate2Collection candidates,
        string keyPem,
        string keyName,
        string? password)
    {
        bool encrypted = keyPem.Contains(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (keyPem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new CertificateLoadException(keyName,
                "holds a legacy OpenSSL-encrypted key; convert it with 'openssl pkcs8 -topk8'.");
        }

        if (!encrypted && !keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new CertificateLoadException(keyName, "holds no private key.");
        }

        if (encrypted && password is null)
        {
            throw new CertificateLoadException(keyName,
                "the private key is encrypted; give its password.");
        }

        CryptographicException? last = null;
        foreach (X509Certificate2 candidate in candidates)
        {
            string certificatePem = candidate.ExportCertificatePem();
            try
            {
                return encrypted
                    ? X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, password)
                    : X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }
            catch (CryptographicException e)
            {
                last = e;
            }
            catch (ArgumentException e)
            {
                throw new CertificateLoadException(
                    keyName, $"holds no usable private key: {e.Message}", e);
            }
        }

        string problem = encrypted
            ? "wrong password, or the key does not match the certificate."
            : "the private key does not match the certificate, or cannot be read.";
        throw new CertificateLoadException(keyName, problem, last);
    }
}
