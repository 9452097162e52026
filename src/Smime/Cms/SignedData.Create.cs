using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

public sealed partial class SignedData
{
    private static readonly Asn1Tag s_context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag s_explicit0 = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_directoryName = new(TagClass.ContextSpecific, 4, true);
    private static readonly byte[] s_capabilities =
        SmimeCapabilities.Encode(SmimeCapabilities.Supported);

    /// <summary>
    /// Creates a detached SignedData from digests of the content computed by the caller.
    /// </summary>
    /// <param name="signers">One or more signers.</param>
    /// <param name="digests">
    /// A stream that has hashed the content with every signer's digest algorithm.
    /// </param>
    /// <param name="contentType">The eContentType; id-data for MIME.</param>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    /// <exception cref="ArgumentException">No signers, too many, or a signer asks for a
    /// subjectKeyIdentifier its certificate lacks.</exception>
    /// <exception cref="NotSupportedException">A signer's digest or key algorithm.</exception>
    public static byte[] CreateDetached(
        IReadOnlyList<CmsSigner> signers,
        DigestingStream digests,
        string contentType = Oids.Data)
    {
        ArgumentNullException.ThrowIfNull(digests);
        CheckSigners(signers);

        var signerInfos = new List<byte[]>(signers.Count);
        foreach (CmsSigner signer in signers)
        {
            byte[] digest = digests.GetDigest(signer.DigestAlgorithm);
            signerInfos.Add(EncodeSignerInfo(signer, contentType, digest));
        }

        return Encode(signers, signerInfos, contentType, encapsulate: false, []);
    }

    /// <summary>Creates a SignedData that encapsulates the content.</summary>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    /// <exception cref="ArgumentException">No signers, too many, or a signer asks for a
    /// subjectKeyIdentifier its certificate lacks.</exception>
    /// <exception cref="NotSupportedException">A signer's digest or key algorithm.</exception>
    public static byte[] CreateEncapsulated(
        IReadOnlyList<CmsSigner> signers,
        ReadOnlySpan<byte> content,
        string contentType = Oids.Data)
    {
        CheckSigners(signers);

        var digests = new Dictionary<HashAlgorithmName, byte[]>();
        var signerInfos = new List<byte[]>(signers.Count);
        foreach (CmsSigner signer in signers)
        {
            if (!digests.TryGetValue(signer.DigestAlgorithm, out byte[]? digest))
            {
                digest = CryptographicOperations.HashData(signer.DigestAlgorithm, content);
                digests.Add(signer.DigestAlgorithm, digest);
            }

            signerInfos.Add(EncodeSignerInfo(signer, contentType, digest));
        }

        return Encode(signers, signerInfos, contentType, encapsulate: true, content);
    }

    /// <summary>Creates a certs-only SignedData (RFC 8551 §3.6): no content, no signers.</summary>
    public static byte[] CreateCertificatesOnly(IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        List<X509Certificate2> distinct = Distinct(certificates);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            using (writer.PushSetOf())
            {
            }

            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.Data);
            }

            WriteCertificates(writer, distinct);
            using (writer.PushSetOf())
            {
            }
        }

        return ContentInfoAsn.Write(Oids.SignedData, writer.Encode());
    }

    private static void CheckSigners(IReadOnlyList<CmsSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(signers);
        if (signers.Count == 0 || signers.Count > CmsLimits.MaxSigners)
        {
            throw new ArgumentException(
                $"A SignedData needs 1 to {CmsLimits.MaxSigners} signers, not {signers.Count}.",
                nameof(signers));
        }

        foreach (CmsSigner signer in signers)
        {
            ArgumentNullException.ThrowIfNull(signer, nameof(signers));
            if (!SignatureAlgorithms.IsSigningHash(signer.DigestAlgorithm))
            {
                throw new NotSupportedException(
                    $"The digest algorithm {signer.DigestAlgorithm.Name} is not used for new " +
                    "signatures; use SHA-256, SHA-384 or SHA-512 (RFC 8551 §2.1).");
            }

            if (signer.Key is not null && signer.DigestAlgorithm != HashAlgorithmName.SHA512)
            {
                throw new ArgumentException(
                    $"An Ed25519 signer digests with SHA-512 (RFC 8419 §3.1), not " +
                    $"{signer.DigestAlgorithm.Name}.",
                    nameof(signers));
            }
        }
    }

    // RFC 5652 §5.1: version 3 when a SignerInfo is version 3 or the content is not id-data,
    // else 1 (no attribute certificates or other formats are written).
    private static byte[] Encode(
        IReadOnlyList<CmsSigner> signers,
        List<byte[]> signerInfos,
        string contentType,
        bool encapsulate,
        ReadOnlySpan<byte> content)
    {
        bool anyKeyIdentifier = signers.Any(
            s => s.IdentifierType == SignerIdentifierType.SubjectKeyIdentifier);
        int version = anyKeyIdentifier || contentType != Oids.Data ? 3 : 1;

        var certificates = new List<X509Certificate2>();
        foreach (CmsSigner signer in signers)
        {
            certificates.Add(signer.Certificate);
            if (signer.EncryptionCertificate is { } encryption)
            {
                certificates.Add(encryption);
            }

            certificates.AddRange(signer.ExtraCertificates);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(version);

            // RFC 5754 §2: SHA-2 digest identifiers are written with absent parameters.
            using (writer.PushSetOf())
            {
                IEnumerable<HashAlgorithmName> distinct =
                    signers.Select(s => s.DigestAlgorithm).Distinct();
                foreach (HashAlgorithmName digest in distinct)
                {
                    string oid = SignatureAlgorithms.HashOid(digest);
                    new AlgorithmIdentifierAsn(oid, null).Write(writer);
                }
            }

            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(contentType);
                if (encapsulate)
                {
                    using (writer.PushSequence(s_explicit0))
                    {
                        writer.WriteOctetString(content);
                    }
                }
            }

            WriteCertificates(writer, Distinct(certificates));
            using (writer.PushSetOf())
            {
                foreach (byte[] signerInfo in signerInfos)
                {
                    writer.WriteEncodedValue(signerInfo);
                }
            }
        }

        return ContentInfoAsn.Write(Oids.SignedData, writer.Encode());
    }

    private static void WriteCertificates(AsnWriter writer, List<X509Certificate2> certificates)
    {
        if (certificates.Count == 0)
        {
            return;
        }

        using (writer.PushSetOf(s_context0))
        {
            foreach (X509Certificate2 certificate in certificates)
            {
                writer.WriteEncodedValue(certificate.RawDataMemory.Span);
            }
        }
    }

    private static List<X509Certificate2> Distinct(IEnumerable<X509Certificate2> certificates)
    {
        var distinct = new List<X509Certificate2>();
        foreach (X509Certificate2 certificate in certificates)
        {
            ArgumentNullException.ThrowIfNull(certificate, nameof(certificates));
            ReadOnlyMemory<byte> raw = certificate.RawDataMemory;
            if (!distinct.Exists(c => c.RawDataMemory.Span.SequenceEqual(raw.Span)))
            {
                distinct.Add(certificate);
            }
        }

        return distinct;
    }

    private static byte[] EncodeSignerInfo(CmsSigner signer, string contentType, byte[] digest)
    {
        byte[] attributes = EncodeSignedAttributes(signer, contentType, digest);
        (AlgorithmIdentifierAsn algorithm, byte[] signature) =
            SignatureAlgorithms.Sign(signer, attributes);

        // RFC 5652 §5.3: the signature covers the SET OF; the SignerInfo carries the same bytes
        // under the IMPLICIT [0] tag.
        attributes[0] = 0xA0;

        bool byKeyIdentifier = signer.IdentifierType == SignerIdentifierType.SubjectKeyIdentifier;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(byKeyIdentifier ? 3 : 1);
            if (byKeyIdentifier)
            {
                writer.WriteOctetString(KeyIdentifierOf(signer.Certificate).Span, s_context0);
            }
            else
            {
                IssuerAndSerialNumberAsn.From(signer.Certificate).Write(writer);
            }

            string digestOid = SignatureAlgorithms.HashOid(signer.DigestAlgorithm);
            new AlgorithmIdentifierAsn(digestOid, null).Write(writer);
            writer.WriteEncodedValue(attributes);
            algorithm.Write(writer);
            writer.WriteOctetString(signature);
        }

        return writer.Encode();
    }

    private static ReadOnlyMemory<byte> KeyIdentifierOf(X509Certificate2 certificate)
    {
        X509SubjectKeyIdentifierExtension? extension =
            certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        if (extension is null)
        {
            throw new ArgumentException(
                $"The certificate '{certificate.Subject}' has no subjectKeyIdentifier extension, " +
                "so the signer cannot be named by key identifier.",
                "signers");
        }

        return extension.SubjectKeyIdentifierBytes;
    }

    // The signed attributes of RFC 8551 §2.5 and RFC 5035 §5.4, DER-sorted as a SET OF;
    // SMIMEEncryptionKeyPreference only when the encryption certificate is another one
    // (RFC 8551 §2.5.3).
    private static byte[] EncodeSignedAttributes(CmsSigner signer, string contentType, byte[] digest)
    {
        var value = new AsnWriter(AsnEncodingRules.DER);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSetOf())
        {
            value.WriteObjectIdentifier(contentType);
            AttributeAsn.Write(writer, Oids.ContentTypeAttribute, value.Encode());

            value.Reset();
            WriteSigningTime(value, signer.SigningTime ?? DateTimeOffset.UtcNow);
            AttributeAsn.Write(writer, Oids.SigningTimeAttribute, value.Encode());

            value.Reset();
            value.WriteOctetString(digest);
            AttributeAsn.Write(writer, Oids.MessageDigestAttribute, value.Encode());

            AttributeAsn.Write(writer, Oids.SmimeCapabilitiesAttribute, s_capabilities);
            AttributeAsn.Write(
                writer,
                Oids.SigningCertificateV2Attribute,
                EncodeSigningCertificateV2(signer.Certificate));

            ReadOnlySpan<byte> signing = signer.Certificate.RawDataMemory.Span;
            if (signer.EncryptionCertificate is { } encryption
                && !encryption.RawDataMemory.Span.SequenceEqual(signing))
            {
                AttributeAsn.Write(
                    writer,
                    Oids.EncryptionKeyPreferenceAttribute,
                    EncryptionKeyPreference.Encode(encryption));
            }
        }

        return writer.Encode();
    }

    // RFC 5652 §11.3: UTCTime for 1950 through 2049, GeneralizedTime otherwise.
    private static void WriteSigningTime(AsnWriter writer, DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToUniversalTime();
        if (utc.Year is >= 1950 and <= 2049)
        {
            writer.WriteUtcTime(utc, twoDigitYearMax: 2049);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }

    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (RFC 5035 §3);
    // ESSCertIDv2 with hashAlgorithm left at its SHA-256 DEFAULT, the certificate's hash, and
    // issuerSerial naming it as the issuer's directoryName and serial.
    private static byte[] EncodeSigningCertificateV2(X509Certificate2 certificate)
    {
        byte[] hash = SHA256.HashData(certificate.RawDataMemory.Span);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(hash);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                using (writer.PushSequence(s_directoryName))
                {
                    writer.WriteEncodedValue(certificate.IssuerName.RawData);
                }

                IssuerAndSerialNumberAsn.WriteSerial(writer, certificate.SerialNumberBytes.Span);
            }
        }

        return writer.Encode();
    }
}
