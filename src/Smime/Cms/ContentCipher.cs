using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// One content-encryption algorithm with its parameters (IV, or GCM nonce and tag length):
/// AES-CBC and 3DES-CBC (RFC 3370 §5, RFC 3565 §4), AES-GCM (RFC 5084 §3.2).
/// </summary>
internal sealed class ContentCipher
{
    // RFC 5084 §3.2: GCMParameters' aes-ICVlen DEFAULT 12; we write 16 and say so.
    private const int DefaultGcmTagLength = 12;
    private const int GcmTagLength = 16;
    private const int GcmNonceLength = 12;

    private readonly byte[] _iv;

    private ContentCipher(ContentEncryptionAlgorithm algorithm, byte[] iv, int tagLength)
    {
        Algorithm = algorithm;
        _iv = iv;
        TagLength = tagLength;
    }

    public ContentEncryptionAlgorithm Algorithm { get; }

    public string Oid => OidOf(Algorithm);

    public bool IsAuthenticated => IsGcm(Algorithm);

    /// <summary>The GCM tag (mac) length; 0 for CBC.</summary>
    public int TagLength { get; }

    public int KeyLength => Algorithm switch
    {
        ContentEncryptionAlgorithm.Aes128Gcm or ContentEncryptionAlgorithm.Aes128Cbc => 16,
        ContentEncryptionAlgorithm.Aes192Gcm or ContentEncryptionAlgorithm.Aes192Cbc => 24,
        ContentEncryptionAlgorithm.TripleDesCbc => 24,
        _ => 32,
    };

    private int BlockSize => Algorithm == ContentEncryptionAlgorithm.TripleDesCbc ? 8 : 16;

    /// <summary>A cipher with a fresh random IV or nonce, for encrypting.</summary>
    /// <exception cref="NotSupportedException">The algorithm is read-only (3DES).</exception>
    public static ContentCipher ForEncryption(ContentEncryptionAlgorithm algorithm)
    {
        if (algorithm == ContentEncryptionAlgorithm.TripleDesCbc)
        {
            throw new NotSupportedException(
                "Triple DES (1.2.840.113549.3.7) is read-only, for old mail; " +
                "encrypt with AES-GCM or AES-CBC.");
        }

        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null);
        }

        if (IsGcm(algorithm))
        {
            return new ContentCipher(
                algorithm, RandomNumberGenerator.GetBytes(GcmNonceLength), GcmTagLength);
        }

        return new ContentCipher(algorithm, RandomNumberGenerator.GetBytes(16), 0);
    }

    /// <summary>Reads the contentEncryptionAlgorithm of an EncryptedContentInfo.</summary>
    /// <param name="identifier">The AlgorithmIdentifier as read.</param>
    /// <param name="authenticated">True inside AuthEnvelopedData, which needs an AEAD.</param>
    /// <exception cref="CryptographicException">The parameters are malformed, the algorithm
    /// does not fit the content type, or it is not supported (a NotSupportedException inside
    /// names the OID).</exception>
    public static ContentCipher Read(AlgorithmIdentifierAsn identifier, bool authenticated)
    {
        ContentEncryptionAlgorithm algorithm = FromOid(identifier.Oid)
            ?? throw new CryptographicException(
                $"The content-encryption algorithm {identifier.Oid} is not supported.",
                new NotSupportedException(
                    $"The content-encryption algorithm {identifier.Oid} is not supported."));

        // RFC 5083 §2.1: AuthEnvelopedData needs an authenticated cipher; RFC 5084 §1 puts
        // GCM only there, since EnvelopedData has no place for the tag.
        if (IsGcm(algorithm) != authenticated)
        {
            string where = authenticated ? "AuthEnvelopedData" : "EnvelopedData";
            throw new CryptographicException(
                $"The {where} names content-encryption algorithm {identifier.Oid}, " +
                "which does not belong in it.");
        }

        if (identifier.Parameters is not { } parameters)
        {
            throw new CryptographicException(
                $"The content-encryption algorithm {identifier.Oid} has no parameters.");
        }

        try
        {
            var reader = new AsnReader(parameters, AsnEncodingRules.BER);
            ContentCipher cipher = IsGcm(algorithm)
                ? ReadGcmParameters(algorithm, reader)
                : ReadIv(algorithm, reader);
            reader.ThrowIfNotEmpty();
            return cipher;
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException(
                $"The parameters of content-encryption algorithm {identifier.Oid} are malformed.",
                e);
        }
    }

    /// <summary>The algorithm for an OID, or null when it is not one we know.</summary>
    public static ContentEncryptionAlgorithm? FromOid(string oid) => oid switch
    {
        Oids.Aes128Gcm => ContentEncryptionAlgorithm.Aes128Gcm,
        Oids.Aes192Gcm => ContentEncryptionAlgorithm.Aes192Gcm,
        Oids.Aes256Gcm => ContentEncryptionAlgorithm.Aes256Gcm,
        Oids.Aes128Cbc => ContentEncryptionAlgorithm.Aes128Cbc,
        Oids.Aes192Cbc => ContentEncryptionAlgorithm.Aes192Cbc,
        Oids.Aes256Cbc => ContentEncryptionAlgorithm.Aes256Cbc,
        Oids.TripleDesCbc => ContentEncryptionAlgorithm.TripleDesCbc,
        _ => null,
    };

    /// <summary>Writes the AlgorithmIdentifier with its IV or GCMParameters, in DER.</summary>
    public void WriteAlgorithmIdentifier(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oid);
            if (!IsAuthenticated)
            {
                // RFC 3565 §4.1: the parameters are the IV, an OCTET STRING.
                writer.WriteOctetString(_iv);
                return;
            }

            // RFC 5084 §3.2: GCMParameters; aes-ICVlen defaults to 12, so 16 is written.
            using (writer.PushSequence())
            {
                writer.WriteOctetString(_iv);
                writer.WriteInteger(TagLength);
            }
        }
    }

    /// <summary>The ciphertext length for a plaintext length (PKCS#7 padding for CBC).</summary>
    public long CiphertextLength(long plaintextLength) =>
        IsAuthenticated ? plaintextLength : (plaintextLength / BlockSize + 1) * BlockSize;

    /// <summary>Encrypts straight into its place in the output; GCM writes its tag too.</summary>
    public void Encrypt(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext,
        Span<byte> tag)
    {
        if (IsAuthenticated)
        {
            using var gcm = new AesGcm(key, TagLength);
            gcm.Encrypt(_iv, plaintext, ciphertext, tag);
            return;
        }

        using Aes aes = Aes.Create();
        aes.SetKey(key);
        int written = aes.EncryptCbc(plaintext, _iv, ciphertext, PaddingMode.PKCS7);
        if (written != ciphertext.Length)
        {
            throw new CryptographicException("AES-CBC wrote an unexpected number of bytes.");
        }
    }

    /// <summary>
    /// Checks the encrypted content's shape before any key is unwrapped: whole blocks for CBC,
    /// a mac of the announced length for GCM.
    /// </summary>
    public void CheckShape(int ciphertextLength, int macLength)
    {
        if (IsAuthenticated)
        {
            if (macLength != TagLength)
            {
                throw new CryptographicException(
                    $"The AuthEnvelopedData mac is {macLength} bytes, but its GCMParameters " +
                    $"announce {TagLength}.");
            }

            return;
        }

        if (ciphertextLength == 0 || ciphertextLength % BlockSize != 0)
        {
            throw new CryptographicException(
                $"The EncryptedContentInfo's encryptedContent is {ciphertextLength} bytes, " +
                $"not a whole number of {BlockSize}-byte blocks.");
        }
    }

    /// <summary>
    /// Decrypts, returning the plaintext only when the GCM tag or the CBC padding checks out;
    /// otherwise null and a reason. The key length must already match.
    /// </summary>
    public byte[]? TryDecrypt(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> associatedData,
        out string? reason)
    {
        reason = null;
        if (IsAuthenticated)
        {
            return TryDecryptGcm(key, ciphertext, tag, associatedData, out reason);
        }

        using SymmetricAlgorithm cipher = Algorithm == ContentEncryptionAlgorithm.TripleDesCbc
            ? TripleDES.Create()
            : Aes.Create();
        try
        {
            cipher.SetKey(key);
            return DecryptCbc(cipher, ciphertext);
        }
        catch (CryptographicException)
        {
            // One reason for every CBC failure: a padding oracle learns nothing more.
            reason = "The content could not be decrypted: its padding is invalid (wrong key " +
                "or altered content).";
            return null;
        }
    }

    private byte[] DecryptCbc(SymmetricAlgorithm cipher, ReadOnlySpan<byte> ciphertext)
    {
        // The last block first: it holds the padding, so the plaintext's exact length is known
        // and the padding checked before any of the bulk is decrypted into one exact array.
        int bulk = ciphertext.Length - BlockSize;
        ReadOnlySpan<byte> lastIv = bulk == 0 ? _iv : ciphertext.Slice(bulk - BlockSize, BlockSize);
        byte[] last = cipher.DecryptCbc(ciphertext[bulk..], lastIv, PaddingMode.PKCS7);
        try
        {
            var plaintext = new byte[bulk + last.Length];
            int written = cipher.DecryptCbc(
                ciphertext[..bulk], _iv, plaintext.AsSpan(0, bulk), PaddingMode.None);
            if (written != bulk)
            {
                throw new CryptographicException("CBC decryption wrote an unexpected length.");
            }

            last.CopyTo(plaintext.AsSpan(bulk));
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(last);
        }
    }

    private byte[]? TryDecryptGcm(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> associatedData,
        out string? reason)
    {
        reason = null;
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var gcm = new AesGcm(key, TagLength);
            gcm.Decrypt(_iv, ciphertext, tag, plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            // AesGcm has already cleared the plaintext buffer; it is dropped here too.
            reason = "The content failed its AES-GCM authentication: the tag does not match " +
                "(wrong key or altered content).";
            return null;
        }
    }

    private static ContentCipher ReadIv(ContentEncryptionAlgorithm algorithm, AsnReader reader)
    {
        int blockSize = algorithm == ContentEncryptionAlgorithm.TripleDesCbc ? 8 : 16;
        byte[] iv = reader.ReadOctetString();
        if (iv.Length != blockSize)
        {
            throw new CryptographicException(
                $"The CBC IV of {OidOf(algorithm)} is {iv.Length} bytes, not {blockSize}.");
        }

        return new ContentCipher(algorithm, iv, 0);
    }

    private static ContentCipher ReadGcmParameters(
        ContentEncryptionAlgorithm algorithm,
        AsnReader reader)
    {
        AsnReader sequence = reader.ReadSequence();
        byte[] nonce = sequence.ReadOctetString();
        int tagLength = DefaultGcmTagLength;
        if (sequence.HasData && !sequence.TryReadInt32(out tagLength))
        {
            throw new CryptographicException("The GCMParameters aes-ICVlen is out of range.");
        }

        sequence.ThrowIfNotEmpty();

        // RFC 5084 §3.2: aes-ICVlen is 12 to 16. The nonce: 12 bytes is what RFC 5084
        // recommends and all AesGcm accepts.
        if (tagLength is < 12 or > 16)
        {
            throw new CryptographicException(
                $"The GCMParameters aes-ICVlen is {tagLength}; RFC 5084 allows 12 to 16.");
        }

        if (nonce.Length != GcmNonceLength)
        {
            throw new CryptographicException(
                $"The GCMParameters aes-nonce is {nonce.Length} bytes; only 12 is supported.");
        }

        return new ContentCipher(algorithm, nonce, tagLength);
    }

    private static bool IsGcm(ContentEncryptionAlgorithm algorithm) =>
        algorithm is ContentEncryptionAlgorithm.Aes128Gcm
            or ContentEncryptionAlgorithm.Aes192Gcm
            or ContentEncryptionAlgorithm.Aes256Gcm;

    private static string OidOf(ContentEncryptionAlgorithm algorithm) => algorithm switch
    {
        ContentEncryptionAlgorithm.Aes128Gcm => Oids.Aes128Gcm,
        ContentEncryptionAlgorithm.Aes192Gcm => Oids.Aes192Gcm,
        ContentEncryptionAlgorithm.Aes256Gcm => Oids.Aes256Gcm,
        ContentEncryptionAlgorithm.Aes128Cbc => Oids.Aes128Cbc,
        ContentEncryptionAlgorithm.Aes192Cbc => Oids.Aes192Cbc,
        ContentEncryptionAlgorithm.Aes256Cbc => Oids.Aes256Cbc,
        ContentEncryptionAlgorithm.TripleDesCbc => Oids.TripleDesCbc,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };
}
