using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Certificates;

/// <summary>
/// What one valid signer of a message offers to the store (RFC 8551 §2.7.1): its certificate,
/// the message's other certificates, and its signed capabilities and key preference.
/// </summary>
/// <param name="Certificate">The signer's certificate.</param>
/// <param name="MessageCertificates">Every certificate the SignedData carried.</param>
/// <param name="SigningTime">The signingTime attribute, when present.</param>
/// <param name="Capabilities">The SMIMECapabilities attribute, in the signer's order.</param>
/// <param name="EncryptionKeyPreference">The SMIMEEncryptionKeyPreference value's DER, or empty.</param>
public sealed record HarvestedSigner(
    X509Certificate2 Certificate,
    IReadOnlyList<X509Certificate2> MessageCertificates,
    DateTimeOffset? SigningTime,
    IReadOnlyList<SmimeCapability> Capabilities,
    ReadOnlyMemory<byte> EncryptionKeyPreference);

