using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>The email addresses a certificate is for (RFC 8550 §3).</summary>
public static class CertificateAddresses
{
    /// <summary>
    /// The rfc822Names of subjectAltName; the subject's emailAddress only when there is none.
    /// </summary>
    public static IReadOnlyList<string> Get(X509Certificate2 certificate) =>
        throw new NotImplementedException();

    /// <summary>Compares addresses: local part exactly, domain without case.</summary>
    public static bool AddressEquals(string a, string b) => throw new NotImplementedException();
}
