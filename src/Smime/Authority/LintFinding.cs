namespace Smime.Authority;

/// <summary>One thing the certificate linter found.</summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="RuleId">A stable kebab-case name of the rule, such as "san-missing".</param>
/// <param name="Source">The clause the rule comes from, such as "RFC 5280 §4.2.1.6".</param>
/// <param name="Message">A sentence naming the value found.</param>
public sealed record LintFinding(
    LintSeverity Severity,
    string RuleId,
    string Source,
    string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Severity}: {RuleId} ({Source}): {Message}";
}
