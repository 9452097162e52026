using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

public static partial class EnvelopedContent
{
    /// <summary>
    /// Decrypts a ContentInfo holding an EnvelopedData or AuthEnvelopedData, trying every
    /// RecipientInfo that one of the keys could open. No plaintext is returned unless the GCM
    /// tag or the CBC padding checks out.
    /// </summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <param name="keys">Certificates with their private keys.</param>
    /// <exception cref="CmsDecryptionException">No RecipientInfo could be opened, or the content
    /// failed its integrity check; the exception lists each failure.</exception>
    /// <exception cref="CryptographicException">The data is not well-formed, or its content
    /// cipher is not supported (then a NotSupportedException inside names the OID).</exception>
    public static DecryptedContent Decrypt(
        ReadOnlyMemory<byte> encoded,
        IReadOnlyList<X509Certificate2> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);

        // Everything about the message is checked before any key is used.
        EnvelopedDataAsn data = EnvelopedDataAsn.Decode(encoded);
        ContentCipher cipher = ContentCipher.Read(
            data.ContentEncryptionAlgorithm, data.IsAuthenticated);
        cipher.CheckShape(data.EncryptedContent.Length, data.Mac.Length);

        var failures = new List<RecipientFailure>();
        var unmatched = new List<RecipientFailure>();
        bool anyMatched = false;
        foreach (RecipientInfoAsn recipientInfo in data.RecipientInfos)
        {
            if (recipientInfo.KeyTrans is not { } keyTrans)
            {
                failures.Add(new RecipientFailure(
                    recipientInfo.Describe(),
                    $"{Capitalize(recipientInfo.KindName)} recipients are not supported yet."));
                continue;
            }

            bool matched = false;
            foreach (X509Certificate2 certificate in keys)
            {
                if (certificate is null || !keyTrans.Matches(certificate))
                {
                    continue;
                }

                matched = true;
                if (TryOpen(data, cipher, keyTrans, certificate, out string reason)
                    is { } plaintext)
                {
                    return new DecryptedContent(
                        plaintext,
                        data.ContentType,
                        cipher.Algorithm,
                        data.IsAuthenticated,
                        certificate,
                        failures);
                }

                failures.Add(new RecipientFailure(keyTrans.Describe(), reason));
            }

            anyMatched |= matched;
            if (!matched)
            {
                unmatched.Add(new RecipientFailure(
                    keyTrans.Describe(), "None of the keys given is for this recipient."));
            }
        }

        throw Refusal(data, anyMatched, failures, unmatched);
    }

    private static byte[]? TryOpen(
        EnvelopedDataAsn data,
        ContentCipher cipher,
        KeyTransRecipientInfo keyTrans,
        X509Certificate2 certificate,
        out string reason)
    {
        byte[]? key = keyTrans.TryUnwrap(certificate, cipher.KeyLength, out string? unwrapReason);
        if (key is null)
        {
            reason = unwrapReason!;
            return null;
        }

        try
        {
            // A PKCS#1 v1.5 unwrap with the wrong key can still "succeed" now and then, so a
            // content failure is this recipient's failure and the next one is still tried.
            byte[]? plaintext = cipher.TryDecrypt(
                key,
                data.EncryptedContent.Span,
                data.Mac.Span,
                data.AuthenticatedData,
                out string? contentReason);
            reason = contentReason ?? "";
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
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
