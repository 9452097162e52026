using System.CommandLine;

namespace Smime.Cli;

/// <summary>`smime ca`: the store's own certificate authority.</summary>
internal sealed class CaCommand
{
    public Command Build(CliContext context)
    {
        var command = new Command("ca",
            "Run a certificate authority: make a root, issue S/MIME certificates, revoke, "
            + "publish CRLs.");
        command.Subcommands.Add(new CaInitCommand().Build(context));
        command.Subcommands.Add(new CaIssueCommand().Build(context));
        command.Subcommands.Add(new CaRevokeCommand().Build(context));
        command.Subcommands.Add(new CaCrlCommand().Build(context));
        command.Subcommands.Add(new CaListCommand().Build(context));
        command.Subcommands.Add(new CaProfilesCommand().Build(context));
        command.Subcommands.Add(new CaServeCommand().Build(context));
        return command;
    }
}
