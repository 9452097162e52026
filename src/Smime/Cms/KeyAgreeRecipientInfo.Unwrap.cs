using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

internal sealed partial class KeyAgreeRecipientInfo
{
    private static readonly byte[] s_derNull = [0x05, 0x00];

    /// <summary>
    /// Derives the key-encryption key with the recipient's private key and unwraps the
    /// content key for one RecipientEncryptedKey. Returns null and a reason on failure.
    /// </summary>
    public byte[]? TryUnwrap(
        RecipientEncryptedKey encryptedKey,
        RecipientKey recipient,
        int contentKeyLength,
        out string reason)
    {
        if (!TryReadAlgorithms(recipient, out KeyAgreementScheme scheme,
            out AlgorithmIdentifierAsn wrap, out int kekLength, out reason))
        {
            return null;
        }

        byte[]? sharedSecret = null;
        var keks = new List<byte[]>(2);
        try
        {
            sharedSecret = MontgomeryKey.IsMontgomery(recipient.KeyAlgorithm)
                ? AgreeMontgomery(recipient, out reason)
                : AgreeEc(recipient, out reason);
            if (sharedSecret is null)
            {
                return null;
            }

            byte[] sharedInfo = KeyAgreementKdf.SharedInfo(wrap, Ukm, kekLength);
            keks.Add(KeyAgreementKdf.Derive(scheme, sharedSecret, sharedInfo, kekLength));

            // Compat: BouncyCastle's ECDHKekGenerator (so MimeKit too) writes the keyInfo of
            // its SharedInfo with NULL parameters while the message has them absent.
            if (scheme.Derivation == KeyDerivation.X963 && wrap.Parameters is null)
            {
                byte[] nullInfo = KeyAgreementKdf.SharedInfo(
                    new AlgorithmIdentifierAsn(wrap.Oid, s_derNull), Ukm, kekLength);
                keks.Add(KeyAgreementKdf.Derive(scheme, sharedSecret, nullInfo, kekLength));
            }

            foreach (byte[] kek in keks)
            {
                // The RFC 3394 integrity check tells a right key-encryption key from a wrong
                // one, so trying the Compat variant is safe.
                byte[]? key = KeyAgreementKdf.TryUnwrap(kek, encryptedKey.EncryptedKey.Span);
                if (key is not null && key.Length == contentKeyLength)
                {
                    return key;
                }

                if (key is not null)
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }

            reason = "The key could not be unwrapped (wrong key or altered data).";
            return null;
        }
        catch (CryptographicException e)
        {
            reason = $"The key agreement failed: {e.Message}";
            return null;
        }
        finally
        {
            if (sharedSecret is not null)
            {
                CryptographicOperations.ZeroMemory(sharedSecret);
            }

            foreach (byte[] kek in keks)
            {
                CryptographicOperations.ZeroMemory(kek);
            }
        }
    }

    private bool TryReadAlgorithms(
        RecipientKey recipient,
        out KeyAgreementScheme scheme,
        out AlgorithmIdentifierAsn wrap,
        out int kekLength,
        out string reason)
    {
        scheme = default;
        wrap = default;
        kekLength = 0;
        reason = "";
        if (OriginatorAlgorithm is null)
        {
            reason = "The originator is named by its certificate (static-static key " +
                "agreement), which is not supported.";
            return false;
        }

        if (KeyAgreementScheme.FromOid(KeyEncryptionAlgorithm.Oid) is not { } known)
        {
            reason = $"The key-encryption algorithm {KeyEncryptionAlgorithm.Oid} is not supported.";
            return false;
        }

        scheme = known;
        // RFC 5753 §3.1.1, RFC 8418 §2: the originator key is of the recipient's kind.
        string keyOid = recipient.KeyAlgorithm;
        bool keyFits = keyOid == Oids.EcPublicKey
            ? OriginatorAlgorithm.Value.Oid == Oids.EcPublicKey
            : MontgomeryKey.IsMontgomery(keyOid) && OriginatorAlgorithm.Value.Oid == keyOid;
        if (!keyFits)
        {
            reason = $"The originator key of {OriginatorAlgorithm.Value.Oid} does not fit the " +
                $"certificate's {keyOid} key.";
            return false;
        }

        try
        {
            var reader = new AsnReader(
                KeyEncryptionAlgorithm.Parameters ?? default, AsnEncodingRules.BER);
            wrap = AlgorithmIdentifierAsn.Read(reader, "key wrap algorithm");
            reader.ThrowIfNotEmpty();
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            reason = $"The key-encryption algorithm {scheme.Oid} does not name a key wrap " +
                "algorithm in its parameters.";
            return false;
        }

        kekLength = KeyAgreementKdf.WrapKeyLength(wrap.Oid);
        if (kekLength == 0 || !wrap.HasNullOrAbsentParameters)
        {
            reason = $"The key wrap algorithm {wrap.Oid} is not supported.";
            return false;
        }

        return true;
    }

    /// <summary>ECDH: the shared secret Z, the x-coordinate (RFC 5753 §3.1.1).</summary>
    private byte[]? AgreeEc(RecipientKey recipient, out string reason)
    {
        reason = "";
        using ECDiffieHellman? privateKey = recipient.GetEcDiffieHellmanPrivateKey();
        if (privateKey is null)
        {
            reason = $"The certificate {recipient.Certificate.Subject} has no EC private key " +
                "with it.";
            return null;
        }

        using ECDiffieHellman? originator = ImportOriginatorPoint(privateKey, out reason);
        return originator is null
            ? null
            : privateKey.DeriveRawSecretAgreement(originator.PublicKey);
    }

    private ECDiffieHellman? ImportOriginatorPoint(ECDiffieHellman privateKey, out string reason)
    {
        reason = "";
        ECParameters ours = privateKey.ExportParameters(false);
        int fieldLength = ours.Q.X!.Length;
        ReadOnlySpan<byte> point = OriginatorPublicKey.Span;

        // RFC 5753 §3.1.1: the parameters are absent, NULL, or the same named curve.
        string? ourCurve = ours.Curve.Oid?.Value ?? CurveOidOfLength(fieldLength);
        if (OriginatorAlgorithm!.Value.Parameters is { } parameters
            && !OriginatorAlgorithm.Value.HasNullOrAbsentParameters
            && CurveOid(parameters) != ourCurve)
        {
            reason = "The originator's EC key is on another curve than the recipient's.";
            return null;
        }

        // Only the uncompressed form (X9.62 §4.3.6) is read; compressed points are rare
        // in CMS and .NET does not import them.
        if (point.Length != 1 + 2 * fieldLength || point[0] != 0x04)
        {
            reason = "The originator's EC public key is not an uncompressed point of the " +
                "recipient's curve.";
            return null;
        }

        var theirs = new ECParameters
        {
            Curve = ours.Curve,
            Q = new ECPoint
            {
                X = point.Slice(1, fieldLength).ToArray(),
                Y = point.Slice(1 + fieldLength, fieldLength).ToArray(),
            },
        };
        try
        {
            // ImportParameters checks that the point is on the curve (invalid-curve attacks).
            return ECDiffieHellman.Create(theirs);
        }
        catch (CryptographicException)
        {
            reason = "The originator's EC public key is not a point of the recipient's curve.";
            return null;
        }
    }

    /// <summary>X25519 or X448 (RFC 7748 §5): the shared secret, refused when all zero.</summary>
    private byte[]? AgreeMontgomery(RecipientKey recipient, out string reason)
    {
        reason = "";
        string keyOid = recipient.KeyAlgorithm;
        string name = MontgomeryKey.Name(keyOid);
        if (recipient.RawKey is not { } rawKey || rawKey.KeyAlgorithmOid != keyOid)
        {
            reason = $"The certificate {recipient.Certificate.Subject} has no {name} private " +
                "key with it; give it as a CertificateKey.";
            return null;
        }

        if (OriginatorPublicKey.Length != MontgomeryKey.KeyLength(keyOid))
        {
            reason = $"The originator's {name} public key is {OriginatorPublicKey.Length} " +
                $"bytes, not {MontgomeryKey.KeyLength(keyOid)}.";
            return null;
        }

        byte[] privateKey = MontgomeryKey.PrivateKeyOf(rawKey);
        try
        {
            byte[]? secret =
                MontgomeryKey.TryAgree(keyOid, privateKey, OriginatorPublicKey.ToArray());
            if (secret is null)
            {
                reason = $"The originator's {name} public key gives an all-zero shared " +
                    "secret (RFC 7748 §6).";
            }

            return secret;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    private static string? CurveOid(ReadOnlyMemory<byte> parameters)
    {
        try
        {
            var reader = new AsnReader(parameters, AsnEncodingRules.BER);
            string oid = reader.ReadObjectIdentifier();
            reader.ThrowIfNotEmpty();
            return oid;
        }
        catch (AsnContentException)
        {
            // Explicit ECParameters: not compared, so refused as another curve.
            return null;
        }
    }

    private static string? CurveOidOfLength(int fieldLength) => fieldLength switch
    {
        32 => Oids.Secp256r1,
        48 => Oids.Secp384r1,
        66 => Oids.Secp521r1,
        _ => null,
    };
}
