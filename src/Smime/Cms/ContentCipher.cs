using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// One content-encryption algorithm with its parameters (IV, or AEAD nonce and tag length):
/// AES-CBC and 3DES-CBC (RFC 3370 §5, RFC 3565 §4), AES-GCM (RFC 5084 §3.2) and
/// ChaCha20-Poly1305 (RFC 8103 §3).
/// </summary>
internal sealed class ContentCipher
{
    // RFC 5084 §3.2: GCMParameters' aes-ICVlen DEFAULT 12; we write 16 and say so.
    private const int DefaultGcmTagLength = 12;
    private const int GcmTagLength = 16;
    private const int GcmNonceLength = 12;

    // RFC 8103 §3: a 12-byte nonce and a 16-byte tag, always.
    private const int ChaChaNonceLength = 12;
    private const int ChaChaTagLength = 16;

    // AES's block; 3DES's is 8.
    private const int MaxBlockSize = 16;

    private readonly byte[] _iv;

    private ContentCipher(ContentEncryptionAlgorithm algorithm, byte[] iv, int tagLength)
    {
        Algorithm = algorithm;
        _iv = iv;
        TagLength = tagLength;
    }

    public ContentEncryptionAlgorithm Algorithm { get; }

    public string Oid => OidOf(Algorithm);

    public bool IsAuthenticated => IsAead(Algorithm);

    /// <summary>The AEAD tag (mac) length; 0 for CBC.</summary>
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
    /// <exception cref="NotSupportedException">The algorithm is read-only (3DES), or the
    /// platform has no ChaCha20-Poly1305.</exception>
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

        if (algorithm == ContentEncryptionAlgorithm.ChaCha20Poly1305)
        {
            ThrowIfNoChaCha();
            return new ContentCipher(
                algorithm, RandomNumberGenerator.GetBytes(ChaChaNonceLength), ChaChaTagLength);
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

        // RFC 5083 §2.1: AuthEnvelopedData needs an authenticated cipher; RFC 5084 §1 and
        // RFC 8103 §1 put GCM and ChaCha20-Poly1305 only there: EnvelopedData has no mac.
        if (IsAead(algorithm) != authenticated)
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
            ContentCipher cipher = algorithm switch
            {
                ContentEncryptionAlgorithm.ChaCha20Poly1305 => ReadChaChaNonce(reader),
                _ when IsGcm(algorithm) => ReadGcmParameters(algorithm, reader),
                _ => ReadIv(algorithm, reader),
            };
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
        Oids.ChaCha20Poly1305 => ContentEncryptionAlgorithm.ChaCha20Poly1305,
        _ => null,
    };

    /// <summary>Writes the AlgorithmIdentifier with its IV or GCMParameters, in DER.</summary>
    public void WriteAlgorithmIdentifier(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oid);

            // RFC 3565 §4.1: the CBC parameters are the IV, an OCTET STRING; RFC 8103 §3:
            // AEADChaCha20Poly1305Nonce is the nonce, an OCTET STRING too.
            if (!IsGcm(Algorithm))
            {
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

    /// <summary>Encrypts straight into its place in the output; an AEAD writes its tag.</summary>
    public void Encrypt(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext,
        Span<byte> tag,
        ReadOnlySpan<byte> associatedData = default)
    {
        if (Algorithm == ContentEncryptionAlgorithm.ChaCha20Poly1305)
        {
            using var chacha = new ChaCha20Poly1305(key);
            chacha.Encrypt(_iv, plaintext, ciphertext, tag, associatedData);
            return;
        }

        if (IsAuthenticated)
        {
            using var gcm = new AesGcm(key, TagLength);
            gcm.Encrypt(_iv, plaintext, ciphertext, tag, associatedData);
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
    /// AES-CBC over the buffer's first <paramref name="length"/> bytes, in place, a piece of
    /// <paramref name="pieceLength"/> bytes at a time (each piece chained to the last by its
    /// final ciphertext block, as CBC is), reporting after each piece how many ciphertext bytes
    /// are final; the last piece takes the PKCS#7 padding. The result is the same as one call.
    /// </summary>
    public void EncryptCbcInPieces(
        ReadOnlySpan<byte> key,
        byte[] buffer,
        int length,
        int pieceLength,
        Action<int> advanced)
    {
        if (IsAuthenticated || pieceLength <= 0 || pieceLength % BlockSize != 0)
        {
            throw new InvalidOperationException("Only CBC is encrypted in whole-block pieces.");
        }

        using Aes aes = Aes.Create();
        aes.SetKey(key);
        Span<byte> iv = stackalloc byte[BlockSize];
        _iv.CopyTo(iv);
        int offset = 0;
        while (length - offset > pieceLength)
        {
            Span<byte> piece = buffer.AsSpan(offset, pieceLength);
            aes.EncryptCbc(piece, iv, piece, PaddingMode.None);
            piece[^BlockSize..].CopyTo(iv);
            offset += pieceLength;
            advanced(offset);
        }

        int written = aes.EncryptCbc(
            buffer.AsSpan(offset, length - offset), iv, buffer.AsSpan(offset), PaddingMode.PKCS7);
        if (offset + written != CiphertextLength(length))
        {
            throw new CryptographicException("AES-CBC wrote an unexpected number of bytes.");
        }

        advanced(offset + written);
    }

    /// <summary>
    /// Checks the encrypted content's shape before any key is unwrapped: whole blocks for CBC,
    /// a mac of the announced length for an AEAD.
    /// </summary>
    public void CheckShape(int ciphertextLength, int macLength)
    {
        if (IsAuthenticated)
        {
            if (macLength != TagLength)
            {
                string announced = IsGcm(Algorithm)
                    ? "its GCMParameters announce"
                    : "ChaCha20-Poly1305 (RFC 8103 §3) has";
                throw new CryptographicException(
                    $"The AuthEnvelopedData mac is {macLength} bytes, but {announced} " +
                    $"{TagLength}.");
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
    /// Decrypts, returning the plaintext only when the AEAD tag or the CBC padding checks out;
    /// otherwise null and a reason. The key length must already match.
    /// </summary>
    public byte[]? TryDecrypt(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> associatedData,
        out string? reason)
    {
        if (IsAuthenticated)
        {
            var plaintext = new byte[ciphertext.Length];
            return TryOpenAead(key, ciphertext, tag, associatedData, plaintext, out reason)
                ? plaintext
                : null;
        }

        using SymmetricAlgorithm cipher = CreateCbc(key);
        Span<byte> last = stackalloc byte[MaxBlockSize];
        int lastLength = TryOpenLastBlock(cipher, ciphertext, last, out reason);
        try
        {
            if (lastLength < 0)
            {
                return null;
            }

            int bulk = ciphertext.Length - BlockSize;
            var plaintext = new byte[bulk + lastLength];
            DecryptBulk(cipher, ciphertext[..bulk], plaintext.AsSpan(0, bulk));
            last[..lastLength].CopyTo(plaintext.AsSpan(bulk));
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(last);
        }
    }

    /// <summary>
    /// Decrypts the content over itself: the plaintext starts where the ciphertext did, and
    /// its length is returned. -1, and a reason, when the AEAD tag or the CBC padding
    /// does not check out; a failed AEAD leaves the content zeroed, a failed CBC padding
    /// leaves it as it was (only its last block is decrypted before the check).
    /// </summary>
    public int TryDecryptInPlace(
        ReadOnlySpan<byte> key,
        Span<byte> content,
        ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> associatedData,
        out string? reason)
    {
        if (IsAuthenticated)
        {
            // .NET's AEADs accept a destination that is exactly the source.
            return TryOpenAead(key, content, tag, associatedData, content, out reason)
                ? content.Length
                : -1;
        }

        using SymmetricAlgorithm cipher = CreateCbc(key);
        Span<byte> last = stackalloc byte[MaxBlockSize];
        int lastLength = TryOpenLastBlock(cipher, content, last, out reason);
        try
        {
            if (lastLength < 0)
            {
                return -1;
            }

            // The last block is read already; the bulk is decrypted over itself (CBC decryption
            // of block i needs only ciphertext blocks i-1 and i, and .NET handles the overlap
            // when destination and source start together), then the last block's plaintext
            // goes where its ciphertext was.
            int bulk = content.Length - BlockSize;
            DecryptBulk(cipher, content[..bulk], content[..bulk]);
            last[..lastLength].CopyTo(content[bulk..]);
            return bulk + lastLength;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(last);
        }
    }

    private SymmetricAlgorithm CreateCbc(ReadOnlySpan<byte> key)
    {
        SymmetricAlgorithm cipher = Algorithm == ContentEncryptionAlgorithm.TripleDesCbc
            ? TripleDES.Create()
            : Aes.Create();
        cipher.SetKey(key);
        return cipher;
    }

    /// <summary>
    /// Decrypts the last block first: it holds the padding, so the plaintext's exact length
    /// is known and the padding checked before any of the bulk is decrypted. Returns the
    /// plaintext bytes of that block, or -1 and a reason.
    /// </summary>
    private int TryOpenLastBlock(
        SymmetricAlgorithm cipher,
        ReadOnlySpan<byte> ciphertext,
        Span<byte> last,
        out string? reason)
    {
        reason = null;
        int bulk = ciphertext.Length - BlockSize;
        ReadOnlySpan<byte> lastIv = bulk == 0 ? _iv : ciphertext.Slice(bulk - BlockSize, BlockSize);
        try
        {
            return cipher.DecryptCbc(ciphertext[bulk..], lastIv, last, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            // Only the padding check throws here: the key and block length are checked.
        }

        // One reason for every CBC failure: a padding oracle learns nothing more.
        reason = "The content could not be decrypted: its padding is invalid (wrong key " +
            "or altered content).";
        return -1;
    }

    private void DecryptBulk(
        SymmetricAlgorithm cipher,
        ReadOnlySpan<byte> ciphertext,
        Span<byte> destination)
    {
        int written = cipher.DecryptCbc(ciphertext, _iv, destination, PaddingMode.None);
        if (written != ciphertext.Length)
        {
            throw new CryptographicException("CBC decryption wrote an unexpected length.");
        }
    }

    private bool TryOpenAead(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> associatedData,
        Span<byte> plaintext,
        out string? reason)
    {
        reason = null;
        bool isChaCha = Algorithm == ContentEncryptionAlgorithm.ChaCha20Poly1305;
        try
        {
            if (isChaCha)
            {
                using var chacha = new ChaCha20Poly1305(key);
                chacha.Decrypt(_iv, ciphertext, tag, plaintext, associatedData);
                return true;
            }

            using var gcm = new AesGcm(key, TagLength);
            gcm.Decrypt(_iv, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // The AEAD has already cleared the plaintext buffer: nothing unauthenticated stays.
            string name = isChaCha ? "ChaCha20-Poly1305" : "AES-GCM";
            reason = $"The content failed its {name} authentication: the tag does not match " +
                "(wrong key or altered content).";
            return false;
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

    private static ContentCipher ReadChaChaNonce(AsnReader reader)
    {
        if (!ChaCha20Poly1305.IsSupported)
        {
            string message = $"ChaCha20-Poly1305 ({Oids.ChaCha20Poly1305}) is not available " +
                "on this platform.";
            throw new CryptographicException(message, new NotSupportedException(message));
        }

        byte[] nonce = reader.ReadOctetString();
        if (nonce.Length != ChaChaNonceLength)
        {
            throw new CryptographicException(
                $"The AEADChaCha20Poly1305Nonce is {nonce.Length} bytes; RFC 8103 §3 fixes " +
                $"it at {ChaChaNonceLength}.");
        }

        return new ContentCipher(
            ContentEncryptionAlgorithm.ChaCha20Poly1305, nonce, ChaChaTagLength);
    }

    private static void ThrowIfNoChaCha()
    {
        if (!ChaCha20Poly1305.IsSupported)
        {
            throw new NotSupportedException(
                $"ChaCha20-Poly1305 ({Oids.ChaCha20Poly1305}) is not available on this " +
                "platform.");
        }
    }

    private static bool IsAead(ContentEncryptionAlgorithm algorithm) =>
        IsGcm(algorithm) || algorithm == ContentEncryptionAlgorithm.ChaCha20Poly1305;

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
        ContentEncryptionAlgorithm.ChaCha20Poly1305 => Oids.ChaCha20Poly1305,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };
}
