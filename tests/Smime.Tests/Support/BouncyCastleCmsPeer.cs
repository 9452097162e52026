using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms.Ecc;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Smime.Cms;
using BcCms = Org.BouncyCastle.Asn1.Cms;
using BcX509 = Org.BouncyCastle.X509;

namespace Smime.Tests.Support;

/// <summary>
/// A test-only peer for what OpenSSL 3.0 cannot do in CMS: X25519/X448 key agreement
/// (RFC 8418) and ChaCha20-Poly1305 (RFC 8103). BouncyCastle's CMS generators do neither, so
/// the messages are put together here from BouncyCastle's own CMS ASN.1 classes and its own
/// primitives (X25519Agreement, HkdfBytesGenerator, AesWrapEngine, ChaCha20Poly1305,
/// GcmBlockCipher): nothing of smime's code is used, so it checks smime from outside.
/// </summary>
public static class BouncyCastleCmsPeer
{
    public const string HkdfSha256 = "1.2.840.113549.1.9.16.3.19";
    public const string HkdfSha512 = "1.2.840.113549.1.9.16.3.21";
    public const string ChaCha20Poly1305 = "1.2.840.113549.1.9.16.3.18";
    public const string Aes256Gcm = "2.16.840.1.101.3.4.1.46";
    public const string Aes128Gcm = "2.16.840.1.101.3.4.1.6";

    private const string AuthEnvelopedData = "1.2.840.113549.1.9.16.1.23";
    private const string Data = "1.2.840.113549.1.7.1";

    /// <summary>
    /// Encrypts to an X25519 or X448 certificate into AuthEnvelopedData (ChaCha20-Poly1305 or
    /// AES-GCM), the kari made as RFC 8418 §2 says: HKDF without salt, info the DER of
    /// ECC-CMS-SharedInfo with the ukm as entityUInfo.
    /// </summary>
    public static byte[] EncryptToMontgomery(
        byte[] content,
        X509Certificate2 recipient,
        string contentCipherOid,
        byte[]? ukm = null)
    {
        int cekLength = contentCipherOid == Aes128Gcm ? 16 : 32;
        byte[] cek = RandomNumberGenerator.GetBytes(cekLength);
        string keyOid = recipient.PublicKey.Oid.Value!;
        byte[] recipientKey = recipient.PublicKey.EncodedKeyValue.RawData;

        (byte[] ephemeralPublic, byte[] secret) = AgreeAsSender(keyOid, recipientKey);
        string wrapOid = cekLength == 16 ? "2.16.840.1.101.3.4.1.5" : "2.16.840.1.101.3.4.1.45";
        string schemeOid = keyOid == CurveCertificates.X448 ? HkdfSha512 : HkdfSha256;
        byte[] kek = Hkdf(schemeOid, secret, SharedInfo(wrapOid, ukm, cekLength), cekLength);
        var wrapper = new AesWrapEngine();
        wrapper.Init(true, new KeyParameter(kek));
        byte[] wrapped = wrapper.Wrap(cek, 0, cek.Length);

        var bcCert = new BcX509.X509Certificate(recipient.RawData);
        var kari = new BcCms.KeyAgreeRecipientInfo(
            new BcCms.OriginatorIdentifierOrKey(new BcCms.OriginatorPublicKey(
                new AlgorithmIdentifier(new DerObjectIdentifier(keyOid)), ephemeralPublic)),
            ukm is null ? null : new DerOctetString(ukm),
            new AlgorithmIdentifier(
                new DerObjectIdentifier(schemeOid),
                new AlgorithmIdentifier(new DerObjectIdentifier(wrapOid))),
            new DerSequence(new BcCms.RecipientEncryptedKey(
                new BcCms.KeyAgreeRecipientIdentifier(
                    new BcCms.IssuerAndSerialNumber(bcCert.IssuerDN, bcCert.SerialNumber)),
                new DerOctetString(wrapped))));

        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        IAeadCipher aead = contentCipherOid == ChaCha20Poly1305
            ? new Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305()
            : new GcmBlockCipher(new AesEngine());
        aead.Init(true, new AeadParameters(new KeyParameter(cek), 128, nonce));
        var output = new byte[aead.GetOutputSize(content.Length)];
        int written = aead.ProcessBytes(content, 0, content.Length, output, 0);
        aead.DoFinal(output, written);
        Asn1Encodable parameters = contentCipherOid == ChaCha20Poly1305
            ? new DerOctetString(nonce)
            : new BcCms.GcmParameters(nonce, 16);

        var authEnveloped = new BcCms.AuthEnvelopedData(
            null,
            new DerSet(new BcCms.RecipientInfo(kari)),
            new BcCms.EncryptedContentInfo(
                new DerObjectIdentifier(Data),
                new AlgorithmIdentifier(new DerObjectIdentifier(contentCipherOid), parameters),
                new DerOctetString(output[..^16])),
            null,
            new DerOctetString(output[^16..]),
            null);
        return new BcCms.ContentInfo(new DerObjectIdentifier(AuthEnvelopedData), authEnveloped)
            .GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// Decrypts an AuthEnvelopedData (ChaCha20-Poly1305 or AES-GCM) whose first
    /// RecipientInfo is an X25519 or X448 kari, with BouncyCastle only.
    /// </summary>
    public static byte[] DecryptMontgomery(byte[] encoded, CertificateKey key)
    {
        var contentInfo = BcCms.ContentInfo.GetInstance(Asn1Object.FromByteArray(encoded));
        var authEnveloped = BcCms.AuthEnvelopedData.GetInstance(contentInfo.Content);
        BcCms.KeyAgreeRecipientInfo kari = authEnveloped.RecipientInfos.Cast<Asn1Encodable>()
            .Select(r => BcCms.RecipientInfo.GetInstance(r).Info)
            .OfType<BcCms.KeyAgreeRecipientInfo>()
            .First();

        string keyOid = key.KeyAlgorithmOid;
        byte[] ephemeralPublic = kari.Originator.OriginatorKey.PublicKey.GetOctets();
        byte[] secret = AgreeAsRecipient(keyOid, CurveCertificates.RawPrivateKey(key),
            ephemeralPublic);
        var wrap = AlgorithmIdentifier.GetInstance(kari.KeyEncryptionAlgorithm.Parameters);
        int kekLength = wrap.Algorithm.Id == "2.16.840.1.101.3.4.1.5" ? 16 : 32;
        byte[] kek = Hkdf(kari.KeyEncryptionAlgorithm.Algorithm.Id, secret,
            SharedInfo(wrap.Algorithm.Id, kari.UserKeyingMaterial?.GetOctets(), kekLength),
            kekLength);
        var encryptedKey = BcCms.RecipientEncryptedKey.GetInstance(kari.RecipientEncryptedKeys[0]);
        var unwrapper = new AesWrapEngine();
        unwrapper.Init(false, new KeyParameter(kek));
        byte[] wrapped = encryptedKey.EncryptedKey.GetOctets();
        byte[] cek = unwrapper.Unwrap(wrapped, 0, wrapped.Length);

        BcCms.EncryptedContentInfo info = authEnveloped.AuthEncryptedContentInfo;
        string cipherOid = info.ContentEncryptionAlgorithm.Algorithm.Id;
        Asn1Encodable parameters = info.ContentEncryptionAlgorithm.Parameters;
        byte[] nonce = cipherOid == ChaCha20Poly1305
            ? Asn1OctetString.GetInstance(parameters).GetOctets()
            : BcCms.GcmParameters.GetInstance(parameters).GetNonce();
        IAeadCipher aead = cipherOid == ChaCha20Poly1305
            ? new Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305()
            : new GcmBlockCipher(new AesEngine());
        aead.Init(false, new AeadParameters(new KeyParameter(cek), 128, nonce));
        byte[] input = [.. info.EncryptedContent.GetOctets(), .. authEnveloped.Mac.GetOctets()];
        var plaintext = new byte[aead.GetOutputSize(input.Length)];
        int written = aead.ProcessBytes(input, 0, input.Length, plaintext, 0);
        written += aead.DoFinal(plaintext, written);
        return plaintext[..written];
    }

    /// <summary>
    /// Encrypts to an EC certificate with BouncyCastle's own CmsEnvelopedDataGenerator
    /// (AES-256-CBC, AES-256 wrap), the key agreement named by its scheme OID.
    /// </summary>
    public static byte[] EncryptToEc(byte[] content, X509Certificate2 recipient, string schemeOid)
    {
        var bcCert = new BcX509.X509Certificate(recipient.RawData);
        var recipientKey = (ECPublicKeyParameters)bcCert.GetPublicKey();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(recipientKey.Parameters, new SecureRandom()));
        AsymmetricCipherKeyPair sender = generator.GenerateKeyPair();

        var cms = new Org.BouncyCastle.Cms.CmsEnvelopedDataGenerator();
        cms.AddKeyAgreementRecipient(schemeOid, sender.Private, sender.Public, bcCert,
            Org.BouncyCastle.Cms.CmsEnvelopedGenerator.Aes256Wrap);
        return cms.Generate(
            new Org.BouncyCastle.Cms.CmsProcessableByteArray(content),
            Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdAes256Cbc).GetEncoded();
    }

    private static (byte[] EphemeralPublic, byte[] Secret) AgreeAsSender(
        string keyOid,
        byte[] recipientKey)
    {
        var random = new SecureRandom();
        if (keyOid == CurveCertificates.X448)
        {
            var ephemeral = new X448PrivateKeyParameters(random);
            var agreement = new X448Agreement();
            agreement.Init(ephemeral);
            var secret = new byte[agreement.AgreementSize];
            agreement.CalculateAgreement(new X448PublicKeyParameters(recipientKey), secret, 0);
            return (ephemeral.GeneratePublicKey().GetEncoded(), secret);
        }

        var x25519 = new X25519PrivateKeyParameters(random);
        var x25519Agreement = new X25519Agreement();
        x25519Agreement.Init(x25519);
        var x25519Secret = new byte[x25519Agreement.AgreementSize];
        x25519Agreement.CalculateAgreement(
            new X25519PublicKeyParameters(recipientKey), x25519Secret, 0);
        return (x25519.GeneratePublicKey().GetEncoded(), x25519Secret);
    }

    private static byte[] AgreeAsRecipient(string keyOid, byte[] privateKey, byte[] publicKey)
    {
        IRawAgreement agreement = keyOid == CurveCertificates.X448
            ? new X448Agreement()
            : new X25519Agreement();
        agreement.Init(keyOid == CurveCertificates.X448
            ? new X448PrivateKeyParameters(privateKey)
            : new X25519PrivateKeyParameters(privateKey));
        var secret = new byte[agreement.AgreementSize];
        agreement.CalculateAgreement(keyOid == CurveCertificates.X448
            ? new X448PublicKeyParameters(publicKey)
            : new X25519PublicKeyParameters(publicKey), secret, 0);
        return secret;
    }

    private static byte[] SharedInfo(string wrapOid, byte[]? ukm, int kekLength)
    {
        var bits = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bits, kekLength * 8);
        var keyInfo = new AlgorithmIdentifier(new DerObjectIdentifier(wrapOid));
        ECC_CMS_SharedInfo info = ukm is null
            ? new ECC_CMS_SharedInfo(keyInfo, new DerOctetString(bits))
            : new ECC_CMS_SharedInfo(keyInfo, new DerOctetString(ukm), new DerOctetString(bits));
        return info.GetEncoded(Asn1Encodable.Der);
    }

    private static byte[] Hkdf(string schemeOid, byte[] secret, byte[] info, int length)
    {
        IDigest digest = schemeOid == HkdfSha512 ? new Sha512Digest() : new Sha256Digest();
        var hkdf = new HkdfBytesGenerator(digest);
        hkdf.Init(new HkdfParameters(secret, null, info));
        var kek = new byte[length];
        hkdf.GenerateBytes(kek, 0, kek.Length);
        return kek;
    }
}
