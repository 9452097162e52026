using System.CommandLine;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime key list`: keys made here that still wait for their certificate.</summary>
internal sealed class KeyListCommand
{
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("list", "List keys waiting for their certificate.");
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);
        foreach ((string address, string subject, DateTimeOffset created)
            in store.ListPendingKeys())
        {
            context.Printed.WriteLine($"{created:yyyy-MM-dd HH:mm}  {address}  {subject}");
        }

        return ExitCodes.Success;
    }
}
