using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>
/// A successful decryption whose plaintext is a slice of an array: the encoded message's own,
/// when it was decrypted in place (<see cref="EnvelopedContent.DecryptInPlace"/>).
/// </summary>
/// <param name="Content">The plaintext.</param>
/// <param name="ContentType">The encrypted content's type, id-data for MIME.</param>
/// <param name="Algorithm">The content-encryption algorithm.</param>
/// <param name="IsAuthenticated">True for AuthEnvelopedData, whose tag was checked.</param>
/// <param name="Recipient">The certificate whose key opened the RecipientInfo.</param>
/// <param name="Failures">RecipientInfos tried before the one that worked.</param>
internal sealed record DecryptedInPlace(
    ArraySegment<byte> Content,
    string ContentType,
    ContentEncryptionAlgorithm Algorithm,
    bool IsAuthenticated,
    X509Certificate2 Recipient,
    IReadOnlyList<RecipientFailure> Failures);
