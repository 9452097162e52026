using System.Security.Cryptography;

namespace Smime.Authority;

/// <summary>
/// Makes key pairs locally (the private key never leaves this process unencrypted).
/// </summary>
public static class KeyPairs
{
    /// <summary>
    /// The names <see cref="ParseKeyType"/> accepts, in the order of <see cref="KeyType"/>.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
        ["rsa2048", "rsa3072", "rsa4096", "p256", "p384"];

    /// <summary>
    /// Parses "rsa2048", "rsa3072", "rsa4096", "p256" or "p384" (case-insensitive).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Any other name; RSA under 2048 bits is named as refused by S/MIME BR §6.1.5.
    /// </exception>
    public static KeyType ParseKeyType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        string normal = name.Trim().ToLowerInvariant().Replace("-", "");
        int index = Names.ToList().IndexOf(normal switch
        {
            "secp256r1" or "prime256v1" or "ecp256" => "p256",
            "secp384r1" or "ecp384" => "p384",
            "rsa" => "rsa2048",
            _ => normal,
        });
        if (index >= 0)
        {
            return (KeyType)index;
        }

        if (normal.StartsWith("rsa", StringComparison.Ordinal)
            && int.TryParse(normal[3..], out int bits) && bits < SmimeProfiles.MinimumRsaKeySize)
        {
            throw new ArgumentException(
                $"RSA keys of {bits} bits are refused: S/MIME needs at least "
                + $"{SmimeProfiles.MinimumRsaKeySize} (CA/B S/MIME BR §6.1.5).", nameof(name));
        }

        throw new ArgumentException(
            $"Unknown key type '{name}'; use one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Makes a new key pair: an <see cref="RSA"/> or an <see cref="ECDsa"/>.</summary>
    public static AsymmetricAlgorithm Create(KeyType type) => type switch
    {
        KeyType.Rsa2048 => RSA.Create(2048),
        KeyType.Rsa3072 => RSA.Create(3072),
        KeyType.Rsa4096 => RSA.Create(4096),
        KeyType.P256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyType.P384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown key type."),
    };

    /// <summary>The hash a key of this type signs with: SHA-384 for P-384, else SHA-256.</summary>
    public static HashAlgorithmName SignatureHash(AsymmetricAlgorithm key) =>
        key is ECDsa { KeySize: >= 384 } ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>
    /// The RSA key size of a key, checked against the S/MIME minimum.
    /// </summary>
    /// <exception cref="CryptographicException">An RSA key under 2048 bits.</exception>
    public static void CheckStrength(AsymmetricAlgorithm key)
    {
        if (key is RSA && key.KeySize < SmimeProfiles.MinimumRsaKeySize)
        {
            throw new CryptographicException(
                $"The RSA key has {key.KeySize} bits; S/MIME needs at least "
                + $"{SmimeProfiles.MinimumRsaKeySize} (CA/B S/MIME BR §6.1.5).");
        }
    }
}
