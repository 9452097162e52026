using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace Smime.Certificates;

// OCSP (RFC 6960) uses BouncyCastle: .NET has no OCSP client API (X509Chain asks OCSP
// responders only through the platform, with no way to report the answer or bound the wait).
public sealed partial class RevocationChecker
{
    /// <summary>The largest OCSP response read.</summary>
    public const int MaxOcspResponseLength = 256 * 1024;

    // id-kp-OCSPSigning (RFC 6960 §4.2.2.2)
    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

    private const int NonceLength = 16;

    private RevocationCheck? AskOcsp(
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        string url,
        DateTimeOffset now,
        List<string> problems,
        CancellationToken cancellationToken)
    {
        try
        {
            (BcCertificate bcIssuer, CertificateID id) = OcspCertId(certificate, issuer);

            // RFC 6960 §4.4.1: a nonce binds the response to this request.
            byte[] nonce = RandomNumberGenerator.GetBytes(NonceLength);
            var generator = new OcspReqGenerator();
            generator.AddRequest(id);
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false,
                new DerOctetString(nonce));
            generator.SetRequestExtensions(extensions.Generate());
            byte[] request = generator.Generate().GetEncoded();

            var message = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(request),
            };
            message.Content.Headers.ContentType =
                new MediaTypeHeaderValue("application/ocsp-request");
            byte[] body = Download(message, MaxOcspResponseLength, cancellationToken);

            RevocationCheck? answer = Interpret(certificate, issuer, bcIssuer, id, nonce, body,
                $"OCSP {url}", now, problems, out SingleResp? single);

            // RFC 6960 §4.2.2.1: without a nextUpdate newer information is always available,
            // so such an answer is not kept.
            if (answer is not null && single!.NextUpdate is { } next)
            {
                _store?.StoreOcspResponse(certificate, issuer, body,
                    new DateTimeOffset(single.ThisUpdate, TimeSpan.Zero),
                    new DateTimeOffset(next, TimeSpan.Zero), url);
            }

            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException
            or OperationCanceledException || IsUnreadable(e))
        {
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            problems.Add($"OCSP {url}: {Describe(e)}");
            return null;
        }
    }

    // The response the store kept for this certificate, checked as a fresh one is but for
    // the nonce, which belonged to the request it first answered (RFC 6960 §4.4.1).
    private RevocationCheck? CachedOcsp(
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        DateTimeOffset now,
        List<string> problems)
    {
        if (_store?.GetOcspResponse(certificate, issuer) is not { } cached)
        {
            return null;
        }

        string label = $"cached OCSP answer from {cached.Source}";
        try
        {
            (BcCertificate bcIssuer, CertificateID id) = OcspCertId(certificate, issuer);
            RevocationCheck? answer = Interpret(certificate, issuer, bcIssuer, id, null,
                cached.Encoded, label, now, problems, out SingleResp? single);

            // Only answers with a nextUpdate are stored; one without is no cache entry.
            if (answer is not null && single!.NextUpdate is null)
            {
                problems.Add($"{label}: the response has no nextUpdate");
                return null;
            }

            return answer;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            problems.Add($"{label}: {Describe(e)}");
            return null;
        }
    }

    // RFC 6960 §4.1.1: the CertID names the issuer by the hashes of its name and key.
    private static (BcCertificate Issuer, CertificateID Id) OcspCertId(
        X509Certificate2 certificate,
        X509Certificate2 issuer)
    {
        BcCertificate bcIssuer = new BcCertificateParser().ReadCertificate(issuer.RawData);
        var id = new CertificateID(CertificateID.DigestSha1, bcIssuer,
            new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray()));
        return (bcIssuer, id);
    }

    // What BouncyCastle throws on a response it cannot read or check.
    private static bool IsUnreadable(Exception e) =>
        e is IOException or OcspException
            or Org.BouncyCastle.Security.SecurityUtilityException
            or Org.BouncyCastle.Security.Certificates.CertificateException
            or Org.BouncyCastle.Crypto.CryptoException or ArgumentException
            or InvalidCastException or InvalidOperationException;

    // The answer a response gives about the certificate, or null with the problem noted;
    // `label` names where it came from. A null nonce is not checked (a cached response).
    private static RevocationCheck? Interpret(
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        BcCertificate bcIssuer,
        CertificateID id,
        byte[]? nonce,
        byte[] body,
        string label,
        DateTimeOffset now,
        List<string> problems,
        out SingleResp? matched)
    {
        matched = null;
        var response = new OcspResp(body);
        if (response.Status != OcspRespStatus.Successful)
        {
            problems.Add($"{label}: the responder answered status {response.Status}");
            return null;
        }

        if (response.GetResponseObject() is not BasicOcspResp basic)
        {
            problems.Add($"{label}: the response is not a basic OCSP response");
            return null;
        }

        if (FindResponder(basic, bcIssuer, now) is not { } responder
            || !basic.Verify(responder.GetPublicKey()))
        {
            problems.Add($"{label}: the response is not signed by '{issuer.Subject}' "
                + "or a responder it authorised");
            return null;
        }

        // Compat: some responders leave the nonce out; one that is present must match.
        Asn1OctetString? echoed = basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        if (echoed is not null && nonce is not null)
        {
            Asn1Object inner = Asn1Object.FromByteArray(echoed.GetOctets());
            byte[] value = inner is Asn1OctetString octets ? octets.GetOctets() : echoed.GetOctets();
            if (!CryptographicOperations.FixedTimeEquals(value, nonce))
            {
                problems.Add($"{label}: the response's nonce does not match the request");
                return null;
            }
        }

        foreach (SingleResp single in basic.Responses)
        {
            if (!single.GetCertID().Equals(id))
            {
                continue;
            }

            if (single.ThisUpdate > now.UtcDateTime + s_skew)
            {
                problems.Add($"{label}: the response's thisUpdate {single.ThisUpdate:u} is in "
                    + "the future");
                return null;
            }

            if (single.NextUpdate is { } next && next < now.UtcDateTime - s_skew)
            {
                problems.Add($"{label}: the response expired at its nextUpdate {next:u}");
                return null;
            }

            matched = single;

            object? status = single.GetCertStatus();
            if (status is null)
            {
                return new RevocationCheck(RevocationStatus.Good,
                    $"The certificate '{certificate.Subject}' is not revoked ({label}).");
            }

            if (status is RevokedStatus)
            {
                return new RevocationCheck(RevocationStatus.Revoked,
                    $"The certificate '{certificate.Subject}' is revoked ({label}).");
            }

            problems.Add($"{label}: the responder does not know the certificate");
            return null;
        }

        problems.Add($"{label}: the response does not cover the certificate");
        return null;
    }

    // RFC 6960 §4.2.2.2: the issuer signs, or a certificate it issued with id-kp-OCSPSigning.
    private static BcCertificate? FindResponder(
        BasicOcspResp basic,
        BcCertificate issuer,
        DateTimeOffset now)
    {
        RespID responderId = basic.ResponderId;
        if (responderId.Equals(new RespID(issuer.SubjectDN))
            || responderId.Equals(new RespID(issuer.GetPublicKey())))
        {
            return issuer;
        }

        foreach (BcCertificate candidate in basic.GetCerts())
        {
            // §4.2.2.2: a delegated responder's certificate must be valid when relied on.
            if (!candidate.IssuerDN.Equivalent(issuer.SubjectDN)
                || !candidate.IsValid(now.UtcDateTime))
            {
                continue;
            }

            try
            {
                candidate.Verify(issuer.GetPublicKey());
            }
            catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException
                or Org.BouncyCastle.Security.Certificates.CertificateException
                or Org.BouncyCastle.Security.SignatureException)
            {
                continue;
            }

            bool mayRespond = candidate.GetExtendedKeyUsage()?.Any(o => o.Id == OcspSigningOid)
                ?? false;
            if (mayRespond && (responderId.Equals(new RespID(candidate.SubjectDN))
                || responderId.Equals(new RespID(candidate.GetPublicKey()))))
            {
                return candidate;
            }
        }

        return null;
    }
}
