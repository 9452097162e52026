using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>PKCS#10 certificate signing requests (RFC 2986) for S/MIME keys.</summary>
public static class SigningRequests
{
    /// <summary>Most mailbox addresses a request may carry; more is hostile input.</summary>
    public const int MaxAddresses = 64;

    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>
    /// Makes a PEM CSR for <paramref name="key"/>, signed by it: subject CN=name (else the
    /// address), O=organisation when given; and, in its extensionRequest attribute (RFC 2985
    /// §5.4.2), the address as rfc822Name in subjectAltName (RFC 8550 §3), keyUsage
    /// for signing and key management, and the emailProtection EKU.
    /// </summary>
    /// <param name="key">An RSA (2048 bits or more) or ECDSA private key.</param>
    /// <param name="email">The mailbox address.</param>
    /// <param name="name">The subject's name, or null.</param>
    /// <param name="organization">The organisation, or null.</param>
    /// <exception cref="CryptographicException">An RSA key under 2048 bits.</exception>
    /// <exception cref="NotSupportedException">A key neither RSA nor ECDSA.</exception>
    public static string Create(
        AsymmetricAlgorithm key,
        string email,
        string? name = null,
        string? organization = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        KeyPairs.CheckStrength(key);

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(string.IsNullOrWhiteSpace(name) ? email : name);
        if (!string.IsNullOrWhiteSpace(organization))
        {
            subject.AddOrganizationName(organization);
        }

        HashAlgorithmName hash = KeyPairs.SignatureHash(key);
        CertificateRequest request = key switch
        {
            RSA rsa => new CertificateRequest(
                subject.Build(), rsa, hash, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject.Build(), ec, hash),
            _ => throw new NotSupportedException(
                $"Keys of type {key.GetType().Name} cannot make a CSR here; use RSA or ECDSA."),
        };

        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress(email);
        request.CertificateExtensions.Add(san.Build());

        // A dual-use key: the CA narrows it per profile (S/MIME BR §7.1.2.3 (e)).
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature
            | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(SmimeProfiles.EmailProtectionOid)], critical: false));
        return request.CreateSigningRequestPem();
    }

    /// <summary>The rfc822Name entries of a subjectAltName (RFC 5280 §4.2.1.6).</summary>
    /// <exception cref="CryptographicException">The extension is not a GeneralNames
    /// sequence.</exception>
    public static IReadOnlyList<string> MailboxAddresses(X509Extension subjectAltName)
    {
        ArgumentNullException.ThrowIfNull(subjectAltName);

        var addresses = new List<string>();
        try
        {
            var reader = new AsnReader(subjectAltName.RawData, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
                {
                    addresses.Add(names.ReadCharacterString(
                        UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 1)));
                }
                else
                {
                    names.ReadEncodedValue();
                }

                if (addresses.Count > MaxAddresses)
                {
                    throw new CryptographicException(
                        $"The subjectAltName holds more than {MaxAddresses} addresses.");
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The subjectAltName extension is malformed.", e);
        }

        return addresses;
    }

    /// <summary>The subjectAltName extension OID, 2.5.29.17.</summary>
    internal static string SanOid => SubjectAltNameOid;
}
