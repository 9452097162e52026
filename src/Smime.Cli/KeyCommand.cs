using System.CommandLine;

namespace Smime.Cli;

/// <summary>
/// `smime key`: key pairs made here, and the certificates that come back for them.
/// </summary>
internal sealed class KeyCommand
{
    public Command Build(CliContext context)
    {
        var command = new Command("key",
            "Make a key pair and CSR locally; pair the issued certificate with its key.");
        command.Subcommands.Add(new KeyNewCommand().Build(context));
        command.Subcommands.Add(new KeyImportCertCommand().Build(context));
        command.Subcommands.Add(new KeyListCommand().Build(context));
        return command;
    }
}
