using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// KeyTransRecipientInfo (RFC 5652 §6.2.1): the content-encryption key wrapped with a
/// recipient's RSA public key, PKCS#1 v1.5 (RFC 3370 §4.2) or OAEP (RFC 3560).
/// </summary>
internal sealed class KeyTransRecipientInfo
{
    private static readonly Asn1Tag s_subjectKeyIdentifierTag = new(TagClass.ContextSpecific, 0);

    private KeyTransRecipientInfo(
        IssuerAndSerialNumberAsn? issuerAndSerialNumber,
        ReadOnlyMemory<byte>? subjectKeyIdentifier,
        AlgorithmIdentifierAsn keyEncryptionAlgorithm,
        ReadOnlyMemory<byte> encryptedKey)
    {
        IssuerAndSerialNumber = issuerAndSerialNumber;
        SubjectKeyIdentifier = subjectKeyIdentifier;
        KeyEncryptionAlgorithm = keyEncryptionAlgorithm;
        EncryptedKey = encryptedKey;
    }

    /// <summary>The rid when it is issuerAndSerialNumber.</summary>
    public IssuerAndSerialNumberAsn? IssuerAndSerialNumber { get; }

    /// <summary>The rid when it is [0] subjectKeyIdentifier.</summary>
    public ReadOnlyMemory<byte>? SubjectKeyIdentifier { get; }

    public AlgorithmIdentifierAsn KeyEncryptionAlgorithm { get; }

    public ReadOnlyMemory<byte> EncryptedKey { get; }

    /// <summary>Reads one KeyTransRecipientInfo SEQUENCE (BER).</summary>
    /// <exception cref="CryptographicException">It is malformed.</exception>
    public static KeyTransRecipientInfo Read(AsnReader reader)
    {
        try
        {
            AsnReader sequence = reader.ReadSequence();

            // RFC 5652 §6.2.1: version 0 with issuerAndSerialNumber, 2 with the key id; the
            // rid is what counts, so the version is only checked to be one of the two.
            if (!sequence.TryReadInt32(out int version) || version is not (0 or 2))
            {
                throw new CryptographicException(
                    "The KeyTransRecipientInfo version is neither 0 nor 2.");
            }

            IssuerAndSerialNumberAsn? issuerAndSerial = null;
            ReadOnlyMemory<byte>? keyId = null;
            if (sequence.PeekTag().HasSameClassAndValue(s_subjectKeyIdentifierTag))
            {
                keyId = sequence.ReadOctetString(s_subjectKeyIdentifierTag);
            }
            else
            {
                issuerAndSerial = IssuerAndSerialNumberAsn.Read(sequence);
            }

            AlgorithmIdentifierAsn algorithm = AlgorithmIdentifierAsn.Read(
                sequence, "KeyTransRecipientInfo keyEncryptionAlgorithm");
            byte[] encryptedKey = sequence.ReadOctetString();
            sequence.ThrowIfNotEmpty();
            return new KeyTransRecipientInfo(issuerAndSerial, keyId, algorithm, encryptedKey);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("A KeyTransRecipientInfo is malformed.", e);
        }
    }

    /// <summary>
    /// Wraps the key for one recipient and writes the KeyTransRecipientInfo; returns its
    /// version (0 for issuerAndSerialNumber, 2 for subjectKeyIdentifier).
    /// </summary>
    /// <exception cref="NotSupportedException">The certificate's key is not RSA.</exception>
    /// <exception cref="ArgumentException">A key id is asked for and the certificate has
    /// no subjectKeyIdentifier.</exception>
    public static int Write(AsnWriter writer, CmsRecipient recipient, ReadOnlySpan<byte> key)
    {
        X509Certificate2 certificate = recipient.Certificate;
        using RSA rsa = certificate.GetRSAPublicKey() ?? throw NotRsa(certificate);
        bool byKeyId = recipient.IdentifierType == SignerIdentifierType.SubjectKeyIdentifier;
        ReadOnlyMemory<byte> keyId = byKeyId ? KeyIdOf(certificate)
            ?? throw new ArgumentException(
                $"The certificate {certificate.Subject} has no subjectKeyIdentifier to name " +
                "it by.", nameof(recipient))
            : default;

        RSAEncryptionPadding padding = recipient.Padding switch
        {
            KeyTransportPadding.Pkcs1 => RSAEncryptionPadding.Pkcs1,
            KeyTransportPadding.OaepSha256 => RSAEncryptionPadding.OaepSHA256,
            _ => throw new ArgumentOutOfRangeException(nameof(recipient), recipient.Padding, null),
        };
        byte[] encryptedKey = rsa.Encrypt(key, padding);

        int version = byKeyId ? 2 : 0;
        using (writer.PushSequence())
        {
            writer.WriteInteger(version);
            if (byKeyId)
            {
                writer.WriteOctetString(keyId.Span, s_subjectKeyIdentifierTag);
            }
            else
            {
                IssuerAndSerialNumberAsn.From(certificate).Write(writer);
            }

            WriteKeyEncryptionAlgorithm(writer, recipient.Padding);
            writer.WriteOctetString(encryptedKey);
        }

        return version;
    }

    /// <summary>Whether the rid names this certificate.</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        if (IssuerAndSerialNumber is { } issuerAndSerial)
        {
            return issuerAndSerial.Matches(certificate);
        }

        return KeyIdOf(certificate) is { } keyId
            && keyId.Span.SequenceEqual(SubjectKeyIdentifier!.Value.Span);
    }

    /// <summary>The rid as a person reads it.</summary>
    public string Describe() => IssuerAndSerialNumber is { } issuerAndSerial
        ? issuerAndSerial.Describe()
        : $"subject key identifier {Convert.ToHexString(SubjectKeyIdentifier!.Value.Span)}";

    /// <summary>
    /// Unwraps the content-encryption key with the certificate's private key. Returns null and
    /// a reason on failure; every failure of the RSA step itself gets the same reason.
    /// </summary>
    public byte[]? TryUnwrap(RecipientKey recipient, int keyLength, out string? reason)
    {
        reason = null;
        RSAEncryptionPadding padding;
        try
        {
            padding = PaddingOf(KeyEncryptionAlgorithm);
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException)
        {
            reason = e.Message;
            return null;
        }

        using RSA? rsa = TryGetRsaPrivateKey(recipient);
        if (rsa is null)
        {
            reason = $"The certificate {recipient.Certificate.Subject} has no RSA private key " +
                "with it.";
            return null;
        }

        byte[]? key = null;
        try
        {
            key = rsa.Decrypt(EncryptedKey.Span, padding);
        }
        catch (CryptographicException)
        {
            // Bleichenbacher (RFC 3218 §2.3): nothing about which step of the unwrap failed.
        }

        if (key is null || key.Length != keyLength)
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }

            reason = "The key could not be unwrapped.";
            return null;
        }

        return key;
    }

    private static RSA? TryGetRsaPrivateKey(RecipientKey recipient)
    {
        try
        {
            return recipient.GetRsaPrivateKey();
        }
        catch (CryptographicException)
        {
            // An unreadable PKCS#8 key is no key for this recipient.
            return null;
        }
    }

    private static RSAEncryptionPadding PaddingOf(AlgorithmIdentifierAsn algorithm)
    {
        if (algorithm.Oid == Oids.Rsa)
        {
            // RFC 3370 §4.2.1: rsaEncryption with NULL parameters; absent is tolerated.
            if (!algorithm.HasNullOrAbsentParameters)
            {
                throw new CryptographicException(
                    "The rsaEncryption key-encryption parameters are not NULL.");
            }

            return RSAEncryptionPadding.Pkcs1;
        }

        if (algorithm.Oid == Oids.RsaOaep)
        {
            return RsaOaepParametersAsn.Read(algorithm.Parameters);
        }

        throw new NotSupportedException(
            $"The key-encryption algorithm {algorithm.Oid} is not supported.");
    }

    private static void WriteKeyEncryptionAlgorithm(AsnWriter writer, KeyTransportPadding padding)
    {
        if (padding == KeyTransportPadding.Pkcs1)
        {
            AlgorithmIdentifierAsn.WithNull(Oids.Rsa).Write(writer);
            return;
        }

        // RFC 4055 §4.1 (and RFC 8551 §2.3): id-RSAES-OAEP with SHA-256 and MGF1-SHA-256.
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.RsaOaep);
            RsaOaepParametersAsn.WriteSha256(writer);
        }
    }

    internal static ReadOnlyMemory<byte>? KeyIdOf(X509Certificate2 certificate)
    {
        X509Extension? extension = certificate.Extensions[Oids.SubjectKeyIdentifier];
        if (extension is null)
        {
            return null;
        }

        if (extension is not X509SubjectKeyIdentifierExtension ski)
        {
            ski = new X509SubjectKeyIdentifierExtension(extension, extension.Critical);
        }

        return ski.SubjectKeyIdentifierBytes;
    }

    private static NotSupportedException NotRsa(X509Certificate2 certificate)
    {
        Oid keyAlgorithm = certificate.PublicKey.Oid;
        string name = keyAlgorithm.Value == Oids.EcPublicKey ? "EC" : keyAlgorithm.FriendlyName
            ?? keyAlgorithm.Value ?? "unknown";
        return new NotSupportedException(
            $"The certificate {certificate.Subject} has a {name} key ({keyAlgorithm.Value}); " +
            "RSA key transport and EC, X25519 or X448 key agreement are supported.");
    }
}
