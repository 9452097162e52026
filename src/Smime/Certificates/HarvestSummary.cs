namespace Smime.Certificates;

/// <summary>What a harvest stored.</summary>
/// <param name="NewCertificates">Certificates the store did not hold before.</param>
/// <param name="UpdatedSenders">Addresses whose capabilities or preference were updated.</param>
public sealed record HarvestSummary(
    IReadOnlyList<StoredCertificate> NewCertificates,
    IReadOnlyList<string> UpdatedSenders);
