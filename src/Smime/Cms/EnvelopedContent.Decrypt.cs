using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

public static partial class EnvelopedContent
{
    /// <summary>
    /// Decrypts a ContentInfo holding an EnvelopedData or AuthEnvelopedData, trying every
    /// RecipientInfo that one of the keys could open. No plaintext is returned unless the
    /// AEAD tag or the CBC padding checks out.
    /// </summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <param name="keys">Certificates with their private keys (RSA or EC).</param>
    /// <exception cref="CmsDecryptionException">No RecipientInfo could be opened, or the content
    /// failed its integrity check; the exception lists each failure.</exception>
    /// <exception cref="CryptographicException">The data is not well-formed, or its content
    /// cipher is not supported (then a NotSupportedException inside names the OID).</exception>
    public static DecryptedContent Decrypt(
        ReadOnlyMemory<byte> encoded,
        IReadOnlyList<X509Certificate2> keys) => Decrypt(encoded, keys, []);

    /// <summary>
    /// Decrypts as <see cref="Decrypt(ReadOnlyMemory{byte}, IReadOnlyList{X509Certificate2})"/>
    /// does, with keys given as PKCS#8 beside their certificates too: X25519 and X448, which
    /// .NET cannot attach to a certificate, or RSA and EC keys kept apart.
    /// </summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <param name="keys">Certificates with their private keys attached.</param>
    /// <param name="rawKeys">Certificates with PKCS#8 private keys.</param>
    /// <exception cref="CmsDecryptionException">No RecipientInfo could be opened, or the content
    /// failed its integrity check; the exception lists each failure.</exception>
    /// <exception cref="CryptographicException">The data is not well-formed, or its content
    /// cipher is not supported (then a NotSupportedException inside names the OID).</exception>
    public static DecryptedContent Decrypt(
        ReadOnlyMemory<byte> encoded,
        IReadOnlyList<X509Certificate2> keys,
        IReadOnlyList<CertificateKey> rawKeys)
    {
        DecryptedInPlace result = Open(encoded, keys, rawKeys, inPlace: false);
        ArraySegment<byte> content = result.Content;
        byte[] plaintext = content.Offset == 0 && content.Count == content.Array!.Length
            ? content.Array
            : content.ToArray();
        return new DecryptedContent(
            plaintext,
            result.ContentType,
            result.Algorithm,
            result.IsAuthenticated,
            result.Recipient,
            result.Failures);
    }

    /// <summary>
    /// Decrypts as <see cref="Decrypt(ReadOnlyMemory{byte}, IReadOnlyList{X509Certificate2},
    /// IReadOnlyList{CertificateKey})"/> does, but over the encoded bytes themselves: a
    /// constructed encryptedContent is joined where it lies and decrypted over itself, and the
    /// plaintext is a slice of <paramref name="encoded"/>. The caller gives up the encoded
    /// bytes, whatever the outcome; no plaintext is returned unless the AEAD tag or the CBC
    /// padding checks out.
    /// </summary>
    /// <param name="encoded">The ContentInfo, BER or DER, in an array the caller owns.</param>
    /// <param name="keys">Certificates with their private keys attached.</param>
    /// <param name="rawKeys">Certificates with PKCS#8 private keys.</param>
    /// <exception cref="CmsDecryptionException">No RecipientInfo could be opened, or the content
    /// failed its integrity check.</exception>
    /// <exception cref="CryptographicException">The data is not well-formed, or its content
    /// cipher is not supported.</exception>
    internal static DecryptedInPlace DecryptInPlace(
        Memory<byte> encoded,
        IReadOnlyList<X509Certificate2> keys,
        IReadOnlyList<CertificateKey> rawKeys) => Open(encoded, keys, rawKeys, inPlace: true);

    private static DecryptedInPlace Open(
        ReadOnlyMemory<byte> encoded,
        IReadOnlyList<X509Certificate2> keys,
        IReadOnlyList<CertificateKey> rawKeys,
        bool inPlace)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(rawKeys);
        var candidates = new List<RecipientKey>(keys.Count + rawKeys.Count);
        candidates.AddRange(keys.OfType<X509Certificate2>().Select(c => new RecipientKey(c, null)));
        candidates.AddRange(rawKeys.OfType<CertificateKey>()
            .Select(k => new RecipientKey(k.Certificate, k)));

        // Everything about the message is checked before any key is used.
        EnvelopedDataAsn data = EnvelopedDataAsn.Decode(encoded, joinInPlace: inPlace);
        ContentCipher cipher = ContentCipher.Read(
            data.ContentEncryptionAlgorithm, data.IsAuthenticated);
        cipher.CheckShape(data.EncryptedContent.Length, data.Mac.Length);

        var attempt = new Attempt(data, cipher, inPlace ? CountTries(data, candidates) : 0);
        foreach (RecipientInfoAsn recipientInfo in data.RecipientInfos)
        {
            DecryptedInPlace? result = recipientInfo switch
            {
                { KeyTrans: { } keyTrans } => attempt.TryKeyTrans(keyTrans, candidates),
                { KeyAgree: { } keyAgree } => attempt.TryKeyAgree(keyAgree, candidates),
                _ => attempt.Unsupported(recipientInfo),
            };
            if (result is not null)
            {
                return result;
            }
        }

        throw Refusal(data, attempt.AnyMatched, attempt.Failures, attempt.Unmatched);
    }

    /// <summary>How many (recipient, key) pairs will be tried: each may open the content.</summary>
    private static int CountTries(EnvelopedDataAsn data, List<RecipientKey> candidates)
    {
        int tries = 0;
        foreach (RecipientInfoAsn recipientInfo in data.RecipientInfos)
        {
            if (recipientInfo.KeyTrans is { } keyTrans)
            {
                tries += candidates.Count(c => keyTrans.Matches(c.Certificate));
            }
            else if (recipientInfo.KeyAgree is { } keyAgree)
            {
                tries += keyAgree.RecipientEncryptedKeys.Sum(
                    k => candidates.Count(c => k.Rid.Matches(c.Certificate)));
            }
        }

        return tries;
    }

    /// <summary>
    /// One decryption: tries RecipientInfos in turn and keeps every failure. With
    /// <paramref name="inPlaceTries"/> above 0 the content is decrypted over itself.
    /// </summary>
    private sealed class Attempt(EnvelopedDataAsn data, ContentCipher cipher, int inPlaceTries)
    {
        private readonly bool _inPlace = inPlaceTries > 0;
        private int _triesLeft = inPlaceTries;

        public List<RecipientFailure> Failures { get; } = [];

        public List<RecipientFailure> Unmatched { get; } = [];

        public bool AnyMatched { get; private set; }

        public DecryptedInPlace? Unsupported(RecipientInfoAsn recipientInfo)
        {
            Failures.Add(new RecipientFailure(
                recipientInfo.Describe(),
                $"{Capitalize(recipientInfo.KindName)} recipients are not supported."));
            return null;
        }

        public DecryptedInPlace? TryKeyTrans(
            KeyTransRecipientInfo keyTrans,
            List<RecipientKey> candidates)
        {
            bool matched = false;
            foreach (RecipientKey candidate in candidates)
            {
                if (!keyTrans.Matches(candidate.Certificate))
                {
                    continue;
                }

                matched = true;
                byte[]? key = keyTrans.TryUnwrap(candidate, cipher.KeyLength, out string? reason);
                if (Open(key, candidate, keyTrans.Describe(), reason) is { } result)
                {
                    return result;
                }
            }

            Record(matched, keyTrans.Describe());
            return null;
        }

        public DecryptedInPlace? TryKeyAgree(
            KeyAgreeRecipientInfo keyAgree,
            List<RecipientKey> candidates)
        {
            foreach (RecipientEncryptedKey encryptedKey in keyAgree.RecipientEncryptedKeys)
            {
                bool matched = false;
                foreach (RecipientKey candidate in candidates)
                {
                    if (!encryptedKey.Rid.Matches(candidate.Certificate))
                    {
                        continue;
                    }

                    matched = true;
                    byte[]? key = keyAgree.TryUnwrap(
                        encryptedKey, candidate, cipher.KeyLength, out string reason);
                    if (Open(key, candidate, encryptedKey.Rid.Describe(), reason) is { } result)
                    {
                        return result;
                    }
                }

                Record(matched, encryptedKey.Rid.Describe());
            }

            return null;
        }

        private void Record(bool matched, string recipient)
        {
            AnyMatched |= matched;
            if (!matched)
            {
                Unmatched.Add(new RecipientFailure(
                    recipient, "None of the keys given is for this recipient."));
            }
        }

        private DecryptedInPlace? Open(
            byte[]? key,
            RecipientKey candidate,
            string recipient,
            string? unwrapReason)
        {
            _triesLeft--;
            if (key is null)
            {
                Failures.Add(new RecipientFailure(recipient, unwrapReason ?? ""));
                return null;
            }

            try
            {
                // A PKCS#1 v1.5 unwrap with the wrong key can still "succeed" now and then, so
                // a content failure is this recipient's failure and the next one is still tried.
                ArraySegment<byte>? plaintext = Decrypt(key, out string? contentReason);
                if (plaintext is null)
                {
                    Failures.Add(new RecipientFailure(recipient, contentReason ?? ""));
                    return null;
                }

                return new DecryptedInPlace(
                    plaintext.Value,
                    data.ContentType,
                    cipher.Algorithm,
                    data.IsAuthenticated,
                    candidate.Certificate,
                    Failures);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        private ArraySegment<byte>? Decrypt(byte[] key, out string? reason)
        {
            // A failed AEAD zeroes its output, so in place it would take the ciphertext with
            // it: only the last pair that may be tried decrypts an AEAD in place. A failed CBC
            // padding check comes before any of the content is touched.
            if (!_inPlace || (_triesLeft > 0 && cipher.IsAuthenticated))
            {
                byte[]? copy = cipher.TryDecrypt(
                    key,
                    data.EncryptedContent.Span,
                    data.Mac.Span,
                    data.AuthenticatedData,
                    out reason);
                return copy is null ? (ArraySegment<byte>?)null : new ArraySegment<byte>(copy);
            }

            // The encoded bytes are the caller's to give up (DecryptInPlace).
            Memory<byte> content = MemoryMarshal.AsMemory(data.EncryptedContent);
            int length = cipher.TryDecryptInPlace(
                key, content.Span, data.Mac.Span, data.AuthenticatedData, out reason);
            if (length < 0)
            {
                return null;
            }

            if (!MemoryMarshal.TryGetArray(content[..length], out ArraySegment<byte> segment))
            {
                throw new InvalidOperationException("The encoded bytes are not in an array.");
            }

            return segment;
        }
    }

    private static CmsDecryptionException Refusal(
        EnvelopedDataAsn data,
        bool anyMatched,
        List<RecipientFailure> failures,
        List<RecipientFailure> unmatched)
    {
        var all = new List<RecipientFailure>(failures);
        all.AddRange(unmatched);
        if (!anyMatched)
        {
            string recipients = string.Join("; ", data.RecipientInfos.Select(r => r.Describe()));
            return new CmsDecryptionException(
                $"None of the keys given is for this message: recipients are {recipients}.", all);
        }

        string reasons = string.Join(
            "; ", failures.Select(failure => $"{failure.Recipient}: {failure.Reason}"));
        return new CmsDecryptionException(
            $"The {data.Name} could not be decrypted: {reasons}", all);
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
