using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>
/// A recipient to encrypt to: a certificate and how to wrap the key for it. RSA keys get a
/// KeyTransRecipientInfo; EC (P-256, P-384, P-521), X25519 and X448 keys a
/// KeyAgreeRecipientInfo with a fresh ephemeral key.
/// </summary>
public sealed class CmsRecipient
{
    /// <summary>Creates a recipient.</summary>
    public CmsRecipient(
        X509Certificate2 certificate,
        KeyTransportPadding padding = KeyTransportPadding.Pkcs1,
        SignerIdentifierType identifierType = SignerIdentifierType.IssuerAndSerialNumber)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        Padding = padding;
        IdentifierType = identifierType;
    }

    /// <summary>The recipient's certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The key-transport padding for RSA keys; unused for key agreement.</summary>
    public KeyTransportPadding Padding { get; }

    /// <summary>How the RecipientInfo names the certificate.</summary>
    public SignerIdentifierType IdentifierType { get; }

    /// <summary>
    /// The ukm of a KeyAgreeRecipientInfo (RFC 5753 §3.1.1); none by default, since every
    /// recipient gets a fresh ephemeral key. Set by tests to exercise the field.
    /// </summary>
    internal ReadOnlyMemory<byte>? UserKeyingMaterial { get; init; }
}
