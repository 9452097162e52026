using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;
using CrlReason = Org.BouncyCastle.Asn1.X509.CrlReason;

namespace Smime.Tests.Support;

/// <summary>
/// A throwaway PKI with revocation: a root, an intermediate, and users issued by the
/// intermediate whose CRL distribution point and OCSP responder are loopback URLs.
/// </summary>
public sealed class RevocationPki : IDisposable
{
    private readonly List<(X509Certificate2 Certificate, bool Revoked)> _issued = [];

    public RevocationPki(int crlPort, int ocspPort)
    {
        CrlUrl = $"http://127.0.0.1:{crlPort}/intermediate.crl";
        RootCrlUrl = $"http://127.0.0.1:{crlPort}/root.crl";
        OcspUrl = $"http://127.0.0.1:{ocspPort}/";
        DateTimeOffset now = DateTimeOffset.UtcNow;

        using RSA rootKey = RSA.Create(2048);
        var rootRequest = CaRequest("CN=Revocation Test Root", rootKey);
        Root = rootRequest.CreateSelfSigned(now.AddDays(-10), now.AddYears(5));

        using RSA intermediateKey = RSA.Create(2048);
        var intermediateRequest = CaRequest("CN=Revocation Test Intermediate", intermediateKey);
        intermediateRequest.CertificateExtensions.Add(
            CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([RootCrlUrl]));
        using X509Certificate2 intermediate = intermediateRequest.Create(
            Root, now.AddDays(-9), now.AddYears(4), Serial());
        Intermediate = intermediate.CopyWithPrivateKey(intermediateKey);
    }

    public string CrlUrl { get; }

    public string OcspUrl { get; }

    public string RootCrlUrl { get; }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2Collection Anchors => [Root];

    /// <summary>Issues an RSA user certificate; the key is attached.</summary>
    public X509Certificate2 Issue(
        string email,
        bool revoked = false,
        bool withCdp = true,
        bool withOcsp = true,
        bool subjectOnly = false,
        string[]? ekus = null,
        X509KeyUsageFlags usage =
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            subjectOnly ? $"CN=User, E={email}" : $"CN={email}",
            key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var eku = new OidCollection();
        foreach (string oid in ekus ?? ["1.3.6.1.5.5.7.3.4"])
        {
            eku.Add(new Oid(oid));
        }

        if (eku.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, false));
        }

        if (!subjectOnly)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddEmailAddress(email);
            request.CertificateExtensions.Add(san.Build());
        }

        if (withCdp)
        {
            request.CertificateExtensions.Add(
                CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([CrlUrl]));
        }

        if (withOcsp)
        {
            request.CertificateExtensions.Add(
                new X509AuthorityInformationAccessExtension([OcspUrl], null));
        }

        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 certificate = request.Create(
            Intermediate, notBefore ?? now.AddDays(-1), notAfter ?? now.AddYears(1), Serial());
        X509Certificate2 withKey = certificate.CopyWithPrivateKey(key);
        _issued.Add((withKey, revoked));
        return withKey;
    }

    /// <summary>The intermediate's CRL listing every user issued as revoked.</summary>
    public byte[] MakeCrl(DateTimeOffset? nextUpdate = null, DateTimeOffset? thisUpdate = null)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach ((X509Certificate2 certificate, bool revoked) in _issued)
        {
            if (revoked)
            {
                builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddHours(-1),
                    X509RevocationReason.KeyCompromise);
            }
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        return builder.Build(Intermediate, BigInteger.One, nextUpdate ?? now.AddDays(7),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, thisUpdate ?? now.AddMinutes(-1));
    }

    /// <summary>The root's CRL, revoking nothing.</summary>
    public byte[] MakeRootCrl() => new CertificateRevocationListBuilder().Build(
        Root, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256,
        RSASignaturePadding.Pkcs1, DateTimeOffset.UtcNow.AddMinutes(-1));

    /// <summary>
    /// An OCSP response (RFC 6960) about <paramref name="certificate"/>, signed by the
    /// intermediate with BouncyCastle (responder ID by key, no nonce), as a responder would
    /// have sent it at <paramref name="thisUpdate"/>.
    /// </summary>
    public byte[] MakeOcspResponse(
        X509Certificate2 certificate,
        bool revoked,
        DateTimeOffset thisUpdate,
        DateTimeOffset? nextUpdate)
    {
        BcCertificate issuer = new BcCertificateParser().ReadCertificate(Intermediate.RawData);
        var id = new CertificateID(CertificateID.DigestSha1, issuer,
            new BcBigInteger(1, certificate.SerialNumberBytes.ToArray()));
        CertificateStatus status = revoked
            ? new RevokedStatus(thisUpdate.UtcDateTime.AddHours(-1), CrlReason.KeyCompromise)
            : CertificateStatus.Good;
        var generator = new BasicOcspRespGenerator(issuer.GetPublicKey());
        generator.AddResponse(id, status, thisUpdate.UtcDateTime, nextUpdate?.UtcDateTime, null);

        using RSA key = Intermediate.GetRSAPrivateKey()!;
        var signer = new Asn1SignatureFactory("SHA256WITHRSA",
            PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
        BasicOcspResp basic = generator.Generate(signer, [issuer], thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic)
            .GetEncoded();
    }

    /// <summary>
    /// Writes intermediate.crt, intermediate.key and an openssl CA index.txt naming every user
    /// issued (V or R), for `openssl ocsp` as the responder.
    /// </summary>
    public void WriteOcspResponderFiles(string folder)
    {
        TestPki.WritePem(Intermediate, Path.Combine(folder, "intermediate.crt"),
            Path.Combine(folder, "intermediate.key"));
        var index = new StringBuilder();
        foreach ((X509Certificate2 certificate, bool revoked) in _issued)
        {
            string expiry = certificate.NotAfter.ToUniversalTime().ToString("yyMMddHHmmss") + "Z";
            string revokedAt = revoked
                ? DateTime.UtcNow.AddHours(-1).ToString("yyMMddHHmmss") + "Z"
                : "";
            index.Append(revoked ? 'R' : 'V').Append('\t').Append(expiry).Append('\t')
                .Append(revokedAt).Append('\t').Append(certificate.SerialNumber).Append('\t')
                .Append("unknown\t/CN=").Append(certificate.GetNameInfo(X509NameType.SimpleName, false))
                .Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "index.txt"), index.ToString());
    }

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        foreach ((X509Certificate2 certificate, _) in _issued)
        {
            certificate.Dispose();
        }
    }

    private static CertificateRequest CaRequest(string name, RSA key)
    {
        var request = new CertificateRequest(
            name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] Serial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
