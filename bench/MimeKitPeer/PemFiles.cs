using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace Smime.Bench.MimeKitPeer;

/// <summary>Reads certificates and keys from PEM files with BouncyCastle, as MimeKit wants
/// them.</summary>
internal static class PemFiles
{
    /// <summary>Reads every certificate in a PEM file, in file order (leaf first for a
    /// chain file).</summary>
    public static IReadOnlyList<X509Certificate> ReadCertificates(string path)
    {
        using var reader = new StreamReader(path);
        var pem = new PemReader(reader);
        var certificates = new List<X509Certificate>();

        object? item;
        while ((item = pem.ReadObject()) is not null)
        {
            if (item is X509Certificate certificate)
            {
                certificates.Add(certificate);
            }
        }

        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"No certificate found in '{path}'.");
        }

        return certificates;
    }

    /// <summary>Reads an unencrypted private key: PKCS#8 ("PRIVATE KEY") or a traditional
    /// OpenSSL key ("RSA PRIVATE KEY", "EC PRIVATE KEY").</summary>
    public static AsymmetricKeyParameter ReadPrivateKey(string path)
    {
        using var reader = new StreamReader(path);
        var pem = new PemReader(reader);

        object? item;
        while ((item = pem.ReadObject()) is not null)
        {
            switch (item)
            {
                case AsymmetricCipherKeyPair pair:
                    return pair.Private;
                case AsymmetricKeyParameter { IsPrivate: true } key:
                    return key;
            }
        }

        throw new InvalidDataException($"No private key found in '{path}'.");
    }
}
