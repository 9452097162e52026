namespace Smime.Cms;

/// <summary>How an RSA recipient's content-encryption key is wrapped.</summary>
public enum KeyTransportPadding
{
    /// <summary>RSAES-PKCS1-v1_5 (RFC 3370 §4.2.1).</summary>
    Pkcs1,

    /// <summary>RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 3560).</summary>
    OaepSha256,
}
