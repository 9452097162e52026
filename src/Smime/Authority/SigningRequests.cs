using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using X509ExtensionsGenerator = Org.BouncyCastle.Asn1.X509.X509ExtensionsGenerator;
using X509Extensions = Org.BouncyCastle.Asn1.X509.X509Extensions;
using X509Name = Org.BouncyCastle.Asn1.X509.X509Name;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Smime.Cms;

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

        X500DistinguishedName subject = Subject(name, email, organization);
        HashAlgorithmName hash = KeyPairs.SignatureHash(key);
        CertificateRequest request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, hash),
            _ => throw new NotSupportedException(
                $"Keys of type {key.GetType().Name} cannot make a CSR here; use RSA or ECDSA."),
        };

        // A dual-use key: the CA narrows it per profile (S/MIME BR §7.1.2.3 (e)).
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature
            | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement);
        foreach (X509Extension extension in RequestedExtensions(email, usage))
        {
            request.CertificateExtensions.Add(extension);
        }

        return request.CreateSigningRequestPem();
    }

    /// <summary>
    /// Makes an Ed25519 key pair (RFC 8032) and a PEM CSR signed with it (RFC 8410 §6), with
    /// the subject and extensionRequest of <see cref="Create"/>, keyUsage digitalSignature
    /// only: an Ed25519 key signs and nothing else (CA/B S/MIME BR §7.1.2.3 (e)).
    /// .NET has no Ed25519, so BouncyCastle makes the key and signs the request; the names
    /// and extensions are still encoded by .NET.
    /// </summary>
    /// <returns>The CSR and the private key as an unencrypted PKCS#8 PrivateKeyInfo
    /// (RFC 8410 §7); the caller encrypts it and zeroes this copy.</returns>
    public static (string Pem, byte[] Pkcs8PrivateKey) CreateEd25519(
        string email,
        string? name = null,
        string? organization = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);

        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        var privateKey = (Ed25519PrivateKeyParameters)pair.Private;

        X509Extensions extensions = ToBouncyCastle(RequestedExtensions(
            email, X509KeyUsageFlags.DigitalSignature));
        var attributes = new DerSet(new AttributePkcs(
            PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions)));
        var request = new Pkcs10CertificationRequest(
            new Asn1SignatureFactory("Ed25519", privateKey),
            X509Name.GetInstance(Subject(name, email, organization).RawData),
            pair.Public,
            attributes);
        string pem = PemEncoding.WriteString("CERTIFICATE REQUEST", request.GetEncoded());

        byte[] seed = privateKey.GetEncoded();
        try
        {
            // PrivateKeyInfo ::= SEQUENCE { version 0, algorithm id-Ed25519,
            // privateKey OCTET STRING { CurvePrivateKey OCTET STRING } } (RFC 8410 §7).
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Oids.Ed25519);
                }

                using (writer.PushOctetString())
                {
                    writer.WriteOctetString(seed);
                }
            }

            return (pem, writer.Encode());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Checks the signature of a PKCS#10 request whose key .NET cannot verify with (Ed25519,
    /// RFC 8410 §6), with BouncyCastle; true when it verifies under the request's own key.
    /// </summary>
    internal static bool VerifyWithBouncyCastle(byte[] der)
    {
        if (der.Length == 0)
        {
            return false;
        }

        try
        {
            return new Pkcs10CertificationRequest(der).Verify();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException
            or IOException or Org.BouncyCastle.Security.SecurityUtilityException
            or Org.BouncyCastle.Crypto.CryptoException)
        {
            return false;
        }
    }

    private static X500DistinguishedName Subject(
        string? name, string email, string? organization)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(string.IsNullOrWhiteSpace(name) ? email : name);
        if (!string.IsNullOrWhiteSpace(organization))
        {
            subject.AddOrganizationName(organization);
        }

        return subject.Build();
    }

    private static List<X509Extension> RequestedExtensions(
        string email, X509KeyUsageFlags usage)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress(email);
        return
        [
            san.Build(),
            new X509KeyUsageExtension(usage, critical: true),
            new X509EnhancedKeyUsageExtension(
                [new Oid(SmimeProfiles.EmailProtectionOid)], critical: false),
        ];
    }

    private static X509Extensions ToBouncyCastle(List<X509Extension> extensions)
    {
        var generator = new X509ExtensionsGenerator();
        foreach (X509Extension extension in extensions)
        {
            generator.AddExtension(new DerObjectIdentifier(extension.Oid!.Value!),
                extension.Critical, extension.RawData);
        }

        return generator.Generate();
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
