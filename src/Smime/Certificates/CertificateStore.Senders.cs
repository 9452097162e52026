using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Smime.Cms;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    // SMIMEEncryptionKeyPreference ::= CHOICE {
    //   issuerAndSerialNumber [0] IssuerAndSerialNumber,
    //   receipentKeyId [1] RecipientKeyIdentifier,
    //   subjectAltKeyIdentifier [2] SubjectKeyIdentifier } (RFC 8551 §2.5.3), implicit tags.
    private static readonly Asn1Tag s_preferIssuerSerial = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_preferRecipientKeyId = new(TagClass.ContextSpecific, 1, true);
    private static readonly Asn1Tag s_preferSubjectKeyId = new(TagClass.ContextSpecific, 2);

    /// <summary>
    /// Stores what valid signers offered, in one transaction: every certificate of their
    /// messages, and per signer address the capabilities and encryption-key preference when
    /// the message's signingTime is newer than the one stored (RFC 8551 §2.7.1). The caller
    /// must pass only signers whose signatures verified: this method does not check them.
    /// </summary>
    public HarvestSummary Harvest(IReadOnlyList<HarvestedSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(signers);

        return InTransaction(transaction =>
        {
            var added = new List<string>();
            var senders = new List<string>();
            foreach (HarvestedSigner signer in signers)
            {
                foreach (X509Certificate2 certificate in
                    signer.MessageCertificates.Append(signer.Certificate))
                {
                    string thumbprint = CertificateFacts.Thumbprint(certificate);
                    if (Get(transaction, thumbprint) is null && !added.Contains(thumbprint))
                    {
                        AddCertificate(transaction, certificate);
                        added.Add(thumbprint);
                    }
                }

                string? preferred = ResolvePreference(signer);
                foreach (string address in AddressesOrNone(signer.Certificate))
                {
                    string normalized = CertificateFacts.NormalizeAddress(address);
                    if (RecordSender(transaction, normalized, signer, preferred)
                        && !senders.Contains(normalized))
                    {
                        senders.Add(normalized);
                    }
                }
            }

            return new HarvestSummary(
                added.Select(t => Get(transaction, t)!).ToList(), senders);
        });
    }

    // A malformed subjectAltName names nobody: the certificates are kept, no sender updated.
    private static IReadOnlyList<string> AddressesOrNone(X509Certificate2 certificate)
    {
        try
        {
            return CertificateAddresses.Get(certificate);
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    /// <summary>What the store knows of a sender, or null.</summary>
    public SenderRecord? GetSender(string address)
    {
        ArgumentNullException.ThrowIfNull(address);

        string normalized = CertificateFacts.NormalizeAddress(address);
        return InTransaction(transaction =>
        {
            using SqliteCommand command = Command(transaction,
                "SELECT signing_time, capabilities, preferred_thumbprint FROM senders "
                + "WHERE address = $a;",
                [("$a", normalized)]);
            using SqliteDataReader reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            DateTimeOffset? time = reader.IsDBNull(0)
                ? null
                : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0));
            IReadOnlyList<SmimeCapability> capabilities = reader.IsDBNull(1)
                ? []
                : DecodeCapabilities((byte[])reader.GetValue(1));
            string? preferred = reader.IsDBNull(2) ? null : reader.GetString(2);
            return new SenderRecord(normalized, time, capabilities, preferred);
        });
    }

    private static bool RecordSender(
        SqliteTransaction transaction,
        string address,
        HarvestedSigner signer,
        string? preferred)
    {
        using (SqliteCommand command = Command(transaction,
            "SELECT signing_time FROM senders WHERE address = $a;", [("$a", address)]))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                // RFC 8551 §2.7.1: only a newer signingTime replaces what is known; a message
                // without signingTime never replaces anything.
                if (signer.SigningTime is not { } time
                    || (!reader.IsDBNull(0) && reader.GetInt64(0) >= time.ToUnixTimeSeconds()))
                {
                    return false;
                }
            }
        }

        Execute(transaction,
            "INSERT OR REPLACE INTO senders (address, signing_time, capabilities, "
            + "preferred_thumbprint, updated) VALUES ($a, $t, $c, $p, $now);",
            ("$a", address),
            ("$t", signer.SigningTime?.ToUnixTimeSeconds()),
            ("$c", signer.Capabilities.Count == 0 ? null : EncodeCapabilities(signer.Capabilities)),
            ("$p", preferred),
            ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return true;
    }

    // Finds the certificate the SMIMEEncryptionKeyPreference names among the message's
    // certificates; null when absent, malformed or not among them.
    private static string? ResolvePreference(HarvestedSigner signer)
    {
        if (signer.EncryptionKeyPreference.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(signer.EncryptionKeyPreference, AsnEncodingRules.BER);
            Asn1Tag tag = reader.PeekTag();
            Func<X509Certificate2, bool> matches;
            if (tag.HasSameClassAndValue(s_preferIssuerSerial))
            {
                AsnReader issuerAndSerial = reader.ReadSequence(s_preferIssuerSerial);
                byte[] issuer = issuerAndSerial.ReadEncodedValue().ToArray();
                BigInteger serial = issuerAndSerial.ReadInteger();
                matches = c => c.IssuerName.RawData.AsSpan().SequenceEqual(issuer)
                    && new BigInteger(c.SerialNumberBytes.Span, isBigEndian: true) == serial;
            }
            else
            {
                byte[] keyId;
                if (tag.HasSameClassAndValue(s_preferRecipientKeyId))
                {
                    // RecipientKeyIdentifier ::= SEQUENCE { subjectKeyIdentifier, ... }
                    keyId = reader.ReadSequence(s_preferRecipientKeyId).ReadOctetString();
                }
                else
                {
                    keyId = reader.ReadOctetString(s_preferSubjectKeyId);
                }

                string hex = Convert.ToHexString(keyId);
                matches = c => c.Extensions.OfType<X509SubjectKeyIdentifierExtension>()
                    .Any(e => string.Equals(e.SubjectKeyIdentifier, hex,
                        StringComparison.OrdinalIgnoreCase));
            }

            X509Certificate2? found = signer.MessageCertificates.Append(signer.Certificate)
                .FirstOrDefault(matches);
            return found is null ? null : CertificateFacts.Thumbprint(found);
        }
        catch (AsnContentException)
        {
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // SMIMECapabilities ::= SEQUENCE OF SMIMECapability (RFC 8551 §2.5.2)
    private static byte[] EncodeCapabilities(IReadOnlyList<SmimeCapability> capabilities)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (SmimeCapability capability in capabilities)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(capability.Oid);
                    if (!capability.Parameters.IsEmpty)
                    {
                        writer.WriteEncodedValue(capability.Parameters.Span);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static List<SmimeCapability> DecodeCapabilities(byte[] encoded)
    {
        var result = new List<SmimeCapability>();
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        AsnReader sequence = reader.ReadSequence();
        while (sequence.HasData)
        {
            AsnReader capability = sequence.ReadSequence();
            string oid = capability.ReadObjectIdentifier();
            ReadOnlyMemory<byte> parameters = capability.HasData
                ? capability.ReadEncodedValue().ToArray()
                : ReadOnlyMemory<byte>.Empty;
            result.Add(new SmimeCapability(oid, parameters));
        }

        return result;
    }
}
