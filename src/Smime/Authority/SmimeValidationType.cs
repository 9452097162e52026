namespace Smime.Authority;

/// <summary>
/// The four certificate types of the CA/Browser Forum S/MIME Baseline Requirements (§1.2,
/// §7.1.6.1): what the CA checked before issuing. The values are the third arc of the
/// reserved policy OID (2.23.140.1.5.<c>type</c>.<c>generation</c>).
/// </summary>
public enum SmimeValidationType
{
    /// <summary>Only control of the mailbox was checked (the old class 1).</summary>
    Mailbox = 1,

    /// <summary>
    /// The organisation was checked; the subject is the organisation (old class 2).
    /// </summary>
    Organization = 2,

    /// <summary>A person affiliated with a checked organisation (old class 2).</summary>
    Sponsor = 3,

    /// <summary>A natural person whose identity was checked (old classes 3 and 4).</summary>
    Individual = 4,
}
