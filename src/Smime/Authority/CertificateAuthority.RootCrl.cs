using Smime.Certificates;

namespace Smime.Authority;

public sealed partial class CertificateAuthority
{
    /// <summary>
    /// The file name of the root's CRL, published beside the issuing CA's CRL when the CA has
    /// an intermediate: http://host/ca.crl has http://host/root.crl beside it.
    /// </summary>
    public const string RootCrlFileName = "root.crl";

    /// <summary>
    /// Days until a root CRL's nextUpdate when none is given; well inside what S/MIME BR
    /// §4.9.7 allows for CRLs about subordinate CAs.
    /// </summary>
    public const int DefaultRootCrlDays = 30;

    /// <summary>
    /// The longest nextUpdate of a root CRL (about subordinate CAs): twelve months (S/MIME BR
    /// §4.9.7).
    /// </summary>
    public const int MaxRootCrlDays = 365;

    /// <summary>Whether an intermediate issues, so that the root signs a CRL of its own.</summary>
    public bool HasIntermediate => Record.IssuerThumbprint != Record.RootThumbprint;

    /// <summary>
    /// The URL of the root's CRL, which the intermediate names as its CRL distribution point:
    /// <see cref="RootCrlFileName"/> beside the CA's CRL URL. Null without an intermediate or
    /// a CRL URL.
    /// </summary>
    public string? RootCrlUrl =>
        HasIntermediate && Record.CrlUrl is { } url ? RootCrlUrlBeside(url) : null;

    /// <summary>
    /// The URL path at which <c>smime ca serve</c> serves the root's CRL: that of
    /// <see cref="RootCrlUrl"/>, else /root.crl; null without an intermediate.
    /// </summary>
    public string? RootCrlPath => !HasIntermediate
        ? null
        : RootCrlUrl is { } url ? new Uri(url).AbsolutePath : "/" + RootCrlFileName;

    /// <summary>
    /// Signs the root's CRL (RFC 5280 §5) of the CA certificates it revoked, with the next CRL
    /// number and a nextUpdate, and caches it in the store as if fetched from
    /// <see cref="RootCrlUrl"/>.
    /// </summary>
    /// <param name="passphrase">Opens the root's private key.</param>
    /// <param name="days">Days to nextUpdate, 1 to <see cref="MaxRootCrlDays"/>.</param>
    /// <returns>The CRL, DER.</returns>
    /// <exception cref="AuthorityException">The CA has no intermediate (the root is the issuer
    /// and <see cref="CreateCrl"/> signs its CRL), or the days are out of range.</exception>
    /// <exception cref="CertificateStoreException">The passphrase does not open the root
    /// key.</exception>
    public byte[] CreateRootCrl(string passphrase, int days = DefaultRootCrlDays)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (!HasIntermediate)
        {
            throw new AuthorityException(
                "This CA has no intermediate: the root is the issuer, and 'smime ca crl' "
                + "without --root signs its CRL.");
        }

        if (days is < 1 or > MaxRootCrlDays)
        {
            throw new AuthorityException(
                $"A root CRL valid for {days} days is refused: give 1 to {MaxRootCrlDays} "
                + "(CA/B S/MIME BR §4.9.7).");
        }

        return SignCrl(Record.RootThumbprint, passphrase, days, RootCrlUrl);
    }

    /// <summary>The newest root CRL cached in the store (DER), or null before any.</summary>
    public byte[]? LatestRootCrl() =>
        HasIntermediate
            ? _store.GetCrls(Root.SubjectName).Select(c => c.Crl.Encoded).FirstOrDefault()
            : null;

    // The derivation, in this one place: the file RootCrlFileName in the folder of the CA's
    // CRL URL (RFC 3986 §5.2 reference resolution drops the file name and query).
    private static string RootCrlUrlBeside(string crlUrl) =>
        new Uri(new Uri(crlUrl, UriKind.Absolute), RootCrlFileName).AbsoluteUri;

    private static bool IsRootCrlPath(string path) =>
        path.EndsWith("/" + RootCrlFileName, StringComparison.OrdinalIgnoreCase);
}
