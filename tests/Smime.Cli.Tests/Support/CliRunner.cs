using System.Text;
using Smime.Tests.Support;

namespace Smime.Cli.Tests.Support;

/// <summary>Runs `smime` in-process through <see cref="Cli.Run"/>, or as the built executable.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, byte[] StdOutBytes, string StdErr)
    {
        public string StdOut => Encoding.UTF8.GetString(StdOutBytes);
    }

    /// <summary>Runs the command in-process with the given arguments and stdin bytes.</summary>
    public static Result Run(byte[]? stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin ?? []);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        int code = Cli.Run(args, input, output, error);
        return new Result(code, output.ToArray(), error.ToString());
    }

    /// <summary>Runs the command in-process with empty stdin.</summary>
    public static Result Run(params string[] args) => Run(null, args);

    /// <summary>Runs the built `smime` executable as a separate process.</summary>
    public static Peer.Result RunExecutable(string workingDirectory, string? stdin, params string[] args)
    {
        string host = FindExecutable();
        return File.Exists(host) && !host.EndsWith(".dll", StringComparison.Ordinal)
            ? Peer.Run(host, args, workingDirectory, stdin)
            : Peer.Run("dotnet", [host, .. args], workingDirectory, stdin);
    }

    /// <summary>
    /// The `smime` apphost in the CLI project's output for this configuration; the CLI's
    /// assembly beside the tests when that is missing.
    /// </summary>
    public static string FindExecutable()
    {
        string baseDirectory = AppContext.BaseDirectory;
        DirectoryInfo? folder = new(baseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Smime.sln")))
        {
            folder = folder.Parent;
        }

        // The tests run from tests/Smime.Cli.Tests/bin/<Configuration>/<tfm>/.
        string tfm = new DirectoryInfo(baseDirectory).Name;
        string configuration = new DirectoryInfo(baseDirectory).Parent!.Name;
        if (folder is not null)
        {
            string host = Path.Combine(
                folder.FullName, "src", "Smime.Cli", "bin", configuration, tfm, "smime");
            if (File.Exists(host))
            {
                return host;
            }
        }

        return Path.Combine(baseDirectory, "Smime.Cli.dll");
    }
}
