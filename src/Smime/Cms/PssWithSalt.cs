using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Smime.Cms;

/// <summary>
/// Verifies RSASSA-PSS signatures whose salt is not as long as the hash. .NET's
/// RSASignaturePadding.Pss has no salt length, and OpenSSL signs with the longest salt by
/// default, so RFC 4056 §3's "any valid parameters" needs BouncyCastle here. Only verification,
/// once per signer, off the hot path.
/// </summary>
internal static class PssWithSalt
{
    public static bool Verify(
        RSA publicKey,
        ResolvedSignature algorithm,
        ReadOnlySpan<byte> hash,
        ReadOnlySpan<byte> signature)
    {
        RSAParameters parameters = publicKey.ExportParameters(includePrivateParameters: false);
        var key = new RsaKeyParameters(
            false,
            new BigInteger(1, parameters.Modulus!),
            new BigInteger(1, parameters.Exponent!));

        // The raw signer takes the message hash itself, so the content is not hashed twice.
        PssSigner signer = PssSigner.CreateRawSigner(
            new RsaBlindedEngine(),
            CreateDigest(algorithm.Hash),
            CreateDigest(algorithm.Hash),
            algorithm.PssSaltLength,
            PssSigner.TrailerImplicit);
        try
        {
            signer.Init(false, key);
            signer.BlockUpdate(hash.ToArray(), 0, hash.Length);
            return signer.VerifySignature(signature.ToArray());
        }
        catch (Exception e) when (e is CryptoException or ArgumentException)
        {
            // A salt too long for the modulus, or a signature of the wrong size.
            return false;
        }
    }

    private static IDigest CreateDigest(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => new Sha1Digest(),
        "SHA256" => new Sha256Digest(),
        "SHA384" => new Sha384Digest(),
        "SHA512" => new Sha512Digest(),
        _ => throw new NotSupportedException($"The PSS hash {hash.Name} is not supported."),
    };
}
