using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Authority;

// The OCSP responder (RFC 6960) for the CA's own certificates. BouncyCastle parses requests
// and builds responses: .NET has no OCSP types at all.
public sealed partial class CertificateAuthority
{
    /// <summary>The largest OCSP request read, in bytes; a longer one is hostile.</summary>
    public const int MaxOcspRequestLength = 16 * 1024;

    /// <summary>The most certificates one OCSP request may ask about.</summary>
    public const int MaxOcspRequestCount = 16;

    /// <summary>
    /// How long an OCSP answer is good for: S/MIME BR §4.9.10 allows 8 hours to 10 days and
    /// wants fresh information no later than 4 days after thisUpdate.
    /// </summary>
    public static readonly TimeSpan OcspValidity = TimeSpan.FromDays(4);

    // RFC 8954 §2.1: nonces of 1 to 32 octets; a responder may leave a longer one out.
    private const int MaxNonceLength = 32;

    /// <summary>
    /// Opens the issuing CA's private key for a session of <see cref="AnswerOcsp"/> calls.
    /// </summary>
    /// <param name="passphrase">Opens the CA's private key.</param>
    /// <returns>The key; dispose it when the session ends.</returns>
    /// <exception cref="CertificateStoreException">The passphrase does not open the CA
    /// key.</exception>
    public OcspSigningKey UnlockOcspKey(string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);

        using CertificateKey key = _store.GetCertificateKey(Record.IssuerThumbprint, passphrase);

        // Only the key is used; the store's copy of the certificate goes with it.
        using X509Certificate2 copy = key.Certificate;
        return OcspSigningKey.Create(key.Pkcs8PrivateKey, Issuer.RawData, Record.IssuerThumbprint);
    }

    /// <summary>
    /// Answers a DER OCSPRequest (RFC 6960 §4.1) about certificates of this CA: good for an
    /// issued serial, revoked with time and reason for a revoked one, unknown for a serial it
    /// never issued and for a CertID of another issuer. The basic response is signed by the
    /// issuing CA itself (§4.2.2.2), names it by key hash, carries its certificate, echoes the
    /// request's nonce (§4.4.1) and is valid for <see cref="OcspValidity"/>. The request's own
    /// signature, if any, is not checked.
    /// </summary>
    /// <param name="request">The OCSPRequest, DER.</param>
    /// <param name="key">The key from <see cref="UnlockOcspKey"/>.</param>
    /// <returns>The OCSPResponse, DER: malformedRequest when the request cannot be read, is
    /// longer than <see cref="MaxOcspRequestLength"/> or asks about more than
    /// <see cref="MaxOcspRequestCount"/> certificates.</returns>
    /// <exception cref="ArgumentException">The key is not this CA's.</exception>
    public byte[] AnswerOcsp(ReadOnlySpan<byte> request, OcspSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.IssuerThumbprint != Record.IssuerThumbprint)
        {
            throw new ArgumentException(
                $"The OCSP key belongs to CA certificate {key.IssuerThumbprint}, not to this "
                + $"CA's {Record.IssuerThumbprint}.", nameof(key));
        }

        if (ReadOcspRequest(request) is not { } parsed)
        {
            return new OCSPRespGenerator().Generate(OCSPRespGenerator.MalformedRequest, null)
                .GetEncoded();
        }

        // GeneralizedTime without fractions (RFC 5280 §4.1.2.5.2 habits; RFC 6960 §4.2.2.1).
        DateTime now = DateTimeOffset.FromUnixTimeSeconds(
            DateTimeOffset.UtcNow.ToUnixTimeSeconds()).UtcDateTime;
        var generator = new BasicOcspRespGenerator(key.Issuer.GetPublicKey());
        foreach (Req single in parsed.GetRequestList())
        {
            CertificateID id = single.GetCertID();
            generator.AddResponse(id, Status(id), now, now + OcspValidity, null);
        }

        if (Nonce(parsed) is { } nonce)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, nonce);
            generator.SetResponseExtensions(extensions.Generate());
        }

        BasicOcspResp basic = generator.Generate(key.SignatureFactory, [key.Issuer], now);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic)
            .GetEncoded();
    }

    // The request, or null when it is not one DER OCSPRequest within the limits.
    private static OcspReq? ReadOcspRequest(ReadOnlySpan<byte> request)
    {
        if (request.Length is 0 or > MaxOcspRequestLength)
        {
            return null;
        }

        try
        {
            // One whole SEQUENCE and nothing after it, before BouncyCastle reads it.
            AsnDecoder.ReadSequence(request, AsnEncodingRules.DER, out _, out _, out int read);
            if (read != request.Length)
            {
                return null;
            }

            var parsed = new OcspReq(request.ToArray());
            Req[] list = parsed.GetRequestList();
            if (list.Length is 0 or > MaxOcspRequestCount)
            {
                return null;
            }

            foreach (Req single in list)
            {
                _ = single.GetCertID().SerialNumber;
            }

            return parsed;
        }
        catch (Exception e) when (e is AsnContentException or IOException or ArgumentException
            or InvalidCastException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    // RFC 6960 §4.4.1: the response carries the request's nonce, octet for octet.
    private static byte[]? Nonce(OcspReq request)
    {
        Org.BouncyCastle.Asn1.X509.X509Extension? extension =
            request.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        if (extension is null)
        {
            return null;
        }

        byte[] value = extension.Value.GetOctets();
        try
        {
            int length = Asn1OctetString.GetInstance(value).GetOctets().Length;
            return length is >= 1 and <= MaxNonceLength ? value : null;
        }
        catch (ArgumentException)
        {
            // Compat: some clients put the nonce bytes in without the inner OCTET STRING.
            return value.Length is >= 1 and <= MaxNonceLength ? value : null;
        }
    }

    private CertificateStatus? Status(CertificateID id)
    {
        if (!IsThisIssuer(id))
        {
            return new UnknownStatus();
        }

        string serial = Convert.ToHexString(id.SerialNumber.ToByteArrayUnsigned());
        IssuedCertificate? issued = id.SerialNumber.SignValue > 0
            ? _store.GetIssued(serial)
            : null;
        if (issued is null || issued.IssuerThumbprint != Record.IssuerThumbprint)
        {
            // S/MIME BR §4.9.10: never "good" for a serial that was not issued.
            return new UnknownStatus();
        }

        return issued.State switch
        {
            IssuedCertificateState.Revoked => Revoked(issued),
            IssuedCertificateState.Issued => CertificateStatus.Good,

            // Spent but never recorded as signed: no proof it exists, so not "good".
            _ => new UnknownStatus(),
        };
    }

    // RFC 5280 §5.3.1: reason unspecified is left out, as the CRL leaves it out.
    private static RevokedStatus Revoked(IssuedCertificate issued)
    {
        DateTime at = (issued.RevokedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime;
        return issued.Reason is null or X509RevocationReason.Unspecified
            ? new RevokedStatus(at)
            : new RevokedStatus(at, (int)issued.Reason.Value);
    }

    // RFC 6960 §4.1.1: issuerNameHash and issuerKeyHash under the request's own hash
    // algorithm; one the CA cannot compute matches nothing.
    private bool IsThisIssuer(CertificateID id)
    {
        HashAlgorithmName? hash = id.HashAlgOid switch
        {
            Oids.Sha1 => HashAlgorithmName.SHA1,
            Oids.Sha256 => HashAlgorithmName.SHA256,
            Oids.Sha384 => HashAlgorithmName.SHA384,
            Oids.Sha512 => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is not { } name)
        {
            return false;
        }

        byte[] nameHash = CryptographicOperations.HashData(name, Issuer.SubjectName.RawData);
        byte[] keyHash = CryptographicOperations.HashData(
            name, Issuer.PublicKey.EncodedKeyValue.RawData);
        return CryptographicOperations.FixedTimeEquals(nameHash, id.GetIssuerNameHash())
            & CryptographicOperations.FixedTimeEquals(keyHash, id.GetIssuerKeyHash());
    }
}
