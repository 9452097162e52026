using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>The certificate chosen for a recipient, or why there is none.</summary>
/// <param name="Address">The address looked up.</param>
/// <param name="Certificate">The certificate to encrypt to; null when none qualifies.</param>
/// <param name="Reason">Why this one, or why none.</param>
/// <param name="Rejected">One sentence per certificate of the address that was passed over.</param>
public sealed record RecipientMatch(
    string Address,
    X509Certificate2? Certificate,
    string Reason,
    IReadOnlyList<string> Rejected)
{
    public bool Found => Certificate is not null;
}
