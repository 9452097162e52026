namespace Smime.Cms;

/// <summary>What an encrypted CMS blob is, read without decrypting it.</summary>
/// <param name="IsAuthenticated">True for AuthEnvelopedData, false for EnvelopedData.</param>
/// <param name="ContentType">The encrypted content's type, id-data for MIME.</param>
/// <param name="AlgorithmOid">The content-encryption algorithm's OID.</param>
/// <param name="Algorithm">That algorithm, or null when it is not one we can decrypt.</param>
/// <param name="Recipients">Each RecipientInfo as a person reads it, in message order.</param>
public sealed record EnvelopedDescription(
    bool IsAuthenticated,
    string ContentType,
    string AlgorithmOid,
    ContentEncryptionAlgorithm? Algorithm,
    IReadOnlyList<string> Recipients);
