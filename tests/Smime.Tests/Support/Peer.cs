using System.Diagnostics;

namespace Smime.Tests.Support;

/// <summary>Runs a real peer (openssl, gpgsm) as a process and captures what it says.</summary>
public static class Peer
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs a program with arguments, optional stdin text and environment.</summary>
    public static Result Run(
        string program,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        string? stdin = null,
        IDictionary<string, string>? environment = null,
        int timeoutMs = 60_000)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        using Process process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input (a broken pipe): not our failure.
        }
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {timeoutMs} ms.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs openssl and fails the test with its stderr when it does not exit 0.</summary>
    public static Result OpenSsl(string workingDirectory, params string[] arguments)
    {
        Result result = Run("openssl", arguments, workingDirectory);
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"openssl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StdErr}");
        }

        return result;
    }
}

/// <summary>A temporary folder deleted when the test ends.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("smime-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A peer may still hold a file; the OS temp cleaner takes it later.
        }
    }
}
