using System.Security.Cryptography;

namespace Smime.Cms;

/// <summary>Decryption was refused; lists why for each RecipientInfo tried.</summary>
public sealed class CmsDecryptionException : CryptographicException
{
    public CmsDecryptionException(string message, IReadOnlyList<RecipientFailure> failures)
        : base(message)
    {
        Failures = failures;
    }

    /// <summary>Each RecipientInfo tried and why it failed.</summary>
    public IReadOnlyList<RecipientFailure> Failures { get; }
}
