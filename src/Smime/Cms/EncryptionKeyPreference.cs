using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// The SMIMEEncryptionKeyPreference attribute (RFC 8551 §2.5.3): the certificate a signer
/// wants correspondents to encrypt to, named by issuer and serial number or by key identifier.
/// </summary>
public sealed class EncryptionKeyPreference
{
    // SMIMEEncryptionKeyPreference ::= CHOICE { issuerAndSerialNumber [0],
    // receipentKeyId [1] RecipientKeyIdentifier, subjectAltKeyIdentifier [2] }, IMPLICIT.
    private static readonly Asn1Tag s_issuerAndSerial = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_recipientKeyId = new(TagClass.ContextSpecific, 1, true);
    private static readonly Asn1Tag s_subjectAltKeyId = new(TagClass.ContextSpecific, 2);

    private readonly IssuerAndSerialNumberAsn? _issuerAndSerial;
    private readonly X500DistinguishedName? _issuer;

    private EncryptionKeyPreference(
        IssuerAndSerialNumberAsn? issuerAndSerial,
        X500DistinguishedName? issuer,
        ReadOnlyMemory<byte> keyIdentifier)
    {
        _issuerAndSerial = issuerAndSerial;
        _issuer = issuer;
        SubjectKeyIdentifier = keyIdentifier;
    }

    /// <summary>How the preferred certificate is named.</summary>
    public SignerIdentifierType IdentifierType => _issuerAndSerial is null
        ? SignerIdentifierType.SubjectKeyIdentifier
        : SignerIdentifierType.IssuerAndSerialNumber;

    /// <summary>The issuer name, for the issuerAndSerialNumber choice.</summary>
    public X500DistinguishedName? Issuer => _issuer;

    /// <summary>The serial number, big-endian, for the issuerAndSerialNumber choice.</summary>
    public ReadOnlyMemory<byte> SerialNumber =>
        _issuerAndSerial?.SerialNumber ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The key identifier, for the receipentKeyId and subjectAltKeyIdentifier
    /// choices.</summary>
    public ReadOnlyMemory<byte> SubjectKeyIdentifier { get; }

    /// <summary>Whether the certificate is the one named.</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _issuerAndSerial is { } issuerAndSerial
            ? issuerAndSerial.Matches(certificate)
            : KeyIdentifiers.Matches(certificate, SubjectKeyIdentifier.Span);
    }

    /// <summary>The attribute value naming a certificate by issuerAndSerialNumber.</summary>
    internal static byte[] Encode(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(s_issuerAndSerial))
        {
            writer.WriteEncodedValue(certificate.IssuerName.RawData);
            IssuerAndSerialNumberAsn.WriteSerial(writer, certificate.SerialNumberBytes.Span);
        }

        return writer.Encode();
    }

    /// <summary>Reads the attribute value; null when it is none of the three choices.</summary>
    internal static EncryptionKeyPreference? TryDecode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            Asn1Tag tag = reader.PeekTag();
            EncryptionKeyPreference? preference = null;
            if (tag == s_issuerAndSerial)
            {
                AsnReader sequence = reader.ReadSequence(s_issuerAndSerial);
                ReadOnlyMemory<byte> issuer = sequence.ReadEncodedValue();
                ReadOnlyMemory<byte> serial = sequence.ReadIntegerBytes();
                sequence.ThrowIfNotEmpty();
                var name = new X500DistinguishedName(issuer.Span);
                _ = name.Name;
                preference = new(new IssuerAndSerialNumberAsn(issuer, serial), name, default);
            }
            else if (tag == s_recipientKeyId)
            {
                // RecipientKeyIdentifier (RFC 5652 §6.2.2): the key identifier, then an
                // optional date and other attribute, which add nothing to the match.
                AsnReader sequence = reader.ReadSequence(s_recipientKeyId);
                byte[] keyIdentifier = sequence.ReadOctetString();
                preference = new(null, null, keyIdentifier);
            }
            else if (tag.HasSameClassAndValue(s_subjectAltKeyId))
            {
                preference = new(null, null, reader.ReadOctetString(s_subjectAltKeyId));
            }

            reader.ThrowIfNotEmpty();
            return preference;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }
}
