namespace Smime.Authority;

/// <summary>How much a linter finding matters: the MUST, SHOULD and FYI of the sources.</summary>
public enum LintSeverity
{
    /// <summary>Worth knowing; nothing is broken (a deprecated but permitted form).</summary>
    Notice = 0,

    /// <summary>A SHOULD of the source is not met.</summary>
    Warning = 1,

    /// <summary>A MUST (SHALL) of the source is broken.</summary>
    Error = 2,
}
