using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

internal sealed partial class KeyAgreeRecipientInfo
{
    /// <summary>Whether key agreement serves the certificate's key: EC, X25519, X448.</summary>
    public static bool Serves(X509Certificate2 certificate) =>
        certificate.PublicKey.Oid.Value is Oids.EcPublicKey or Oids.X25519 or Oids.X448;

    /// <summary>
    /// Makes a fresh ephemeral key on the recipient's curve, derives the key-encryption key,
    /// wraps the content key and writes the kari [1]; returns its version, 3.
    /// </summary>
    /// <exception cref="ArgumentException">A key id is asked for and the certificate has
    /// no subjectKeyIdentifier.</exception>
    /// <exception cref="CryptographicException">The certificate's public key is
    /// unusable.</exception>
    public static int Write(AsnWriter writer, CmsRecipient recipient, ReadOnlySpan<byte> key)
    {
        X509Certificate2 certificate = recipient.Certificate;
        RecipientIdentifierAsn rid = RecipientIdentifierAsn.For(
            certificate, recipient.IdentifierType == SignerIdentifierType.SubjectKeyIdentifier);

        // RFC 3565 §2.3.2: the AES key wrap parameters are absent.
        var wrap = new AlgorithmIdentifierAsn(KeyAgreementKdf.WrapOidFor(key.Length), null);
        int kekLength = KeyAgreementKdf.WrapKeyLength(wrap.Oid);
        byte[] sharedInfo = KeyAgreementKdf.SharedInfo(
            wrap, recipient.UserKeyingMaterial, kekLength);

        bool isEc = certificate.PublicKey.Oid.Value == Oids.EcPublicKey;
        (KeyAgreementScheme scheme, AlgorithmIdentifierAsn originatorAlgorithm,
            byte[] originatorKey, byte[] kek) = isEc
            ? AgreeEc(certificate, sharedInfo, kekLength)
            : AgreeMontgomery(certificate, sharedInfo, kekLength);

        byte[] encryptedKey;
        try
        {
            encryptedKey = KeyAgreementKdf.Wrap(kek, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }

        using (writer.PushSequence(s_kari))
        {
            writer.WriteInteger(Version);
            using (writer.PushSequence(s_originator))
            using (writer.PushSequence(s_originatorKey))
            {
                originatorAlgorithm.Write(writer);
                writer.WriteBitString(originatorKey);
            }

            if (recipient.UserKeyingMaterial is { } ukm)
            {
                using (writer.PushSequence(s_ukm))
                {
                    writer.WriteOctetString(ukm.Span);
                }
            }

            // The keyEncryptionAlgorithm's parameters are the key wrap AlgorithmIdentifier
            // (RFC 5753 §7.1.4, RFC 8418 §2.3).
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(scheme.Oid);
                wrap.Write(writer);
            }

            using (writer.PushSequence())
            using (writer.PushSequence())
            {
                rid.Write(writer);
                writer.WriteOctetString(encryptedKey);
            }
        }

        return Version;
    }

    private static (KeyAgreementScheme, AlgorithmIdentifierAsn, byte[], byte[]) AgreeEc(
        X509Certificate2 certificate,
        byte[] sharedInfo,
        int kekLength)
    {
        using ECDiffieHellman recipientKey = certificate.GetECDiffieHellmanPublicKey()
            ?? throw new CryptographicException(
                $"The EC public key of certificate {certificate.Subject} cannot be read.");
        KeyAgreementScheme scheme = KeyAgreementScheme.ForEcKey(recipientKey.KeySize);
        ECParameters recipientParameters = recipientKey.ExportParameters(false);
        using ECDiffieHellman ephemeral = ECDiffieHellman.Create(recipientParameters.Curve);
        ECParameters point = ephemeral.ExportParameters(false);

        // RFC 5753 §3.1.1 (and §7.1.2 ECPoint): the public key is the uncompressed point;
        // the algorithm's parameters are left absent, the curve being the recipient's.
        byte[] originatorKey = [0x04, .. point.Q.X!, .. point.Q.Y!];
        byte[] secret = ephemeral.DeriveRawSecretAgreement(recipientKey.PublicKey);
        try
        {
            byte[] kek = KeyAgreementKdf.Derive(scheme, secret, sharedInfo, kekLength);
            return (scheme, new AlgorithmIdentifierAsn(Oids.EcPublicKey, null), originatorKey, kek);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static (KeyAgreementScheme, AlgorithmIdentifierAsn, byte[], byte[]) AgreeMontgomery(
        X509Certificate2 certificate,
        byte[] sharedInfo,
        int kekLength)
    {
        string keyOid = certificate.PublicKey.Oid.Value!;
        KeyAgreementScheme scheme = KeyAgreementScheme.ForMontgomeryKey(keyOid);
        byte[] recipientKey = MontgomeryKey.PublicKeyOf(certificate);
        (byte[] ephemeral, byte[] originatorKey) = MontgomeryKey.Generate(keyOid);
        byte[]? secret = null;
        try
        {
            secret = MontgomeryKey.TryAgree(keyOid, ephemeral, recipientKey)
                ?? throw new CryptographicException(
                    $"The {MontgomeryKey.Name(keyOid)} public key of certificate " +
                    $"{certificate.Subject} is of small order (RFC 7748 §6).");
            byte[] kek = KeyAgreementKdf.Derive(scheme, secret, sharedInfo, kekLength);

            // RFC 8410 §3: the algorithm identifier of X25519 and X448 has no parameters.
            return (scheme, new AlgorithmIdentifierAsn(keyOid, null), originatorKey, kek);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
            if (secret is not null)
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }
}
