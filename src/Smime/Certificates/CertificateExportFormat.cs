namespace Smime.Certificates;

/// <summary>The formats the store exports certificates in.</summary>
public enum CertificateExportFormat
{
    /// <summary>PEM "CERTIFICATE" blocks.</summary>
    Pem,

    /// <summary>One certificate as DER.</summary>
    Der,

    /// <summary>A PKCS#7 certs-only SignedData (RFC 8551 §3.6), as DER.</summary>
    P7c,

    /// <summary>PKCS#12 with the private key, under AES-256-CBC and PBKDF2 (RFC 8018).</summary>
    Pkcs12,
}
