namespace Smime.Authority;

/// <summary>The object identifiers the certificate linter reads.</summary>
internal static class LintOids
{
    // Extensions (RFC 5280 §4.2.1).
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string KeyUsage = "2.5.29.15";
    public const string CertificatePolicies = "2.5.29.32";
    public const string SubjectAltName = "2.5.29.17";
    public const string BasicConstraints = "2.5.29.19";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";

    // Access methods of authorityInfoAccess (RFC 5280 §4.2.2.1).
    public const string AdOcsp = "1.3.6.1.5.5.7.48.1";
    public const string AdCaIssuers = "1.3.6.1.5.5.7.48.2";

    // Extended key usages (RFC 5280 §4.2.1.12).
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    public const string TimeStamping = "1.3.6.1.5.5.7.3.8";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    // Names.
    public const string SmtpUtf8Mailbox = "1.3.6.1.5.5.7.8.9";
    public const string EmailAddress = "1.2.840.113549.1.9.1";
    public const string CommonName = "2.5.4.3";

    // Keys and signatures.
    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Ed25519 = "1.3.101.112";
    public const string Ed448 = "1.3.101.113";
    public const string X25519 = "1.3.101.110";
    public const string X448 = "1.3.101.111";
    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string DsaWithSha1 = "1.2.840.10040.4.3";

    /// <summary>The CA/B Forum S/MIME arc: 2.23.140.1.5.type.generation.</summary>
    public const string CabfSmimeArc = "2.23.140.1.5.";

    public static string EkuName(string oid) => oid switch
    {
        AnyExtendedKeyUsage => "anyExtendedKeyUsage",
        ServerAuth => "serverAuth",
        ClientAuth => "clientAuth",
        CodeSigning => "codeSigning",
        EmailProtection => "emailProtection",
        TimeStamping => "timeStamping",
        OcspSigning => "OCSPSigning",
        _ => oid,
    };

    public static string AttributeName(string oid) => oid switch
    {
        CommonName => "commonName",
        "2.5.4.4" => "surname",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "countryName",
        "2.5.4.7" => "localityName",
        "2.5.4.8" => "stateOrProvinceName",
        "2.5.4.9" => "streetAddress",
        "2.5.4.10" => "organizationName",
        "2.5.4.11" => "organizationalUnitName",
        "2.5.4.12" => "title",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "givenName",
        "2.5.4.65" => "pseudonym",
        "2.5.4.97" => "organizationIdentifier",
        EmailAddress => "emailAddress",
        _ => oid,
    };
}
