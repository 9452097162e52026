namespace Smime.Authority;

/// <summary>
/// What a subscriber key is for (S/MIME BR §7.1.2.3 (e)): one certificate may sign, another
/// decrypt, or one may do both.
/// </summary>
public enum SmimeKeyPurpose
{
    /// <summary>Signing only: digitalSignature, optionally nonRepudiation.</summary>
    SigningOnly,

    /// <summary>Key management only: keyEncipherment (RSA) or keyAgreement (EC, XDH).</summary>
    KeyManagementOnly,

    /// <summary>Both signing and key management in one certificate.</summary>
    DualUse,
}
