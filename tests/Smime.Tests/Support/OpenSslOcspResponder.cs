using System.Diagnostics;

namespace Smime.Tests.Support;

/// <summary>`openssl ocsp` as a real OCSP responder on a local port, killed on Dispose.</summary>
public sealed class OpenSslOcspResponder : IDisposable
{
    private readonly Process _process;

    /// <param name="days">
    /// The answers' nextUpdate, in days after thisUpdate (-ndays); null for none.
    /// </param>
    public OpenSslOcspResponder(string folder, int port, int? days = 1)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "ocsp", "-index", "index.txt", "-port", port.ToString(),
            "-rsigner", "intermediate.crt", "-rkey", "intermediate.key",
            "-CA", "intermediate.crt", "-ignore_err",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (days is { } ndays)
        {
            start.ArgumentList.Add("-ndays");
            start.ArgumentList.Add(ndays.ToString());
        }

        // Ready when it says it waits for clients. A probe connection is no good here:
        // openssl 3.0's responder blocks on a client that connects and sends nothing.
        using var ready = new ManualResetEventSlim();
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("waiting for OCSP client connections") == true)
            {
                ready.Set();
            }
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(10)))
        {
            Dispose();
            throw new TimeoutException($"openssl ocsp did not listen on port {port}.");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
