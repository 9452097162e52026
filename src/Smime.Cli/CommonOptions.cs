using System.CommandLine;

namespace Smime.Cli;

/// <summary>Arguments and options several verbs share.</summary>
internal static class CommonOptions
{
    /// <summary>The message file; standard input when absent or "-".</summary>
    public static Argument<string?> Input(
        string description = "The message file; stdin when absent or '-'.")
    {
        var argument = new Argument<string?>("input")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = description,
        };

        // The parser takes an unknown "--flag" as the file name; a typo should be a usage
        // error, not "no such file".
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        return argument;
    }

    /// <summary>The output file; standard output when absent or "-".</summary>
    public static Option<string?> Output(string description = "Write to FILE; stdout when absent.") =>
        new("--output", "-o") { Description = description, HelpName = "FILE" };

    /// <summary>--digest for signers.</summary>
    public static Option<string> Digest()
    {
        var option = new Option<string>("--digest")
        {
            Description = "The digest algorithm.",
            DefaultValueFactory = _ => "sha256",
        };
        option.AcceptOnlyFromAmong("sha256", "sha384", "sha512");
        return option;
    }

    /// <summary>--pss for RSA signers.</summary>
    public static Option<bool> Pss() =>
        new("--pss") { Description = "Sign with RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys)." };

    /// <summary>--verbose, on every verb.</summary>
    public static Option<bool> Verbose() =>
        new("--verbose", "-v")
        {
            Description = "Say more on stderr (algorithms, recipients, the exception on errors).",
            Recursive = true,
        };
}
