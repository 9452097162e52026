namespace Smime.Certificates;

/// <summary>What revocation checking found for one certificate.</summary>
public enum RevocationStatus
{
    /// <summary>A CRL or OCSP response from the issuer says it is not revoked.</summary>
    Good,

    /// <summary>A CRL or OCSP response from the issuer says it is revoked.</summary>
    Revoked,

    /// <summary>No usable answer: offline, no source, a server that did not answer.</summary>
    Unknown,
}

