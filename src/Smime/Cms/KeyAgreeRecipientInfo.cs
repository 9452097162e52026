using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>One RecipientEncryptedKey of a KeyAgreeRecipientInfo (RFC 5652 §6.2.2).</summary>
internal sealed record RecipientEncryptedKey(
    RecipientIdentifierAsn Rid,
    ReadOnlyMemory<byte> EncryptedKey);

/// <summary>
/// KeyAgreeRecipientInfo (RFC 5652 §6.2.2), ephemeral-static: the originator sends a fresh
/// public key, both sides derive a key-encryption key, and that wraps the content key.
/// ECDH on P-256/384/521 (RFC 5753 §3.1) and X25519/X448 (RFC 8418 §2).
/// </summary>
internal sealed partial class KeyAgreeRecipientInfo
{
    // RFC 5652 §6.2.2: version is always 3.
    public const int Version = 3;

    private static readonly Asn1Tag s_kari = new(TagClass.ContextSpecific, 1, true);
    private static readonly Asn1Tag s_originator = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_originatorKey = new(TagClass.ContextSpecific, 1, true);
    private static readonly Asn1Tag s_ukm = new(TagClass.ContextSpecific, 1, true);

    private KeyAgreeRecipientInfo(
        AlgorithmIdentifierAsn? originatorAlgorithm,
        ReadOnlyMemory<byte> originatorPublicKey,
        ReadOnlyMemory<byte>? ukm,
        AlgorithmIdentifierAsn keyEncryptionAlgorithm,
        List<RecipientEncryptedKey> recipientEncryptedKeys)
    {
        OriginatorAlgorithm = originatorAlgorithm;
        OriginatorPublicKey = originatorPublicKey;
        Ukm = ukm;
        KeyEncryptionAlgorithm = keyEncryptionAlgorithm;
        RecipientEncryptedKeys = recipientEncryptedKeys;
    }

    /// <summary>The originatorKey's algorithm; null when the originator is a certificate.</summary>
    public AlgorithmIdentifierAsn? OriginatorAlgorithm { get; }

    /// <summary>The originator's public key: an EC point or an X25519/X448 key.</summary>
    public ReadOnlyMemory<byte> OriginatorPublicKey { get; }

    /// <summary>The user keying material, when sent.</summary>
    public ReadOnlyMemory<byte>? Ukm { get; }

    public AlgorithmIdentifierAsn KeyEncryptionAlgorithm { get; }

    public IReadOnlyList<RecipientEncryptedKey> RecipientEncryptedKeys { get; }

    /// <summary>Reads one kari [1] (BER).</summary>
    /// <exception cref="CryptographicException">It is malformed.</exception>
    public static KeyAgreeRecipientInfo Read(AsnReader reader)
    {
        try
        {
            AsnReader sequence = reader.ReadSequence(s_kari);
            if (!sequence.TryReadInt32(out int version) || version != Version)
            {
                throw new CryptographicException(
                    "A KeyAgreeRecipientInfo version is not 3 (RFC 5652 §6.2.2).");
            }

            (AlgorithmIdentifierAsn? algorithm, ReadOnlyMemory<byte> publicKey) =
                ReadOriginator(sequence.ReadSequence(s_originator));

            ReadOnlyMemory<byte>? ukm = null;
            if (sequence.PeekTag().HasSameClassAndValue(s_ukm))
            {
                AsnReader ukmReader = sequence.ReadSequence(s_ukm);
                ukm = ukmReader.ReadOctetString();
                ukmReader.ThrowIfNotEmpty();
            }

            AlgorithmIdentifierAsn keyEncryption = AlgorithmIdentifierAsn.Read(
                sequence, "KeyAgreeRecipientInfo keyEncryptionAlgorithm");
            List<RecipientEncryptedKey> keys = ReadRecipientEncryptedKeys(sequence.ReadSequence());
            sequence.ThrowIfNotEmpty();
            return new KeyAgreeRecipientInfo(algorithm, publicKey, ukm, keyEncryption, keys);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("A KeyAgreeRecipientInfo is malformed.", e);
        }
    }

    /// <summary>Every rid, as a person reads them.</summary>
    public string Describe() =>
        string.Join(", ", RecipientEncryptedKeys.Select(key => key.Rid.Describe()));

    private static (AlgorithmIdentifierAsn?, ReadOnlyMemory<byte>) ReadOriginator(
        AsnReader originator)
    {
        if (!originator.PeekTag().HasSameClassAndValue(s_originatorKey))
        {
            // issuerAndSerialNumber or subjectKeyIdentifier: static-static agreement, kept
            // only to say it is not supported.
            originator.ReadEncodedValue();
            originator.ThrowIfNotEmpty();
            return (null, default);
        }

        // OriginatorPublicKey ::= SEQUENCE { algorithm, publicKey BIT STRING }.
        AsnReader key = originator.ReadSequence(s_originatorKey);
        AlgorithmIdentifierAsn algorithm = AlgorithmIdentifierAsn.Read(
            key, "KeyAgreeRecipientInfo originatorKey algorithm");
        byte[] publicKey = key.ReadBitString(out int unusedBits);
        if (unusedBits != 0)
        {
            throw new CryptographicException(
                "The KeyAgreeRecipientInfo originatorKey is not a whole number of bytes.");
        }

        key.ThrowIfNotEmpty();
        originator.ThrowIfNotEmpty();
        return (algorithm, publicKey);
    }

    private static List<RecipientEncryptedKey> ReadRecipientEncryptedKeys(AsnReader sequence)
    {
        var keys = new List<RecipientEncryptedKey>();
        while (sequence.HasData)
        {
            if (keys.Count == CmsLimits.MaxRecipients)
            {
                throw new CryptographicException(
                    $"A KeyAgreeRecipientInfo has more than {CmsLimits.MaxRecipients} " +
                    "RecipientEncryptedKeys.");
            }

            AsnReader key = sequence.ReadSequence();
            RecipientIdentifierAsn rid = RecipientIdentifierAsn.Read(key);
            byte[] encryptedKey = key.ReadOctetString();
            key.ThrowIfNotEmpty();
            keys.Add(new RecipientEncryptedKey(rid, encryptedKey));
        }

        if (keys.Count == 0)
        {
            throw new CryptographicException(
                "A KeyAgreeRecipientInfo has no RecipientEncryptedKey.");
        }

        return keys;
    }
}
