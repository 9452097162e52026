using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms.Asn;

/// <summary>
/// KeyAgreeRecipientIdentifier (RFC 5652 §6.2.2): issuerAndSerialNumber, or rKeyId [0]
/// IMPLICIT RecipientKeyIdentifier whose subjectKeyIdentifier names the certificate (its
/// date and other fields are read past; RFC 5753 uses neither).
/// </summary>
internal readonly record struct RecipientIdentifierAsn(
    IssuerAndSerialNumberAsn? IssuerAndSerialNumber,
    ReadOnlyMemory<byte>? SubjectKeyIdentifier)
{
    private static readonly Asn1Tag s_rKeyId = new(TagClass.ContextSpecific, 0, true);

    /// <exception cref="CryptographicException">Neither choice, or malformed.</exception>
    public static RecipientIdentifierAsn Read(AsnReader reader)
    {
        Asn1Tag tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            return new RecipientIdentifierAsn(IssuerAndSerialNumberAsn.Read(reader), null);
        }

        if (!tag.HasSameClassAndValue(s_rKeyId))
        {
            throw new CryptographicException(
                $"A KeyAgreeRecipientIdentifier has tag {tag}, which is neither " +
                "issuerAndSerialNumber nor rKeyId.");
        }

        AsnReader keyId = reader.ReadSequence(s_rKeyId);
        byte[] subjectKeyIdentifier = keyId.ReadOctetString();
        return new RecipientIdentifierAsn(null, subjectKeyIdentifier);
    }

    /// <summary>The rid for a certificate, by issuer and serial or by key id.</summary>
    /// <exception cref="ArgumentException">A key id is asked for and there is none.</exception>
    public static RecipientIdentifierAsn For(X509Certificate2 certificate, bool byKeyId)
    {
        if (!byKeyId)
        {
            return new RecipientIdentifierAsn(IssuerAndSerialNumberAsn.From(certificate), null);
        }

        ReadOnlyMemory<byte> keyId = KeyTransRecipientInfo.KeyIdOf(certificate)
            ?? throw new ArgumentException(
                $"The certificate {certificate.Subject} has no subjectKeyIdentifier to name " +
                "it by.", nameof(certificate));
        return new RecipientIdentifierAsn(null, keyId);
    }

    public void Write(AsnWriter writer)
    {
        if (IssuerAndSerialNumber is { } issuerAndSerial)
        {
            issuerAndSerial.Write(writer);
            return;
        }

        using (writer.PushSequence(s_rKeyId))
        {
            writer.WriteOctetString(SubjectKeyIdentifier!.Value.Span);
        }
    }

    /// <summary>Whether the rid names this certificate.</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        if (IssuerAndSerialNumber is { } issuerAndSerial)
        {
            return issuerAndSerial.Matches(certificate);
        }

        return KeyTransRecipientInfo.KeyIdOf(certificate) is { } keyId
            && keyId.Span.SequenceEqual(SubjectKeyIdentifier!.Value.Span);
    }

    /// <summary>The rid as a person reads it.</summary>
    public string Describe() => IssuerAndSerialNumber is { } issuerAndSerial
        ? issuerAndSerial.Describe()
        : $"subject key identifier {Convert.ToHexString(SubjectKeyIdentifier!.Value.Span)}";
}
