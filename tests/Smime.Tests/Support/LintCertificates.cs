using System.Collections.ObjectModel;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Tests.Support;

/// <summary>
/// What a certificate made by <see cref="LintCertificates"/> carries. The defaults are a
/// certificate of the CA/B S/MIME BR mailbox-strict profile that lints clean: change one
/// property to break one rule.
/// </summary>
public sealed record LintCertificateSpec
{
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string MailboxStrict = "2.23.140.1.5.1.3";

    /// <summary>Subject attributes as (OID, value), in order; empty for an empty subject.</summary>
    public IReadOnlyList<(string Oid, string Value)> Subject { get; init; } =
        [("2.5.4.3", "alice@example.com")];

    /// <summary>rfc822Names; null leaves subjectAltName out.</summary>
    public IReadOnlyList<string>? Emails { get; init; } = ["alice@example.com"];

    /// <summary>SmtpUTF8Mailbox otherNames (RFC 9598) added to subjectAltName.</summary>
    public IReadOnlyList<string> SmtpUtf8Mailboxes { get; init; } = [];

    /// <summary>dNSNames added to subjectAltName.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>RSA modulus size; ignored when <see cref="Curve"/> is set.</summary>
    public int RsaBits { get; init; } = 2048;

    /// <summary>An EC curve for the subject key instead of RSA.</summary>
    public ECCurve? Curve { get; init; }

    /// <summary>keyUsage; null leaves it out. Default: dual use for the key type.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; } = DefaultUsage;

    public bool KeyUsageCritical { get; init; } = true;

    /// <summary>EKU OIDs; null leaves extendedKeyUsage out.</summary>
    public IReadOnlyList<string>? Ekus { get; init; } = [EmailProtection];

    /// <summary>certificatePolicies OIDs; empty leaves the extension out.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [MailboxStrict];

    /// <summary>notAfter minus notBefore.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(365);

    public bool WithCrlDistributionPoint { get; init; } = true;

    public bool WithSubjectKeyIdentifier { get; init; } = true;

    public bool WithAuthorityKeyIdentifier { get; init; } = true;

    /// <summary>basicConstraints cA; null leaves the extension out.</summary>
    public bool? BasicConstraintsCa { get; init; } = false;

    /// <summary>The serial's bytes as encoded; null for 16 random positive bytes.</summary>
    public byte[]? Serial { get; init; }

    public HashAlgorithmName Hash { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>Further extensions, added after all the others.</summary>
    public IReadOnlyList<X509Extension> ExtraExtensions { get; init; } = [];

    /// <summary>Marker: keyUsage is digitalSignature plus keyEncipherment (RSA) or
    /// keyAgreement (EC).</summary>
    public const X509KeyUsageFlags DefaultUsage = (X509KeyUsageFlags)(-1);
}

/// <summary>
/// Makes certificates for the linter's tests with CertificateRequest, issued by the shared
/// <see cref="TestPki"/> root (RSA 2048, with a subjectKeyIdentifier); the key is attached.
/// </summary>
public static class LintCertificates
{
    public const string CrlUrl = "http://127.0.0.1/ca.crl";

    public static X509Certificate2 Issue(LintCertificateSpec spec)
    {
        X509Certificate2 root = TestPki.Shared.Root;
        X500DistinguishedName subject = BuildName(spec.Subject);
        DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        notBefore = notBefore.AddTicks(-(notBefore.Ticks % TimeSpan.TicksPerSecond));
        DateTimeOffset notAfter = notBefore + spec.Validity;
        byte[] serial = spec.Serial ?? PositiveSerial();

        using AsymmetricAlgorithm key = spec.Curve is { } curve
            ? ECDsa.Create(curve)
            : RSA.Create(spec.RsaBits);
        CertificateRequest request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, spec.Hash, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, spec.Hash);
        AddExtensions(request, spec, key is ECDsa, root);

        using RSA rootKey = root.GetRSAPrivateKey()!;
        X509SignatureGenerator generator =
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1);
        using X509Certificate2 issued =
            request.Create(root.SubjectName, generator, notBefore, notAfter, serial);
        return key is RSA rsaKey
            ? issued.CopyWithPrivateKey(rsaKey)
            : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>A subject from (OID, value) pairs, in order.</summary>
    public static X500DistinguishedName BuildName(IReadOnlyList<(string Oid, string Value)> rdns)
    {
        var builder = new X500DistinguishedNameBuilder();
        foreach ((string oid, string value) in rdns)
        {
            UniversalTagNumber encoding = oid switch
            {
                "2.5.4.6" => UniversalTagNumber.PrintableString,
                "1.2.840.113549.1.9.1" => UniversalTagNumber.IA5String,
                _ => UniversalTagNumber.UTF8String,
            };
            builder.Add(oid, value, encoding);
        }

        return builder.Build();
    }

    /// <summary>A certificatePolicies extension naming the policies without qualifiers.</summary>
    public static X509Extension Policies(IEnumerable<string> oids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (string oid in oids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }

        return new X509Extension("2.5.29.32", writer.Encode(), false);
    }

    private static void AddExtensions(
        CertificateRequest request,
        LintCertificateSpec spec,
        bool ec,
        X509Certificate2 root)
    {
        Collection<X509Extension> extensions = request.CertificateExtensions;
        if (spec.BasicConstraintsCa is { } ca)
        {
            extensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        }

        if (spec.KeyUsage is { } usage)
        {
            X509KeyUsageFlags bits = usage != LintCertificateSpec.DefaultUsage
                ? usage
                : X509KeyUsageFlags.DigitalSignature
                    | (ec ? X509KeyUsageFlags.KeyAgreement : X509KeyUsageFlags.KeyEncipherment);
            extensions.Add(new X509KeyUsageExtension(bits, spec.KeyUsageCritical));
        }

        if (spec.Ekus is { } ekus)
        {
            var oids = new OidCollection();
            foreach (string oid in ekus)
            {
                oids.Add(new Oid(oid));
            }

            extensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        if (spec.Emails is { } addresses && spec.SmtpUtf8Mailboxes.Count > 0)
        {
            extensions.Add(SubjectAltName(addresses, spec.SmtpUtf8Mailboxes));
        }
        else if (spec.Emails is { } emails)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string email in emails)
            {
                san.AddEmailAddress(email);
            }

            foreach (string dns in spec.DnsNames)
            {
                san.AddDnsName(dns);
            }

            extensions.Add(san.Build(critical: spec.Subject.Count == 0));
        }

        if (spec.Policies.Count > 0)
        {
            extensions.Add(Policies(spec.Policies));
        }

        if (spec.WithCrlDistributionPoint)
        {
            extensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(
                [CrlUrl]));
        }

        if (spec.WithSubjectKeyIdentifier)
        {
            extensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        }

        if (spec.WithAuthorityKeyIdentifier)
        {
            extensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
                root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        foreach (X509Extension extra in spec.ExtraExtensions)
        {
            extensions.Add(extra);
        }
    }

    /// <summary>
    /// Re-encodes a certificate made by <see cref="Issue"/> with a serial CertificateRequest
    /// will not write (negative, say) or a SHA-1 signature, and signs it again with the root.
    /// </summary>
    public static X509Certificate2 Resign(
        X509Certificate2 certificate,
        byte[]? serial = null,
        bool sha1 = false)
    {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
        var outer = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
        AsnReader tbs = outer.ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        byte[] algorithm = sha1 ? Sha1WithRsa() : outer.ReadEncodedValue().ToArray();
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs.ReadEncodedValue().Span); // version
            ReadOnlyMemory<byte> oldSerial = tbs.ReadIntegerBytes();
            writer.WriteEncodedValue(EncodeInteger(serial ?? oldSerial.ToArray()));
            tbs.ReadEncodedValue();
            writer.WriteEncodedValue(algorithm);
            while (tbs.HasData)
            {
                writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
            }
        }

        byte[] tbsBytes = writer.Encode();
        using RSA rootKey = TestPki.Shared.Root.GetRSAPrivateKey()!;
        byte[] signature = rootKey.SignData(
            tbsBytes,
            sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        var result = new AsnWriter(AsnEncodingRules.DER);
        using (result.PushSequence())
        {
            result.WriteEncodedValue(tbsBytes);
            result.WriteEncodedValue(algorithm);
            result.WriteBitString(signature);
        }

        return X509CertificateLoader.LoadCertificate(result.Encode());
    }

    private static byte[] EncodeInteger(byte[] contents)
    {
        // Written raw, so that a negative or over-long value goes through unchanged.
        var writer = new AsnWriter(AsnEncodingRules.BER);
        writer.WriteEncodedValue([0x02, (byte)contents.Length, .. contents]);
        return writer.Encode();
    }

    private static byte[] Sha1WithRsa()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.5");
            writer.WriteNull();
        }

        return writer.Encode();
    }

    // SubjectAlternativeNameBuilder has no otherName; RFC 5280 §4.2.1.6, RFC 9598 §3.
    private static X509Extension SubjectAltName(
        IEnumerable<string> emails,
        IEnumerable<string> smtpUtf8Mailboxes)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (string email in emails)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, email,
                    new Asn1Tag(TagClass.ContextSpecific, 1));
            }

            foreach (string mailbox in smtpUtf8Mailboxes)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                {
                    writer.WriteObjectIdentifier("1.3.6.1.5.5.7.8.9");
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, mailbox);
                    }
                }
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), false);
    }

    private static byte[] PositiveSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
