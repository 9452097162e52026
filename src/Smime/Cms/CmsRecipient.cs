using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>A recipient to encrypt to: a certificate and how to wrap the key for it.</summary>
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

    /// <summary>The key-transport padding for RSA keys.</summary>
    public KeyTransportPadding Padding { get; }

    /// <summary>How the RecipientInfo names the certificate.</summary>
    public SignerIdentifierType IdentifierType { get; }
}
