using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>
/// Checks whether a certificate is revoked: first the CRLs and the OCSP response cached in
/// the store, then (unless offline) the CRLs at the certificate's distribution points,
/// fetched over HTTP and cached until their nextUpdate, then the OCSP responders of its AIA
/// extension, whose answers are cached until their nextUpdate too. Says "unknown" rather
/// than guess. Only http URLs are used (RFC 5280 §4.2.1.13: LDAP is not supported).
/// </summary>
public sealed partial class RevocationChecker : IDisposable
{
    // Clock skew allowed between us and a CRL or OCSP signer.
    private static readonly TimeSpan s_skew = TimeSpan.FromMinutes(5);

    // CRLDistributionPoints (RFC 5280 §4.2.1.13)
    private const string CrlDistributionPointsOid = "2.5.29.31";

    private static readonly Asn1Tag s_fullName = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_distributionPoint = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_uri = new(TagClass.ContextSpecific, 6);

    private readonly CertificateStore? _store;
    private readonly RevocationOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="store">The CRL and OCSP cache; null to keep nothing between runs.</param>
    /// <param name="options">Offline mode, timeout, OCSP.</param>
    public RevocationChecker(CertificateStore? store, RevocationOptions? options = null)
    {
        _store = store;
        _options = options ?? new RevocationOptions();
        _ownsHttp = _options.HttpClient is null;
        _http = _options.HttpClient ?? new HttpClient { Timeout = _options.Timeout };
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Checks <paramref name="certificate"/>, issued by <paramref name="issuer"/>, now.</summary>
    public RevocationCheck Check(
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);

        DateTimeOffset now = DateTimeOffset.UtcNow;
        var problems = new List<string>();

        RevocationCheck? fromCrl = null;
        if (_store is not null)
        {
            foreach ((CertificateRevocationList crl, string? source) in
                _store.GetCrls(issuer.SubjectName))
            {
                if (Decide(certificate, issuer, crl, source ?? "imported CRL", now, problems)
                    is { } cached)
                {
                    fromCrl = cached;
                    break;
                }
            }
        }

        if (fromCrl is { Status: RevocationStatus.Revoked })
        {
            return fromCrl;
        }

        // A cached CRL that says good does not hide a cached OCSP answer that says revoked.
        if (_options.UseOcsp && CachedOcsp(certificate, issuer, now, problems) is { } kept
            && (fromCrl is null || kept.Status == RevocationStatus.Revoked))
        {
            return kept;
        }

        if (fromCrl is not null)
        {
            return fromCrl;
        }

        if (_options.NotCheckedWithoutSources && problems.Count == 0
            && certificate.Extensions[CrlDistributionPointsOid] is null
            && OcspResponders(certificate).Count == 0)
        {
            return new RevocationCheck(RevocationStatus.NotChecked,
                $"Revocation of '{certificate.Subject}' not checked: no distribution point.");
        }

        if (_options.Offline)
        {
            return Unknown(certificate, problems.Count > 0
                ? problems
                : ["offline, and no current CRL of its issuer is cached"]);
        }

        foreach (string url in CrlDistributionPoints(certificate))
        {
            if (FetchCrl(url, problems, cancellationToken) is not { } crl)
            {
                continue;
            }

            if (Decide(certificate, issuer, crl, url, now, problems) is { } fetched)
            {
                _store?.StoreCrl(crl, url);
                return fetched;
            }
        }

        if (_options.UseOcsp)
        {
            foreach (string url in OcspResponders(certificate))
            {
                RevocationCheck? answer = AskOcsp(certificate, issuer, url, now, problems,
                    cancellationToken);
                if (answer is not null)
                {
                    return answer;
                }
            }
        }

        return Unknown(certificate, problems.Count > 0
            ? problems
            : ["it names no CRL distribution point or OCSP responder"]);
    }

    /// <summary>The http URLs of the certificate's CRL distribution points.</summary>
    public static IReadOnlyList<string> CrlDistributionPoints(X509Certificate2 certificate)
    {
        var urls = new List<string>();
        X509Extension? extension = certificate.Extensions[CrlDistributionPointsOid];
        if (extension is null)
        {
            return urls;
        }

        try
        {
            // DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName
            // OPTIONAL, reasons [1] OPTIONAL, cRLIssuer [2] OPTIONAL };
            // DistributionPointName ::= CHOICE { fullName [0] GeneralNames, ... }
            AsnReader points = new AsnReader(extension.RawData, AsnEncodingRules.DER)
                .ReadSequence();
            while (points.HasData)
            {
                AsnReader point = points.ReadSequence();
                if (!point.HasData || !point.PeekTag().HasSameClassAndValue(s_distributionPoint))
                {
                    continue;
                }

                AsnReader name = point.ReadSequence(s_distributionPoint);
                if (!name.PeekTag().HasSameClassAndValue(s_fullName))
                {
                    continue;
                }

                AsnReader generalNames = name.ReadSequence(s_fullName);
                while (generalNames.HasData)
                {
                    if (generalNames.PeekTag().HasSameClassAndValue(s_uri))
                    {
                        string uri = generalNames.ReadCharacterString(
                            UniversalTagNumber.IA5String, s_uri);
                        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                            || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                        {
                            urls.Add(uri);
                        }
                    }
                    else
                    {
                        generalNames.ReadEncodedValue();
                    }
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension names no usable point; the outcome is "unknown".
        }

        return urls;
    }

    /// <summary>The http URLs of the OCSP responders in the AIA extension (RFC 5280 §4.2.2.1).</summary>
    public static IReadOnlyList<string> OcspResponders(X509Certificate2 certificate)
    {
        try
        {
            return certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>()
                .SelectMany(e => e.EnumerateOcspUris())
                .Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                .ToList();
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    private static RevocationCheck? Decide(
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        CertificateRevocationList crl,
        string source,
        DateTimeOffset now,
        List<string> problems)
    {
        if (!crl.IsSignedBy(issuer, out string? failure))
        {
            problems.Add($"{source}: {failure}");
            return null;
        }

        if (crl.ThisUpdate > now + s_skew)
        {
            problems.Add($"{source}: the CRL's thisUpdate {crl.ThisUpdate:u} is in the future");
            return null;
        }

        // RFC 5280 §6.3.3 (a): a CRL past its nextUpdate is not current; fetch a new one.
        if (crl.NextUpdate is { } next && next + s_skew < now)
        {
            problems.Add($"{source}: the CRL expired at its nextUpdate {next:u}");
            return null;
        }

        return crl.IsRevoked(certificate.SerialNumberBytes.Span)
            ? new RevocationCheck(RevocationStatus.Revoked,
                $"The certificate '{certificate.Subject}' is revoked (CRL from {source}).")
            : new RevocationCheck(RevocationStatus.Good,
                $"The certificate '{certificate.Subject}' is not revoked (CRL from {source}).");
    }

    private CertificateRevocationList? FetchCrl(
        string url,
        List<string> problems,
        CancellationToken cancellationToken)
    {
        try
        {
            byte[] body = Download(new HttpRequestMessage(HttpMethod.Get, url),
                CertificateRevocationList.MaxEncodedLength, cancellationToken);
            return CertificateRevocationList.Decode(body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException
            or OperationCanceledException or CryptographicException or IOException)
        {
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            problems.Add($"{url}: {Describe(e)}");
            return null;
        }
    }

    private byte[] Download(
        HttpRequestMessage request,
        int maxLength,
        CancellationToken cancellationToken)
    {
        using (request)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.Timeout);
            using HttpResponseMessage response = _http.Send(
                request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            response.EnsureSuccessStatusCode();
            using Stream stream = response.Content.ReadAsStream(timeout.Token);
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[16384];
            int read;
            // Reads with the token, so a server that stalls mid-body cannot hold us past
            // the timeout.
            while ((read = stream.ReadAsync(chunk.AsMemory(), timeout.Token)
                .AsTask().GetAwaiter().GetResult()) > 0)
            {
                if (buffer.Length + read > maxLength)
                {
                    throw new IOException($"the answer is longer than {maxLength} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static string Describe(Exception e) => e switch
    {
        TaskCanceledException or OperationCanceledException => "no answer within the timeout",
        _ => e.Message.TrimEnd('.'),
    };

    private static RevocationCheck Unknown(X509Certificate2 certificate, List<string> problems) =>
        new(RevocationStatus.Unknown,
            $"The revocation of '{certificate.Subject}' is unknown: "
            + string.Join("; ", problems) + ".");
}
