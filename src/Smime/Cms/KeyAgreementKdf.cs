using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// The steps of key agreement after the Diffie-Hellman itself: ECC-CMS-SharedInfo
/// (RFC 5753 §7.2), the X9.63 KDF and HKDF, and AES key wrap (RFC 3394, RFC 3565 §2.3.2).
/// </summary>
internal static class KeyAgreementKdf
{
    private static readonly Asn1Tag s_explicit0 = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_explicit2 = new(TagClass.ContextSpecific, 2, true);

    /// <summary>The AES key wrap whose size matches the content key (RFC 8551 §2.3).</summary>
    public static string WrapOidFor(int contentKeyLength) => contentKeyLength switch
    {
        16 => Oids.Aes128Wrap,
        24 => Oids.Aes192Wrap,
        _ => Oids.Aes256Wrap,
    };

    /// <summary>The key-encryption key length of an AES key wrap OID, or 0 if unknown.</summary>
    public static int WrapKeyLength(string wrapOid) => wrapOid switch
    {
        Oids.Aes128Wrap => 16,
        Oids.Aes192Wrap => 24,
        Oids.Aes256Wrap => 32,
        _ => 0,
    };

    /// <summary>
    /// The DER of ECC-CMS-SharedInfo (RFC 5753 §7.2): keyInfo is the key wrap algorithm,
    /// entityUInfo the ukm when there is one, suppPubInfo the KEK length in bits as four
    /// big-endian bytes.
    /// </summary>
    public static byte[] SharedInfo(
        AlgorithmIdentifierAsn keyWrap,
        ReadOnlyMemory<byte>? ukm,
        int kekLength)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            keyWrap.Write(writer);
            if (ukm is { } entityUInfo)
            {
                using (writer.PushSequence(s_explicit0))
                {
                    writer.WriteOctetString(entityUInfo.Span);
                }
            }

            Span<byte> bits = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bits, kekLength * 8);
            using (writer.PushSequence(s_explicit2))
            {
                writer.WriteOctetString(bits);
            }
        }

        return writer.Encode();
    }

    /// <summary>The key-encryption key the scheme derives from the shared secret Z.</summary>
    public static byte[] Derive(
        KeyAgreementScheme scheme,
        ReadOnlySpan<byte> sharedSecret,
        byte[] sharedInfo,
        int length) => scheme.Derivation == KeyDerivation.Hkdf
        ? DeriveHkdf(sharedSecret, scheme.Hash, sharedInfo, length)
        : DeriveX963(sharedSecret, scheme.Hash, sharedInfo, length);

    /// <summary>
    /// The ANSI X9.63 KDF (SEC 1 §3.6.1, RFC 5753 §7.2): Hash(Z || counter || SharedInfo)
    /// for counters 1, 2, ... until enough bytes.
    /// </summary>
    public static byte[] DeriveX963(
        ReadOnlySpan<byte> sharedSecret,
        HashAlgorithmName hash,
        byte[] sharedInfo,
        int length)
    {
        var output = new byte[length];
        Span<byte> counter = stackalloc byte[4];
        Span<byte> block = stackalloc byte[64];
        using var hasher = IncrementalHash.CreateHash(hash);
        int written = 0;
        try
        {
            for (uint i = 1; written < length; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(counter, i);
                hasher.AppendData(sharedSecret);
                hasher.AppendData(counter);
                hasher.AppendData(sharedInfo);
                int size = hasher.GetHashAndReset(block);
                int take = Math.Min(size, length - written);
                block[..take].CopyTo(output.AsSpan(written));
                written += take;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }

        return output;
    }

    /// <summary>RFC 8418 §2.2: HKDF, no salt, IKM the shared secret, info SharedInfo.</summary>
    public static byte[] DeriveHkdf(
        ReadOnlySpan<byte> sharedSecret,
        HashAlgorithmName hash,
        byte[] sharedInfo,
        int length)
    {
        var output = new byte[length];
        HKDF.DeriveKey(hash, sharedSecret, output, salt: [], info: sharedInfo);
        return output;
    }

    /// <summary>AES key wrap (RFC 3394 §2.2.1); .NET has none, so BouncyCastle does it.</summary>
    public static byte[] Wrap(byte[] kek, ReadOnlySpan<byte> contentKey)
    {
        var engine = new AesWrapEngine();
        engine.Init(true, new KeyParameter(kek));
        byte[] input = contentKey.ToArray();
        try
        {
            return engine.Wrap(input, 0, input.Length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>
    /// AES key unwrap (RFC 3394 §2.2.2): null when the integrity check fails, which is what a
    /// wrong key-encryption key gives.
    /// </summary>
    public static byte[]? TryUnwrap(byte[] kek, ReadOnlySpan<byte> wrapped)
    {
        // RFC 3394 §2: at least two 64-bit blocks of key data, so 24 bytes wrapped.
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            return null;
        }

        var engine = new AesWrapEngine();
        engine.Init(false, new KeyParameter(kek));
        byte[] input = wrapped.ToArray();
        try
        {
            return engine.Unwrap(input, 0, input.Length);
        }
        catch (InvalidCipherTextException)
        {
            return null;
        }
    }
}
