using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>The result of a successful decryption.</summary>
/// <param name="Content">The plaintext.</param>
/// <param name="ContentType">The encrypted content's type, id-data for MIME.</param>
/// <param name="Algorithm">The content-encryption algorithm.</param>
/// <param name="IsAuthenticated">True for AuthEnvelopedData, whose tag was checked.</param>
/// <param name="Recipient">The certificate whose key opened the RecipientInfo.</param>
/// <param name="Failures">RecipientInfos tried before the one that worked.</param>
public sealed record DecryptedContent(
    byte[] Content,
    string ContentType,
    ContentEncryptionAlgorithm Algorithm,
    bool IsAuthenticated,
    X509Certificate2 Recipient,
    IReadOnlyList<RecipientFailure> Failures);

/// <summary>Why one RecipientInfo could not be opened.</summary>
/// <param name="Recipient">The recipient as a person reads it (issuer and serial, or key id).</param>
/// <param name="Reason">A sentence saying what failed.</param>
public sealed record RecipientFailure(string Recipient, string Reason);
