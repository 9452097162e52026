namespace Smime.Certificates;

/// <summary>How revocation is checked.</summary>
public sealed class RevocationOptions
{
    /// <summary>The default wait for a CRL or OCSP server.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Use only CRLs already cached in the store: no network at all.</summary>
    public bool Offline { get; init; }

    /// <summary>How long to wait for each CRL or OCSP server.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Ask the OCSP responders named in the AIA extension (RFC 6960).</summary>
    public bool UseOcsp { get; init; } = true;

    /// <summary>The HTTP client to use; one with <see cref="Timeout"/> when null.</summary>
    public HttpClient? HttpClient { get; init; }
}
