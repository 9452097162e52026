using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>The operating system's trust anchors, for users who opt in (off by default).</summary>
public static class SystemTrust
{
    /// <summary>
    /// The root certificates the system trusts (on Linux, OpenSSL's CA store); empty when the
    /// system has none or they cannot be read.
    /// </summary>
    public static X509Certificate2Collection Anchors()
    {
        var anchors = new X509Certificate2Collection();
        StoreLocation[] locations = [StoreLocation.LocalMachine, StoreLocation.CurrentUser];
        foreach (StoreLocation location in locations)
        {
            try
            {
                using var store = new X509Store(StoreName.Root, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                anchors.AddRange(store.Certificates);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A location that does not exist adds nothing.
            }
        }

        return anchors;
    }
}
