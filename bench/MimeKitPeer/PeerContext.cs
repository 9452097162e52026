using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace Smime.Bench.MimeKitPeer;

/// <summary>MimeKit's in-memory S/MIME context, plus one private key read from PEM.</summary>
/// <remarks>TemporarySecureMimeContext only takes private keys from PKCS#12; handing it the
/// PEM key directly keeps a PKCS#12 round trip out of the timed work.</remarks>
internal sealed class PeerContext : TemporarySecureMimeContext
{
    private readonly X509Certificate? _keyCertificate;
    private readonly AsymmetricKeyParameter? _privateKey;

    public PeerContext(X509Certificate? keyCertificate, AsymmetricKeyParameter? privateKey)
    {
        _keyCertificate = keyCertificate;
        _privateKey = privateKey;

        // Never fetch CRLs from the network while benchmarking.
        CheckCertificateRevocation = false;
    }

    protected override AsymmetricKeyParameter? GetPrivateKey(ISelector<X509Certificate> selector)
    {
        if (_keyCertificate is not null && _privateKey is not null &&
            (selector is null || selector.Match(_keyCertificate)))
        {
            return _privateKey;
        }

        return base.GetPrivateKey(selector);
    }
}
