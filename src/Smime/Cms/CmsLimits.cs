namespace Smime.Cms;

/// <summary>Limits on hostile CMS input.</summary>
public static class CmsLimits
{
    /// <summary>SignerInfos in one SignedData.</summary>
    public const int MaxSigners = 16;

    /// <summary>RecipientInfos in one EnvelopedData or AuthEnvelopedData.</summary>
    public const int MaxRecipients = 256;

    /// <summary>Certificates carried in one SignedData.</summary>
    public const int MaxCertificates = 64;

    /// <summary>Largest CMS object read into memory, in bytes.</summary>
    public const long MaxEncodedLength = 1L << 31;
}
