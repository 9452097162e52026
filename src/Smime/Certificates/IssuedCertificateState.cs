namespace Smime.Certificates;

/// <summary>Where a serial number of the store's CA stands.</summary>
public enum IssuedCertificateState
{
    /// <summary>
    /// Recorded before signing, and the signed certificate never came back (a crash or a
    /// failure while signing). The serial is spent all the same: never reused.
    /// </summary>
    Reserved,

    /// <summary>Issued and not revoked.</summary>
    Issued,

    /// <summary>Revoked; listed in the next CRL.</summary>
    Revoked,
}
