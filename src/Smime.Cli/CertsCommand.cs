using System.CommandLine;

namespace Smime.Cli;

/// <summary>`smime certs`: the certificate store's verbs.</summary>
internal sealed class CertsCommand
{
    public Command Build(CliContext context)
    {
        var command = new Command("certs",
            "Manage the certificate store: certificates, keys, trust anchors, CRLs.");
        command.Subcommands.Add(new CertsImportCommand().Build(context));
        command.Subcommands.Add(new CertsListCommand().Build(context));
        command.Subcommands.Add(new CertsShowCommand().Build(context));
        command.Subcommands.Add(new CertsExportCommand().Build(context));
        command.Subcommands.Add(new CertsRemoveCommand().Build(context));
        command.Subcommands.Add(new CertsTrustCommand(trust: true).Build(context));
        command.Subcommands.Add(new CertsTrustCommand(trust: false).Build(context));
        command.Subcommands.Add(new CertsHarvestCommand().Build(context));
        command.Subcommands.Add(new CertsCrlCommand().Build(context));
        command.Subcommands.Add(new CertsLintCommand().Build(context));
        return command;
    }
}
