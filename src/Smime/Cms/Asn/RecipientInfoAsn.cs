using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>The kinds of RecipientInfo (RFC 5652 §6.2), by their CHOICE tag.</summary>
internal enum RecipientInfoKind
{
    KeyTransport,
    KeyAgreement,
    Kek,
    Password,
    Other,
}

/// <summary>
/// One RecipientInfo CHOICE (RFC 5652 §6.2): ktri is a SEQUENCE, kari [1]; kekri [2],
/// pwri [3] and ori [4] are kept only as their kind.
/// </summary>
internal sealed record RecipientInfoAsn(
    RecipientInfoKind Kind,
    KeyTransRecipientInfo? KeyTrans,
    KeyAgreeRecipientInfo? KeyAgree = null)
{
    public static RecipientInfoAsn Read(AsnReader reader)
    {
        Asn1Tag tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            return new RecipientInfoAsn(
                RecipientInfoKind.KeyTransport, KeyTransRecipientInfo.Read(reader));
        }

        int value = tag.TagClass == TagClass.ContextSpecific ? tag.TagValue : -1;
        RecipientInfoKind? kind = value switch
        {
            1 => RecipientInfoKind.KeyAgreement,
            2 => RecipientInfoKind.Kek,
            3 => RecipientInfoKind.Password,
            4 => RecipientInfoKind.Other,
            _ => null,
        };
        if (kind is null)
        {
            throw new CryptographicException(
                $"A RecipientInfo has tag {tag}, which is none of ktri, kari, kekri, pwri, ori.");
        }

        if (kind == RecipientInfoKind.KeyAgreement && tag.IsConstructed)
        {
            return new RecipientInfoAsn(kind.Value, null, KeyAgreeRecipientInfo.Read(reader));
        }

        reader.ReadEncodedValue();
        return new RecipientInfoAsn(kind.Value, null);
    }

    /// <summary>The recipient as a person reads it.</summary>
    public string Describe() =>
        KeyTrans?.Describe() ?? KeyAgree?.Describe() ?? $"a {KindName} recipient";

    /// <summary>The kind with its RFC 5652 field name.</summary>
    public string KindName => Kind switch
    {
        RecipientInfoKind.KeyTransport => "key transport (ktri)",
        RecipientInfoKind.KeyAgreement => "key agreement (kari)",
        RecipientInfoKind.Kek => "key-encryption key (kekri)",
        RecipientInfoKind.Password => "password (pwri)",
        _ => "other (ori)",
    };
}
