namespace Smime.Certificates;

/// <summary>How revocation is checked.</summary>
public sealed class RevocationOptions
{
    /// <summary>The default wait for a CRL or OCSP server.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Use only the CRLs and OCSP responses already cached in the store: no network at all.
    /// </summary>
    public bool Offline { get; init; }

    /// <summary>How long to wait for each CRL or OCSP server.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Ask the OCSP responders named in the AIA extension (RFC 6960), and use the responses
    /// the store cached from them; when false, neither.
    /// </summary>
    public bool UseOcsp { get; init; } = true;

    /// <summary>
    /// A certificate that names no CRL distribution point and no OCSP responder, and whose
    /// issuer has no cached CRL, is <see cref="RevocationStatus.NotChecked"/> instead of
    /// <see cref="RevocationStatus.Unknown"/>: for checking by default, where a private CA
    /// that publishes no revocation at all must not make every signature "unknown".
    /// </summary>
    public bool NotCheckedWithoutSources { get; init; }

    /// <summary>The HTTP client to use; one with <see cref="Timeout"/> when null.</summary>
    public HttpClient? HttpClient { get; init; }
}
