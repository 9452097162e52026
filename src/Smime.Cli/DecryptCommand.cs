using System.CommandLine;
using Smime.Certificates;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime decrypt`: opens the encrypted layer of a message; checks no signature.</summary>
internal sealed class DecryptCommand
{
    private readonly Argument<string?> _input = CommonOptions.Input();
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the decrypted message to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new(
        "Your certificate: a PKCS#12, or PEM/DER (with --key, or the key in the same PEM).");

    public Command Build(CliContext context)
    {
        var command = new Command("decrypt", "Decrypt a message encrypted to you.")
        {
            _input,
            _output,
        };
        _identity.AddTo(command);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        LoadedIdentity identity = _identity.LoadIdentityOrKey(result, "decrypt");
        var options = new ReadOptions
        {
            DecryptionKeys = IdentityKeys.Attached(identity),
            DecryptionRawKeys = IdentityKeys.Raw(identity),
            DecryptOnly = true,
        };
        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        using OutputFile output = OutputFile.Create(result.GetValue(_output), input, context);

        ReadResult read = SmimeReader.Read(
            input.Stream, options, output.Stream, context.CancellationToken);
        if (!read.Layers.Any(l => l.Kind is LayerKind.EnvelopedData or LayerKind.AuthEnvelopedData))
        {
            throw new UsageException(input.Name, "is not an encrypted message.");
        }

        foreach (Layer layer in read.Layers)
        {
            context.Detail($"{layer.Kind}: {layer.Description}");
        }

        output.Commit();
        return ExitCodes.Success;
    }
}
