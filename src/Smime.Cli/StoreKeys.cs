using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>The store's private keys that a passphrase opens, to decrypt with.</summary>
internal static class StoreKeys
{
    /// <summary>
    /// Opens every key the store holds under <paramref name="password"/>; the RecipientInfos
    /// then pick theirs. A key under another passphrase is passed over (said with --verbose),
    /// not an error. A key paired with several certificates (signing and encryption) is opened
    /// once per certificate, since each may be the one a RecipientInfo names.
    /// </summary>
    /// <returns>The number of keys opened.</returns>
    public static int Load(
        CertificateStore store,
        string password,
        List<X509Certificate2> keys,
        List<CertificateKey> curveKeys,
        CliContext context)
    {
        int opened = 0;
        foreach (StoredCertificate stored in store.List().Where(c => c.HasPrivateKey))
        {
            try
            {
                if (CertificateStore.NeedsCertificateKey(stored.Certificate))
                {
                    curveKeys.Add(store.GetCertificateKey(stored.Thumbprint, password));
                }
                else
                {
                    keys.Add(store.GetCertificateWithKey(stored.Thumbprint, password));
                }

                opened++;
            }
            catch (CertificateStoreException e)
            {
                context.Detail(e.Message);
            }
        }

        return opened;
    }
}
