using System.CommandLine;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>
/// `smime compress` and `smime decompress`: the compressed-data layer (RFC 8551 §3.7,
/// RFC 3274) on its own; sign and encrypt take --compress to add it inside theirs.
/// </summary>
internal sealed class CompressCommand
{
    private readonly Argument<string?> _input = CommonOptions.Input();
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the message to FILE; stdout when absent.");

    /// <summary>--compress for sign and encrypt.</summary>
    public static Option<bool> CompressOption() =>
        new("--compress")
        {
            Description = "Compress the content first (compressed-data, RFC 8551 §3.7).",
        };

    public Command Build(CliContext context)
    {
        var command = new Command(
            "compress", "Compress a MIME message (compressed-data, RFC 8551 §3.7).")
        {
            _input,
            _output,
        };
        command.SetAction(result => Cli.Execute(context, () => Compress(result, context)));
        return command;
    }

    public Command BuildDecompress(CliContext context)
    {
        var command = new Command("decompress", "Open the compressed-data layers of a message.")
        {
            _input,
            _output,
        };
        command.SetAction(result => Cli.Execute(context, () => Decompress(result, context)));
        return command;
    }

    private int Compress(ParseResult result, CliContext context)
    {
        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        using OutputFile output = OutputFile.Create(result.GetValue(_output), input, context);
        SmimeWriter.Compress(input.Stream, output.Stream, context.CancellationToken);
        context.Detail($"compressed {input.Name} to {output.Stream.Length} bytes.");
        output.Commit();
        return ExitCodes.Success;
    }

    private int Decompress(ParseResult result, CliContext context)
    {
        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        using OutputFile output = OutputFile.Create(result.GetValue(_output), input, context);

        // Decrypt-only reading stops at a signed layer: what is inside a signature stays
        // for verify to check.
        var options = new ReadOptions { DecryptOnly = true };
        ReadResult read = SmimeReader.Read(
            input.Stream, options, output.Stream, context.CancellationToken);
        if (!read.Layers.Any(l => l.Kind == LayerKind.CompressedData))
        {
            throw new UsageException(input.Name, "is not a compressed message.");
        }

        foreach (Layer layer in read.Layers)
        {
            context.Detail($"{layer.Kind}: {layer.Description}");
        }

        output.Commit();
        return ExitCodes.Success;
    }
}
