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

    /// <summary>
    /// Not checked: the certificate names no CRL distribution point and no OCSP responder,
    /// and no CRL of its issuer is cached (only with
    /// <see cref="RevocationOptions.NotCheckedWithoutSources"/>).
    /// </summary>
    NotChecked,
}

