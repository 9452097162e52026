using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Smime.Cms;

/// <summary>
/// PureEdDSA with Ed25519 (RFC 8032 §5.1, no context, as RFC 8419 §2.3 requires). .NET has no
/// Ed25519, so BouncyCastle does the curve arithmetic here and nothing else: keys are read
/// with System.Formats.Asn1 and the seed is zeroed by us.
/// </summary>
internal static class Ed25519Signatures
{
    public const int PublicKeyLength = 32;
    public const int SeedLength = 32;
    public const int SignatureLength = 64;

    /// <summary>Signs the message with the Ed25519 key of a PKCS#8 OneAsymmetricKey.</summary>
    /// <exception cref="CryptographicException">The key is not an Ed25519 private key.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> pkcs8, ReadOnlySpan<byte> message)
    {
        byte[] seed = ReadSeed(pkcs8);
        byte[] data = message.ToArray();
        try
        {
            var signature = new byte[SignatureLength];
            Ed25519.Sign(seed, 0, data, 0, data.Length, signature, 0);
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The public key of a PKCS#8 Ed25519 private key, to match a certificate.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> pkcs8)
    {
        byte[] seed = ReadSeed(pkcs8);
        try
        {
            var publicKey = new byte[PublicKeyLength];
            Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
            return publicKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The raw public key of an Ed25519 certificate (RFC 8410 §4: id-Ed25519 with absent
    /// parameters, a 32-byte BIT STRING), or null with the reason.
    /// </summary>
    public static byte[]? PublicKeyOf(X509Certificate2 certificate, out string? failure)
    {
        PublicKey key = certificate.PublicKey;
        if (key.Oid.Value != Oids.Ed25519)
        {
            failure = $"The certificate '{certificate.Subject}' has a {key.Oid.Value} key, " +
                "not an Ed25519 key.";
            return null;
        }

        byte[] raw = key.EncodedKeyValue.RawData;
        if (raw.Length != PublicKeyLength || key.EncodedParameters?.RawData is { Length: > 0 })
        {
            failure = $"The Ed25519 key of the certificate '{certificate.Subject}' is malformed " +
                $"({raw.Length} bytes, or parameters present; RFC 8410 §4).";
            return null;
        }

        failure = null;
        return raw;
    }

    /// <summary>Whether the certificate's Ed25519 key verifies the message's signature.</summary>
    public static bool Verify(
        X509Certificate2 certificate,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> signature,
        out string? failure)
    {
        byte[]? publicKey = PublicKeyOf(certificate, out failure);
        if (publicKey is null)
        {
            return false;
        }

        if (signature.Length != SignatureLength)
        {
            failure = $"The Ed25519 signature has {signature.Length} bytes, not " +
                $"{SignatureLength} (RFC 8032 §5.1.6).";
            return false;
        }

        byte[] data = message.ToArray();
        return Ed25519.Verify(signature.ToArray(), 0, publicKey, 0, data, 0, data.Length);
    }

    // OneAsymmetricKey (RFC 5958 §2) with id-Ed25519 and absent parameters, whose privateKey
    // OCTET STRING holds CurvePrivateKey ::= OCTET STRING, the 32-byte seed (RFC 8410 §7).
    // The caller zeroes the returned seed.
    private static byte[] ReadSeed(ReadOnlySpan<byte> pkcs8)
    {
        byte[] copy = pkcs8.ToArray();
        try
        {
            var reader = new AsnReader(copy, AsnEncodingRules.BER);
            AsnReader info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!info.TryReadInt32(out int version) || version is not (0 or 1))
            {
                throw new CryptographicException(
                    "The PKCS#8 private key has a version other than 0 or 1 (RFC 5958 §2).");
            }

            AsnReader algorithm = info.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            if (oid != Oids.Ed25519 || algorithm.HasData)
            {
                throw new CryptographicException(
                    $"The PKCS#8 private key is {oid}, not id-Ed25519 with absent parameters " +
                    "(RFC 8410 §7).");
            }

            byte[] curvePrivateKey = info.ReadOctetString();
            try
            {
                var inner = new AsnReader(curvePrivateKey, AsnEncodingRules.BER);
                byte[] seed = inner.ReadOctetString();
                inner.ThrowIfNotEmpty();
                if (seed.Length != SeedLength)
                {
                    CryptographicOperations.ZeroMemory(seed);
                    throw new CryptographicException(
                        $"The Ed25519 private key has {seed.Length} bytes, not {SeedLength}.");
                }

                return seed;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(curvePrivateKey);
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException(
                "The Ed25519 private key is not a well-formed PKCS#8 OneAsymmetricKey.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }
}
