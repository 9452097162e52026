namespace Smime.Bench.MimeKitPeer;

/// <summary>The parsed command line of <c>mimekit-peer</c>.</summary>
internal sealed class PeerOptions
{
    public const string Usage =
        "usage: mimekit-peer sign|verify|encrypt|decrypt IN [OUT] " +
        "[--cert PEM] [--key PEM] [--trust ROOT.pem] [--to PEM]";

    public required string Operation { get; init; }

    public required string Input { get; init; }

    public string? Output { get; init; }

    public string? Cert { get; init; }

    public string? Key { get; init; }

    public string? Trust { get; init; }

    public string? To { get; init; }

    /// <summary>Parses the arguments, or throws <see cref="ArgumentException"/> naming
    /// what is wrong.</summary>
    public static PeerOptions Parse(string[] args)
    {
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{arg}' needs a value.");
            }

            named[arg] = args[++i];
        }

        foreach (var name in named.Keys)
        {
            if (name is not ("--cert" or "--key" or "--trust" or "--to"))
            {
                throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (positional.Count is < 2 or > 3)
        {
            throw new ArgumentException("Expected an operation, IN and OUT.");
        }

        return new PeerOptions
        {
            Operation = positional[0],
            Input = positional[1],
            Output = positional.Count == 3 ? positional[2] : null,
            Cert = named.GetValueOrDefault("--cert"),
            Key = named.GetValueOrDefault("--key"),
            Trust = named.GetValueOrDefault("--trust"),
            To = named.GetValueOrDefault("--to"),
        };
    }

    /// <summary>Returns the named option's value, or throws if it was not given.</summary>
    public static string Require(string? value, string name, string operation) =>
        value ?? throw new ArgumentException($"'{operation}' needs {name}.");
}
