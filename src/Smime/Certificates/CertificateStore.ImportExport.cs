using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    /// <summary>
    /// PBKDF2 iterations for exported PKCS#12 files: under the 300,000 that .NET's loader
    /// accepts by default, so other .NET readers open what we write.
    /// </summary>
    public const int Pkcs12ExportIterations = 200_000;

    // Hostile-input limits for PKCS#12 files we read: .NET's defaults, with room for files
    // written by tools that use more iterations than .NET does.
    // HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD): what .NET's PKCS#12 loader reports, on every
    // platform, when the MAC does not verify under the passphrase given.
    private const int WrongPasswordHResult = unchecked((int)0x80070056);

    private static readonly Pkcs12LoaderLimits Pkcs12Limits = new()
    {
        IndividualKdfIterationLimit = 2_000_000,
        TotalKdfIterationLimit = 4_000_000,
    };

    /// <summary>
    /// Imports certificates from PEM (CERTIFICATE, PKCS7, and private keys matching one of the
    /// certificates), DER, a PKCS#7 certs-only (.p7c) or a PKCS#12 with its key, in one
    /// transaction. Private keys are stored encrypted under <paramref name="passphrase"/>:
    /// re-encrypted as PKCS#8, or, with <paramref name="keepPkcs12AsGiven"/>, the PKCS#12 as given.
    /// A certificate given without its key is paired with the store's key of the same public
    /// key, when there is one, as <see cref="PairWithKey"/> does.
    /// </summary>
    /// <returns>The certificates imported, in the order found.</returns>
    /// <exception cref="CertificateStoreException">
    /// The data is in no known format, the passphrase is wrong or missing, or a PKCS#12 uses a
    /// cipher that cannot be read; nothing is stored then.
    /// </exception>
    public IReadOnlyList<StoredCertificate> Import(
        byte[] data,
        string? passphrase = null,
        bool keepPkcs12AsGiven = false,
        string source = "input")
    {
        ArgumentNullException.ThrowIfNull(data);

        var certificates = new List<X509Certificate2>();
        var keys = new List<(X509Certificate2 Certificate, string Format, byte[] Data)>();
        try
        {
            Decode(data, passphrase, keepPkcs12AsGiven, source, certificates, keys);
            if (certificates.Count == 0)
            {
                throw new CertificateStoreException($"{source}: holds no certificate.");
            }

            return InTransaction(transaction =>
            {
                var result = new List<StoredCertificate>();
                foreach (X509Certificate2 certificate in certificates)
                {
                    AddCertificate(transaction, certificate);
                }

                foreach ((X509Certificate2 certificate, string format, byte[] key) in keys)
                {
                    StoreKey(transaction, CertificateFacts.Thumbprint(certificate), format, key);
                }

                PairImported(transaction, certificates);

                foreach (X509Certificate2 certificate in certificates)
                {
                    result.Add(Get(transaction, CertificateFacts.Thumbprint(certificate))!);
                }

                return result;
            });
        }
        finally
        {
            foreach (X509Certificate2 certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>
    /// Exports certificates as PEM, DER (one certificate), a PKCS#7 certs-only, or a PKCS#12
    /// with their private keys under AES-256-CBC and PBKDF2-HMAC-SHA256 (never RC2 or 3DES).
    /// </summary>
    /// <param name="thumbprints">The certificates, by thumbprint.</param>
    /// <param name="format">The format to write.</param>
    /// <param name="passphrase">PKCS#12: opens the stored keys.</param>
    /// <param name="exportPassphrase">PKCS#12: protects the file; the same as
    /// <paramref name="passphrase"/> when null.</param>
    /// <exception cref="CertificateStoreException">
    /// A certificate is not in the store, DER is asked for several, or PKCS#12 without a
    /// passphrase or with one that does not open a stored key.
    /// </exception>
    public byte[] Export(
        IReadOnlyList<string> thumbprints,
        CertificateExportFormat format,
        string? passphrase = null,
        string? exportPassphrase = null)
    {
        ArgumentNullException.ThrowIfNull(thumbprints);

        List<StoredCertificate> stored = thumbprints
            .Select(t => Find(t) ?? throw new CertificateStoreException(
                $"No certificate with thumbprint {t} is in the store."))
            .ToList();
        if (stored.Count == 0)
        {
            throw new CertificateStoreException("No certificate was named to export.");
        }

        switch (format)
        {
            case CertificateExportFormat.Pem:
                var pem = new StringBuilder();
                foreach (StoredCertificate certificate in stored)
                {
                    pem.Append(certificate.Certificate.ExportCertificatePem()).Append('\n');
                }

                return Encoding.ASCII.GetBytes(pem.ToString());
            case CertificateExportFormat.Der:
                if (stored.Count != 1)
                {
                    throw new CertificateStoreException(
                        "DER holds one certificate; use PEM or .p7c for several.");
                }

                return stored[0].Certificate.RawData;
            case CertificateExportFormat.P7c:
                return SignedData.CreateCertificatesOnly(stored.Select(c => c.Certificate));
            default:
                return ExportPkcs12(stored, passphrase, exportPassphrase ?? passphrase);
        }
    }

    private byte[] ExportPkcs12(
        List<StoredCertificate> stored,
        string? passphrase,
        string? exportPassphrase)
    {
        if (string.IsNullOrEmpty(passphrase) || string.IsNullOrEmpty(exportPassphrase))
        {
            throw new CertificateStoreException("A PKCS#12 export needs a passphrase.");
        }

        var collection = new X509Certificate2Collection();
        try
        {
            foreach (StoredCertificate certificate in stored)
            {
                collection.Add(certificate.HasPrivateKey
                    ? GetCertificateWithKey(certificate.Thumbprint, passphrase)
                    : X509CertificateLoader.LoadCertificate(certificate.Certificate.RawData));
            }

            var pbe = new PbeParameters(
                PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pkcs12ExportIterations);
            return collection.ExportPkcs12(pbe, exportPassphrase);
        }
        finally
        {
            foreach (X509Certificate2 certificate in collection)
            {
                certificate.Dispose();
            }
        }
    }

    private void Decode(
        byte[] data,
        string? passphrase,
        bool keepPkcs12AsGiven,
        string source,
        List<X509Certificate2> certificates,
        List<(X509Certificate2, string, byte[])> keys)
    {
        if (LooksLikePem(data))
        {
            DecodePem(Encoding.ASCII.GetString(data), passphrase, source, certificates, keys);
            return;
        }

        // GetCertContentType throws ArgumentException, not CryptographicException, on no data.
        if (data.Length == 0)
        {
            throw new CertificateStoreException($"{source} is empty; not a certificate file.");
        }

        X509ContentType type;
        try
        {
            type = X509Certificate2.GetCertContentType(data);
        }
        catch (CryptographicException)
        {
            type = X509ContentType.Unknown;
        }

        switch (type)
        {
            case X509ContentType.Cert:
                certificates.Add(LoadCertificate(data, source));
                return;
            case X509ContentType.Pkcs12:
                DecodePkcs12(data, passphrase, keepPkcs12AsGiven, source, certificates, keys);
                return;
            case X509ContentType.Pkcs7:
                DecodeCertsOnly(data, source, certificates);
                return;
            default:
                throw new CertificateStoreException(
                    $"{source} is not a certificate in PEM or DER, a PKCS#7 certs-only or a "
                    + "PKCS#12.");
        }
    }

    private void DecodePem(
        string text,
        string? passphrase,
        string source,
        List<X509Certificate2> certificates,
        List<(X509Certificate2, string, byte[])> keys)
    {
        var pendingKeys = new List<(string Label, byte[] Der)>();
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            string label = rest[fields.Label].ToString();
            byte[] der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            rest = rest[fields.Location.End..];
            switch (label)
            {
                case "CERTIFICATE":
                case "X509 CERTIFICATE":
                    certificates.Add(LoadCertificate(der, source));
                    break;
                case "PKCS7":
                case "CMS":
                    DecodeCertsOnly(der, source, certificates);
                    break;
                case "PRIVATE KEY":
                case "ENCRYPTED PRIVATE KEY":
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    pendingKeys.Add((label, der));
                    break;
            }
        }

        foreach ((string label, byte[] der) in pendingKeys)
        {
            try
            {
                keys.Add(MatchPemKey(label, der, passphrase, source, certificates));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }
    }

    private (X509Certificate2, string, byte[]) MatchPemKey(
        string label,
        byte[] der,
        string? passphrase,
        string source,
        List<X509Certificate2> certificates)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new CertificateStoreException(
                $"{source} holds a private key: give a passphrase to store it encrypted.");
        }

        if (MatchCurvePemKey(label, der, passphrase, certificates) is { } curve)
        {
            return curve;
        }

        foreach (X509Certificate2 certificate in certificates.Where(c => !CurveKeys.IsCurveKey(c)))
        {
            using AsymmetricAlgorithm? key = TryLoadKey(certificate, label, der, passphrase);
            if (key is null)
            {
                continue;
            }

            X509Certificate2 withKey = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                _ => certificate.CopyWithPrivateKey((ECDsa)key),
            };
            using (withKey)
            {
                return (certificate, Pkcs8Format, EncryptPrivateKey(withKey, passphrase));
            }
        }

        throw new CertificateStoreException(
            $"The private key in {source} matches none of its certificates (or the "
            + "passphrase does not open it).");
    }

    private static AsymmetricAlgorithm? TryLoadKey(
        X509Certificate2 certificate,
        string label,
        byte[] der,
        string passphrase)
    {
        AsymmetricAlgorithm key = certificate.PublicKey.Oid.Value switch
        {
            Oids.Rsa => RSA.Create(),
            Oids.EcPublicKey => ECDsa.Create(),
            _ => throw new NotSupportedException(
                $"Keys of algorithm {certificate.PublicKey.Oid.Value} cannot be imported."),
        };
        try
        {
            switch (label)
            {
                case "ENCRYPTED PRIVATE KEY":
                    key.ImportEncryptedPkcs8PrivateKey(passphrase, der, out _);
                    break;
                case "RSA PRIVATE KEY" when key is RSA rsa:
                    rsa.ImportRSAPrivateKey(der, out _);
                    break;
                case "EC PRIVATE KEY" when key is ECDsa ec:
                    ec.ImportECPrivateKey(der, out _);
                    break;
                default:
                    key.ImportPkcs8PrivateKey(der, out _);
                    break;
            }

            byte[] ours = key.ExportSubjectPublicKeyInfo();
            byte[] theirs = certificate.PublicKey.ExportSubjectPublicKeyInfo();
            if (ours.AsSpan().SequenceEqual(theirs))
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
            // Not this certificate's key type, or the passphrase does not open it.
        }

        key.Dispose();
        return null;
    }

    private void DecodePkcs12(
        byte[] data,
        string? passphrase,
        bool keepPkcs12AsGiven,
        string source,
        List<X509Certificate2> certificates,
        List<(X509Certificate2, string, byte[])> keys)
    {
        X509Certificate2Collection loaded;
        try
        {
            loaded = X509CertificateLoader.LoadPkcs12Collection(
                data, passphrase, X509KeyStorageFlags.Exportable, Pkcs12Limits);
        }
        catch (CryptographicException e) when (e.HResult == WrongPasswordHResult)
        {
            // The MAC (RFC 7292 §5) did not check out under this passphrase.
            throw new CertificateStoreException(
                string.IsNullOrEmpty(passphrase)
                    ? $"{source} is a PKCS#12 protected by a passphrase: give it."
                    : $"The passphrase does not open the PKCS#12 {source}.", e);
        }
        catch (CryptographicException) when (!string.IsNullOrEmpty(passphrase)
            && TryDecodePkcs12Bags(data, passphrase, certificates, keys))
        {
            // An Ed25519 or X25519 key: the loader refuses the whole file, the bags are read.
            return;
        }
        catch (CryptographicException e)
        {
            throw new CertificateStoreException(
                $"The PKCS#12 {source} cannot be read ({e.Message.TrimEnd('.')}); it may be "
                + "malformed or use a cipher this system does not support.", e);
        }

        foreach (X509Certificate2 certificate in loaded)
        {
            certificates.Add(certificate);
            if (!certificate.HasPrivateKey)
            {
                continue;
            }

            if (string.IsNullOrEmpty(passphrase))
            {
                throw new CertificateStoreException(
                    $"{source} holds a private key: give a passphrase to store it encrypted.");
            }

            keys.Add(keepPkcs12AsGiven
                ? (certificate, Pkcs12Format, data.ToArray())
                : (certificate, Pkcs8Format, EncryptPrivateKey(certificate, passphrase)));
        }

        if (!string.IsNullOrEmpty(passphrase))
        {
            AddPkcs12CurveKeys(data, passphrase, loaded, keys);
        }
    }

    private static void DecodeCertsOnly(
        byte[] data,
        string source,
        List<X509Certificate2> certificates)
    {
        try
        {
            SignedData signedData = SignedData.Decode(data);
            foreach (X509Certificate2 certificate in signedData.Certificates)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
            }
        }
        catch (CryptographicException e)
        {
            throw new CertificateStoreException($"{source} is not a well-formed PKCS#7.", e);
        }
    }

    private static X509Certificate2 LoadCertificate(byte[] der, string source)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new CertificateStoreException($"{source} holds a malformed certificate.", e);
        }
    }

    private static bool LooksLikePem(byte[] data)
    {
        ReadOnlySpan<byte> head = data.AsSpan(0, Math.Min(data.Length, 4096));
        return head.IndexOf("-----BEGIN "u8) >= 0;
    }
}
