using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime certs lint`: checks certificates against RFC 5280, RFC 8550 and the CA/B S/MIME
/// profile they claim. Exit 0 without an error finding, 1 with one, 2 for unreadable input.
/// </summary>
internal sealed class CertsLintCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Argument<string> _file = new("certificate")
    {
        Description = "A certificate file: PEM, DER, PKCS#7 or PKCS#12; every certificate in it "
            + "is linted.",
    };
    private readonly Option<string?> _password = new("--password")
    {
        Description = "The PKCS#12 password, when the file is one.",
    };
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the findings as JSON.",
    };

    public Command Build(CliContext context)
    {
        var command = new Command("lint",
            "Check certificates against RFC 5280, RFC 8550 and the CA/B S/MIME profiles.")
        {
            _file,
            _password,
            _json,
        };
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        string file = result.GetValue(_file)!;
        context.CurrentFile = file;
        X509Certificate2Collection certificates =
            CertificateLoader.LoadCertificates(file, result.GetValue(_password));

        var reports = new List<CertificateReport>();
        foreach (X509Certificate2 certificate in certificates)
        {
            IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);
            SmimeProfile? profile = CertificateLinter.ClaimedProfile(certificate);
            reports.Add(new CertificateReport(
                certificate.Subject,
                certificate.GetCertHashString(HashAlgorithmName.SHA256),
                profile is null ? null : ValidationClass.Of(profile),
                [.. findings.Select(f =>
                    new FindingModel(f.Severity, f.RuleId, f.Source, f.Message))]));
        }

        var summary = new LintReport(
            reports,
            Count(reports, LintSeverity.Error),
            Count(reports, LintSeverity.Warning),
            Count(reports, LintSeverity.Notice));
        if (result.GetValue(_json))
        {
            context.Out.WriteLine(Printable.EscapeJson(JsonSerializer.Serialize(summary, s_json)));
        }
        else
        {
            WriteText(summary, context.Printed);
        }

        return summary.Errors > 0 ? ExitCodes.CheckFailed : ExitCodes.Success;
    }

    private static void WriteText(LintReport report, TextWriter output)
    {
        foreach (CertificateReport certificate in report.Certificates)
        {
            output.WriteLine($"Certificate: {certificate.Subject}");
            output.WriteLine($"  SHA-256:   {certificate.Sha256}");
            string profile = certificate.ValidationClass?.ToString() ?? "(none claimed)";
            output.WriteLine($"  profile:   {profile}");
            foreach (FindingModel finding in certificate.Findings)
            {
                output.WriteLine($"  {finding.Severity.ToString().ToLowerInvariant(),-8}"
                    + $" {finding.Rule} [{finding.Source}]: {finding.Message}");
            }

            if (certificate.Findings.Count == 0)
            {
                output.WriteLine("  no findings");
            }
        }

        output.WriteLine($"{report.Errors} error(s), {report.Warnings} warning(s), "
            + $"{report.Notices} notice(s)");
    }

    private static int Count(List<CertificateReport> reports, LintSeverity severity) =>
        reports.Sum(r => r.Findings.Count(f => f.Severity == severity));

    internal sealed record LintReport(
        IReadOnlyList<CertificateReport> Certificates,
        int Errors,
        int Warnings,
        int Notices);

    internal sealed record CertificateReport(
        string Subject,
        string Sha256,
        ValidationClass? ValidationClass,
        IReadOnlyList<FindingModel> Findings);

    internal sealed record FindingModel(
        LintSeverity Severity,
        string Rule,
        string Source,
        string Message);
}
