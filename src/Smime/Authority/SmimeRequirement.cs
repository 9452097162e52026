namespace Smime.Authority;

/// <summary>
/// How a profile treats a field: the SHALL, MAY and SHALL NOT of the Requirements.
/// </summary>
public enum SmimeRequirement
{
    /// <summary>The field SHALL NOT be present.</summary>
    Forbidden = 0,

    /// <summary>The field MAY be present.</summary>
    Optional = 1,

    /// <summary>The field SHALL be present.</summary>
    Required = 2,
}
