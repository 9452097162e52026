using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms.Asn;

/// <summary>IssuerAndSerialNumber (RFC 5652 §10.2.4), keeping the issuer Name's encoding.</summary>
internal readonly record struct IssuerAndSerialNumberAsn(
    ReadOnlyMemory<byte> Issuer,
    ReadOnlyMemory<byte> SerialNumber)
{
    public static IssuerAndSerialNumberAsn Read(AsnReader reader)
    {
        try
        {
            AsnReader sequence = reader.ReadSequence();
            ReadOnlyMemory<byte> issuer = sequence.ReadEncodedValue();
            ReadOnlyMemory<byte> serial = sequence.ReadIntegerBytes();
            sequence.ThrowIfNotEmpty();
            return new IssuerAndSerialNumberAsn(issuer, serial);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The IssuerAndSerialNumber is malformed.", e);
        }
    }

    public static IssuerAndSerialNumberAsn From(X509Certificate2 certificate) =>
        new(certificate.IssuerName.RawData, certificate.SerialNumberBytes);

    public void Write(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(Issuer.Span);
            WriteSerial(writer, SerialNumber.Span);
        }
    }

    /// <summary>
    /// Whether the certificate is the one named: serial compared as an integer, issuer by the
    /// encoded Name first and then by its parsed form, since some clients re-encode the Name.
    /// </summary>
    public bool Matches(X509Certificate2 certificate)
    {
        ReadOnlySpan<byte> ours = TrimSerial(SerialNumber.Span);
        ReadOnlySpan<byte> theirs = TrimSerial(certificate.SerialNumberBytes.Span);
        if (!ours.SequenceEqual(theirs))
        {
            return false;
        }

        if (Issuer.Span.SequenceEqual(certificate.IssuerName.RawData))
        {
            return true;
        }

        try
        {
            var name = new X500DistinguishedName(Issuer.Span);
            return string.Equals(
                name.Name, certificate.IssuerName.Name, StringComparison.OrdinalIgnoreCase);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>"issuer CN=..., serial 0A1B..." as a person reads it.</summary>
    public string Describe()
    {
        string issuer;
        try
        {
            issuer = new X500DistinguishedName(Issuer.Span).Name;
        }
        catch (CryptographicException)
        {
            issuer = "(unreadable name)";
        }

        return $"issuer {issuer}, serial {Convert.ToHexString(SerialNumber.Span)}";
    }

    /// <summary>Writes a certificate serial number (IssuerAndSerialNumber, IssuerSerial).</summary>
    public static void WriteSerial(AsnWriter writer, ReadOnlySpan<byte> serial)
    {
        // The certificate's own INTEGER bytes, as they are, when they are a minimal encoding:
        // Compat: a peer (openssl, gpgsm) compares the serial as its certificate encodes it,
        // and a few old certificates carry "negative" serials that must not gain a 00 byte.
        bool minimal = serial.Length == 1
            || (serial.Length > 1
                && !(serial[0] == 0x00 && serial[1] < 0x80)
                && !(serial[0] == 0xFF && serial[1] >= 0x80));
        if (minimal)
        {
            writer.WriteInteger(serial);
            return;
        }

        ReadOnlySpan<byte> magnitude = TrimSerial(serial);
        writer.WriteIntegerUnsigned(magnitude);
    }

    private static ReadOnlySpan<byte> TrimSerial(ReadOnlySpan<byte> serial)
    {
        // A DER INTEGER may carry a leading zero to stay positive; compare the magnitude.
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        return serial;
    }
}
