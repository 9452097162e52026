namespace Smime.Cli.Tests.Support;

/// <summary>
/// `smime ca serve` run in-process on a thread of its own until stopped: Ctrl-C is its
/// cancellation token, its stdout and stderr are kept.
/// </summary>
public sealed class CaServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _out = new();
    private readonly StringWriter _error = new();
    private readonly Task<int> _run;

    private CaServer(int port, string[] args)
    {
        Url = $"http://127.0.0.1:{port}/";
        _run = Task.Factory.StartNew(
            () => Cli.Run(["ca", "serve", "--port", $"{port}", .. args], new MemoryStream(),
                _out, _error, _stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The server's base URL, http://127.0.0.1:PORT/.</summary>
    public string Url { get; }

    /// <summary>What the server wrote to stdout so far.</summary>
    public string StdOut => System.Text.Encoding.UTF8.GetString(_out.ToArray());

    /// <summary>
    /// Starts the server and waits until it answers HTTP (any status) for up to a minute: the
    /// suite may run on a loaded two-core machine. Fails at once, with the server's own
    /// error, if the server stops.
    /// </summary>
    public static async Task<CaServer> StartAsync(int port, params string[] args)
    {
        var server = new CaServer(port, args);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            if (server._run.IsCompleted)
            {
                throw new InvalidOperationException(
                    $"smime ca serve stopped with exit code {server._run.Result}: "
                    + server._error);
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(server.Url + "probe");
                return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy to answer in time.
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"smime ca serve did not answer on {server.Url} in a minute.");
    }

    /// <summary>Presses Ctrl-C and returns the exit code (130 when it stopped as asked).</summary>
    public async Task<int> StopAsync()
    {
        _stop.Cancel();
        return await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            _stop.Cancel();
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                // Reported by the test that owned it; nothing more to do here.
            }
        }

        _stop.Dispose();
    }
}
