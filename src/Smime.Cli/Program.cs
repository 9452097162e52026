using Smime.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C asks the running step to stop and leave no partial output; the
    // command then exits 130. A second one ends the process at once.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

using Stream stdin = Console.OpenStandardInput();
using Stream stdout = Console.OpenStandardOutput();
return Cli.Run(args, stdin, stdout, Console.Error, cancellation.Token);
