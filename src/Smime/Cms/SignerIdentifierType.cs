namespace Smime.Cms;

/// <summary>How a SignerInfo or RecipientInfo names its certificate (RFC 5652 §5.3, §6.2.1).</summary>
public enum SignerIdentifierType
{
    /// <summary>The issuer's name and the certificate's serial number.</summary>
    IssuerAndSerialNumber,

    /// <summary>The certificate's subjectKeyIdentifier extension value.</summary>
    SubjectKeyIdentifier,
}
