using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>
/// The parts of a certificate the linter's rules read, decoded once from the DER. Fields the
/// platform normalises away (the serial's sign, the version, repeated extensions) are read
/// from the encoding itself.
/// </summary>
internal sealed class LintTarget
{
    // GeneralName tags (RFC 5280 §4.2.1.6).
    private static readonly Asn1Tag s_otherNameTag = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_rfc822NameTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag s_uriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag s_versionTag = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_extensionsTag = new(TagClass.ContextSpecific, 3, true);
    private static readonly Asn1Tag s_explicitZero = new(TagClass.ContextSpecific, 0, true);

    private static readonly string[] s_generalNameKinds =
    [
        "otherName", "rfc822Name", "dNSName", "x400Address", "directoryName",
        "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID",
    ];

    private LintTarget(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>1, 2 or 3 as in RFC 5280 §4.1.2.1 (the encoded value plus one).</summary>
    public int Version { get; private set; }

    /// <summary>The serial's INTEGER contents exactly as encoded, sign included.</summary>
    public byte[] SerialBytes { get; private set; } = [];

    /// <summary>The outer signatureAlgorithm OID.</summary>
    public string SignatureAlgorithm { get; private set; } = "";

    /// <summary>Every extension in encoded order, repeats included.</summary>
    public List<LintExtension> Extensions { get; } = [];

    /// <summary>The subject's attributes as (OID, value) in encoded order.</summary>
    public List<(string Oid, string Value)> SubjectAttributes { get; } = [];

    /// <summary>
    /// Subject attributes whose value does not decode as its string type, as (OID, the
    /// ASN.1 type); "(subject)" when a whole RDN or the Name does not decode.
    /// </summary>
    public List<(string Oid, string Type)> MalformedSubjectAttributes { get; } = [];

    /// <summary>rfc822Names of subjectAltName.</summary>
    public List<string> Rfc822Names { get; } = [];

    /// <summary>SmtpUTF8Mailbox otherNames of subjectAltName (RFC 9598).</summary>
    public List<string> SmtpUtf8Mailboxes { get; } = [];

    /// <summary>The other GeneralName kinds in subjectAltName ("dNSName", ...).</summary>
    public List<string> OtherSanKinds { get; } = [];

    /// <summary>certificatePolicies policy identifiers, in order.</summary>
    public List<string> PolicyOids { get; } = [];

    /// <summary>Extensions whose value would not decode, by OID; the rules skip them.</summary>
    public HashSet<string> MalformedExtensions { get; } = [];

    /// <summary>
    /// The authorityInfoAccess entries: access method and the URI, or null when the location
    /// is another kind of GeneralName.
    /// </summary>
    public List<(string Method, string? Uri)> AccessDescriptions { get; } = [];

    public X509KeyUsageFlags? KeyUsage { get; private set; }

    public bool KeyUsageCritical { get; private set; }

    /// <summary>EKU OIDs, or null when there is no extendedKeyUsage extension.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsages { get; private set; }

    /// <summary>basicConstraints cA, or null when the extension is absent.</summary>
    public bool? IsCa { get; private set; }

    public string KeyAlgorithm => Certificate.PublicKey.Oid.Value ?? "";

    public LintExtension? Extension(string oid) => Extensions.Find(e => e.Oid == oid);

    /// <summary>Decodes a certificate for the rules.</summary>
    /// <exception cref="CryptographicException">The certificate's DER does not decode.</exception>
    public static LintTarget Read(X509Certificate2 certificate)
    {
        var target = new LintTarget(certificate);
        try
        {
            target.ReadTbs(certificate.RawData);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException(
                $"The certificate '{certificate.Subject}' is not a DER Certificate "
                    + "(RFC 5280 §4.1).",
                e);
        }

        target.ReadSubject();

        target.ReadExtensionValues();
        return target;
    }

    // A subject from mail is hostile: an attribute that does not decode (a non-ASCII byte in
    // an IA5String, say) is recorded in MalformedSubjectAttributes, never thrown.
    private void ReadSubject()
    {
        List<X500RelativeDistinguishedName> rdns;
        try
        {
            rdns = [.. Certificate.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false)];
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            MalformedSubjectAttributes.Add(("(subject)", "Name"));
            return;
        }

        foreach (X500RelativeDistinguishedName rdn in rdns)
        {
            try
            {
                ReadRdn(rdn);
            }
            catch (AsnContentException)
            {
                MalformedSubjectAttributes.Add(("(subject)", "RelativeDistinguishedName"));
            }
        }
    }

    private void ReadRdn(X500RelativeDistinguishedName rdn)
    {
        // RelativeDistinguishedName ::= SET OF AttributeTypeAndValue (RFC 5280 §4.1.2.4)
        var reader = new AsnReader(rdn.RawData, AsnEncodingRules.DER);
        AsnReader set = reader.ReadSetOf();
        while (set.HasData)
        {
            AsnReader pair = set.ReadSequence();
            string oid = pair.ReadObjectIdentifier();
            Asn1Tag tag = pair.PeekTag();
            if (tag.TagClass != TagClass.Universal || !IsString(tag.TagValue))
            {
                SubjectAttributes.Add((oid, Convert.ToHexString(pair.ReadEncodedValue().Span)));
                continue;
            }

            ReadOnlyMemory<byte> encoded = pair.ReadEncodedValue();
            try
            {
                SubjectAttributes.Add((oid, new AsnReader(encoded, AsnEncodingRules.DER)
                    .ReadCharacterString((UniversalTagNumber)tag.TagValue)));
            }
            catch (AsnContentException)
            {
                MalformedSubjectAttributes.Add((oid, ((UniversalTagNumber)tag.TagValue).ToString()));
            }
        }
    }

    private static bool IsString(int tag) => (UniversalTagNumber)tag is
        UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString
        or UniversalTagNumber.IA5String or UniversalTagNumber.BMPString
        or UniversalTagNumber.UniversalString or UniversalTagNumber.T61String
        or UniversalTagNumber.NumericString or UniversalTagNumber.VisibleString;

    private void ReadTbs(byte[] der)
    {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader certificate = outer.ReadSequence();
        AsnReader tbs = certificate.ReadSequence();
        SignatureAlgorithm = certificate.ReadSequence().ReadObjectIdentifier();

        // version [0] EXPLICIT Version DEFAULT v1
        Version = 1;
        if (tbs.PeekTag().HasSameClassAndValue(s_versionTag))
        {
            AsnReader version = tbs.ReadSequence(s_versionTag);
            Version = version.TryReadInt32(out int v) ? v + 1 : -1;
        }

        SerialBytes = tbs.ReadIntegerBytes().ToArray();
        tbs.ReadSequence(); // signature
        tbs.ReadEncodedValue(); // issuer
        tbs.ReadSequence(); // validity
        tbs.ReadEncodedValue(); // subject
        tbs.ReadSequence(); // subjectPublicKeyInfo
        while (tbs.HasData)
        {
            Asn1Tag tag = tbs.PeekTag();
            if (!tag.HasSameClassAndValue(s_extensionsTag))
            {
                tbs.ReadEncodedValue(); // issuerUniqueID, subjectUniqueID
                continue;
            }

            // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }
            AsnReader list = tbs.ReadSequence(s_extensionsTag).ReadSequence();
            while (list.HasData)
            {
                AsnReader extension = list.ReadSequence();
                string oid = extension.ReadObjectIdentifier();
                bool critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)
                    && extension.ReadBoolean();
                byte[] value = extension.ReadOctetString();
                Extensions.Add(new LintExtension(oid, critical, value));
            }
        }
    }

    private void ReadExtensionValues()
    {
        foreach (LintExtension extension in Extensions)
        {
            try
            {
                ReadExtensionValue(extension);
            }
            catch (Exception e) when (e is AsnContentException or CryptographicException)
            {
                MalformedExtensions.Add(extension.Oid);
            }
        }
    }

    private void ReadExtensionValue(LintExtension extension)
    {
        switch (extension.Oid)
        {
            case LintOids.KeyUsage:
                KeyUsage = new X509KeyUsageExtension(
                    new AsnEncodedData(extension.Value), extension.Critical).KeyUsages;
                KeyUsageCritical = extension.Critical;
                break;
            case LintOids.ExtendedKeyUsage:
                ExtendedKeyUsages = ReadOidSequence(extension.Value);
                break;
            case LintOids.BasicConstraints:
                // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen ... }
                AsnReader constraints = new AsnReader(extension.Value, AsnEncodingRules.DER)
                    .ReadSequence();
                IsCa = constraints.HasData
                    && constraints.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)
                    && constraints.ReadBoolean();
                break;
            case LintOids.CertificatePolicies:
                // certificatePolicies ::= SEQUENCE OF PolicyInformation (RFC 5280 §4.2.1.4)
                AsnReader policies = new AsnReader(extension.Value, AsnEncodingRules.DER)
                    .ReadSequence();
                while (policies.HasData)
                {
                    PolicyOids.Add(policies.ReadSequence().ReadObjectIdentifier());
                }

                break;
            case LintOids.SubjectAltName:
                ReadGeneralNames(extension.Value);
                break;
            case LintOids.AuthorityInfoAccess:
                ReadAccessDescriptions(extension.Value);
                break;
        }
    }

    // AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
    // AccessDescription ::= SEQUENCE { accessMethod OID, accessLocation GeneralName }
    // (RFC 5280 §4.2.2.1); a URI is [6] IA5String.
    private void ReadAccessDescriptions(byte[] value)
    {
        AsnReader descriptions = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        while (descriptions.HasData)
        {
            AsnReader description = descriptions.ReadSequence();
            string method = description.ReadObjectIdentifier();
            if (description.PeekTag().HasSameClassAndValue(s_uriTag))
            {
                AccessDescriptions.Add((method,
                    description.ReadCharacterString(UniversalTagNumber.IA5String, s_uriTag)));
            }
            else
            {
                description.ReadEncodedValue();
                AccessDescriptions.Add((method, null));
            }

            description.ThrowIfNotEmpty();
        }
    }

    private static List<string> ReadOidSequence(byte[] value)
    {
        var oids = new List<string>();
        AsnReader sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            oids.Add(sequence.ReadObjectIdentifier());
        }

        return oids;
    }

    private void ReadGeneralNames(byte[] value)
    {
        AsnReader names = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            Asn1Tag tag = names.PeekTag();
            if (tag.HasSameClassAndValue(s_rfc822NameTag))
            {
                Rfc822Names.Add(names.ReadCharacterString(
                    UniversalTagNumber.IA5String, s_rfc822NameTag));
            }
            else if (tag.HasSameClassAndValue(s_otherNameTag))
            {
                // OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
                AsnReader other = names.ReadSequence(s_otherNameTag);
                string typeId = other.ReadObjectIdentifier();
                AsnReader inner = other.ReadSequence(s_explicitZero);
                if (typeId == LintOids.SmtpUtf8Mailbox)
                {
                    SmtpUtf8Mailboxes.Add(inner.ReadCharacterString(UniversalTagNumber.UTF8String));
                }
                else
                {
                    OtherSanKinds.Add($"otherName {typeId}");
                }
            }
            else
            {
                names.ReadEncodedValue();
                OtherSanKinds.Add(tag.TagClass == TagClass.ContextSpecific
                    && tag.TagValue < s_generalNameKinds.Length
                    ? s_generalNameKinds[tag.TagValue]
                    : tag.ToString());
            }
        }
    }
}

/// <summary>One extension as encoded.</summary>
internal sealed record LintExtension(string Oid, bool Critical, byte[] Value);
