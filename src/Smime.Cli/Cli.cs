using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Security.Cryptography;
using System.Text;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>The `smime` command: parses, runs a verb, prints, maps outcomes to exit codes.</summary>
public static class Cli
{
    /// <summary>Runs the command as a process would, on the given streams.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdin">Standard input, for a message read from "-".</param>
    /// <param name="stdout">Standard output: payloads and text for a person.</param>
    /// <param name="stderr">Diagnostics, one line per error.</param>
    /// <param name="cancellationToken">Cancels the running step; the exit code is then 130.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static int Run(
        string[] args,
        Stream stdin,
        Stream stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var guarded = new StdOutStream(stdout);
        var output = new StreamWriter(guarded, new UTF8Encoding(false), 4096, leaveOpen: true);
        var context = new CliContext(stdin, guarded, output, stderr, cancellationToken);
        int code = Run(args, context);
        try
        {
            output.Flush();
            output.Dispose();
        }
        catch (StdOutException e) when (code == ExitCodes.Success)
        {
            // Text still buffered for a closed or full stdout: the run did not deliver it.
            context.Note(OneLine(e.Message));
            code = ExitCodes.InputError;
        }
        catch (StdOutException)
        {
            // The run failed and said so already; one line is enough.
        }

        stderr.Flush();
        return code;
    }

    private static int Run(string[] args, CliContext context)
    {
        Option<bool> verbose = CommonOptions.Verbose();
        var root = new RootCommand("S/MIME 4.0: sign, verify, encrypt and decrypt mail.")
        {
            verbose,
        };

        // The assembly is Smime.Cli (a library named Smime sits beside it); users type smime.
        root.HelpName = "smime";
        root.Subcommands.Add(new SignCommand().Build(context));
        root.Subcommands.Add(new VerifyCommand().Build(context));
        root.Subcommands.Add(new EncryptCommand().Build(context));
        root.Subcommands.Add(new DecryptCommand().Build(context));
        root.Subcommands.Add(new CompressCommand().Build(context));
        root.Subcommands.Add(new CompressCommand().BuildDecompress(context));
        root.Subcommands.Add(new DemoCommand().Build(context));
        root.Subcommands.Add(new CertsCommand().Build(context));
        root.Subcommands.Add(new KeyCommand().Build(context));
        root.Subcommands.Add(new CaCommand().Build(context));

        ParseResult result = root.Parse(args);
        context.Verbose = result.GetValue(verbose);
        if (result.Errors.Count > 0 && result.Action is ParseErrorAction)
        {
            // One line, not the whole help text: a script's log stays readable.
            context.Note(ParseError(result));
            return ExitCodes.InputError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            OutputFile.RefuseInputs(result);
            return result.Invoke(configuration);
        }
        catch (Exception e)
        {
            return Report(e, context);
        }
    }

    // The first parse error, with the help of the command it concerns named in full
    // ("smime ca issue --help"). A word where a verb was expected is named as such.
    private static string ParseError(ParseResult result)
    {
        var path = new List<string>();
        for (SymbolResult? at = result.CommandResult; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                path.Insert(0, command.Parent is null ? "smime" : command.Command.Name);
            }
        }

        string help = $"{string.Join(' ', path)} --help";
        Command current = result.CommandResult.Command;
        if (current.Subcommands.Count > 0
            && result.UnmatchedTokens.Count > 0
            && !result.UnmatchedTokens[0].StartsWith('-'))
        {
            return $"'{result.UnmatchedTokens[0]}' is not a command; see '{help}'.";
        }

        return $"{OneLine(result.Errors[0].Message)} (see '{help}')";
    }

    /// <summary>Turns an exception into one line on stderr and an exit code.</summary>
    internal static int Report(Exception e, CliContext context)
    {
        try
        {
            context.Out.Flush();
        }
        catch (StdOutException)
        {
            // Reported below if it is the error itself, or by Run's last flush if not.
        }

        // Once Ctrl-C is pressed, whatever the step threw on its way out is a consequence.
        if (context.CancellationToken.IsCancellationRequested)
        {
            e = new OperationCanceledException(context.CancellationToken);
        }

        (int code, string line) = e switch
        {
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled."),
            UsageException => (ExitCodes.InputError, e.Message),
            CertificateLoadException load => (ExitCodes.InputError,
                $"{Printable.Escape(load.FileName)}: {load.Problem}"),
            StdOutException => (ExitCodes.InputError, e.Message),
            CertificateStoreException => (ExitCodes.InputError, e.Message),
            Smime.Authority.AuthorityException => (ExitCodes.InputError, e.Message),
            CmsDecryptionException => (ExitCodes.CheckFailed, context.OfCurrentFile(e.Message)),
            FormatException or CryptographicException or NotSupportedException
                => (ExitCodes.InputError, context.OfCurrentFile(e.Message)),
            FileNotFoundException or DirectoryNotFoundException
                => (ExitCodes.InputError, context.OfCurrentFile(e.Message)),
            IOException or UnauthorizedAccessException
                => (ExitCodes.InputError, context.OfCurrentFile(e.Message)),
            _ => (ExitCodes.InternalError, $"internal error: {e.GetType().Name}: {e.Message}"),
        };

        // Line breaks become spaces (a library message may wrap); Note escapes the other
        // controls a quoted subject or file name may hold.
        context.Note(OneLine(line));
        if (e is CmsDecryptionException refused)
        {
            foreach (RecipientFailure failure in refused.Failures)
            {
                context.Detail($"  {failure.Recipient}: {OneLine(failure.Reason)}");
            }
        }

        if (context.Verbose)
        {
            context.Error.WriteLine(e.ToString());
        }

        return code;
    }

    /// <summary>Runs a verb's body, mapping what it throws to an exit code.</summary>
    internal static int Execute(CliContext context, Func<int> body)
    {
        try
        {
            int code = body();
            context.CancellationToken.ThrowIfCancellationRequested();
            return code;
        }
        catch (Exception e)
        {
            return Report(e, context);
        }
    }

    private static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Trim();
}
