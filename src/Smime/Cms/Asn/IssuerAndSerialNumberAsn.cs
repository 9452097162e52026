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
    /// Writes a certificate serial number as the certificate encodes it: the bytes are already
    /// a two's-complement INTEGER, so a negative or zero serial keeps its value.
    /// </summary>
    public static void WriteSerial(AsnWriter writer, ReadOnlySpan<byte> serial)
    {
        ReadOnlySpan<byte> minimal = serial;
        while (minimal.Length > 1 &&
            ((minimal[0] == 0x00 && minimal[1] < 0x80) ||
             (minimal[0] == 0xFF && minimal[1] >= 0x80)))
        {
            minimal = minimal[1..];
        }

        if (minimal.IsEmpty)
        {
            throw new CryptographicException("The certificate serial number is empty.");
        }

        writer.WriteInteger(minimal);
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
