using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Certificates;

/// <summary>The email addresses a certificate is for (RFC 8550 §3).</summary>
public static class CertificateAddresses
{
    // GeneralName ::= CHOICE { ..., rfc822Name [1] IA5String, ... } (RFC 5280 §4.2.1.6)
    private static readonly Asn1Tag s_rfc822NameTag = new(TagClass.ContextSpecific, 1);

    /// <summary>
    /// The rfc822Names of subjectAltName; the subject's emailAddress only when there is none.
    /// </summary>
    /// <exception cref="CryptographicException">The subjectAltName extension is malformed.</exception>
    public static IReadOnlyList<string> Get(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        List<string> addresses = FromSubjectAltName(certificate);
        if (addresses.Count > 0)
        {
            return addresses;
        }

        // RFC 8550 §3: the emailAddress attribute is the fallback for older certificates.
        foreach (X500RelativeDistinguishedName rdn in
            certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements
                && rdn.GetSingleElementType().Value == Oids.EmailAddress
                && rdn.GetSingleElementValue() is { Length: > 0 } value)
            {
                addresses.Add(value);
            }
        }

        return addresses;
    }

    /// <summary>Compares addresses: local part exactly, domain without case.</summary>
    public static bool AddressEquals(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        // RFC 8550 §3: the local part is case-sensitive, the domain is not (RFC 5321 §2.4).
        int atA = a.LastIndexOf('@');
        int atB = b.LastIndexOf('@');
        if (atA < 0 || atB < 0)
        {
            return string.Equals(a, b, StringComparison.Ordinal);
        }

        return a.AsSpan(0, atA).SequenceEqual(b.AsSpan(0, atB))
            && a.AsSpan(atA + 1).Equals(b.AsSpan(atB + 1), StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> FromSubjectAltName(X509Certificate2 certificate)
    {
        var addresses = new List<string>();
        X509Extension? extension = certificate.Extensions[Oids.SubjectAltName];
        if (extension is null)
        {
            return addresses;
        }

        try
        {
            // SubjectAltName ::= GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(s_rfc822NameTag))
                {
                    addresses.Add(names.ReadCharacterString(
                        UniversalTagNumber.IA5String, s_rfc822NameTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException(
                $"The subjectAltName extension of certificate '{certificate.Subject}' is malformed.",
                e);
        }

        return addresses;
    }
}
