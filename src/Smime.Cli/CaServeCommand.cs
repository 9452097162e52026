using System.CommandLine;
using System.Net;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime ca serve`: the CA's newest CRL over plain HTTP on the loopback interface, so the
/// distribution point written into issued certificates can be fetched end to end.
/// </summary>
internal sealed class CaServeCommand
{
    private readonly Option<int> _port = new("--port")
    {
        Description = "The TCP port on 127.0.0.1.",
        DefaultValueFactory = _ => 8080,
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("serve",
            "Serve the newest CRL on http://127.0.0.1:PORT/ (any path) until Ctrl-C.")
        {
            _port,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        int port = result.GetValue(_port);
        if (port is < 1 or > 65535)
        {
            throw new UsageException("--port", $"{port} is not a TCP port.");
        }

        using CertificateStore store = _store.Open(result);
        CertificateAuthority ca = CertificateAuthority.Open(store);
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        context.Out.WriteLine($"serving the CRL of '{ca.Issuer.Subject}' on "
            + $"http://127.0.0.1:{port}/ (Ctrl-C stops)");
        context.Out.Flush();
        using CancellationTokenRegistration stop =
            context.CancellationToken.Register(listener.Stop);
        while (!context.CancellationToken.IsCancellationRequested)
        {
            HttpListenerContext request;
            try
            {
                request = listener.GetContext();
            }
            catch (Exception e) when (context.CancellationToken.IsCancellationRequested
                && e is HttpListenerException or ObjectDisposedException
                    or InvalidOperationException)
            {
                break;
            }

            try
            {
                Answer(request, ca);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away mid-answer; keep serving the others.
            }
        }

        return ExitCodes.Cancelled;
    }

    // Read-only: GET and HEAD get the newest CRL (RFC 5280 §4.2.1.13: DER,
    // application/pkix-crl); anything else is refused.
    private static void Answer(HttpListenerContext request, CertificateAuthority ca)
    {
        using HttpListenerResponse response = request.Response;
        if (request.Request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.StatusCode = 405;
            return;
        }

        byte[]? crl = ca.LatestCrl();
        if (crl is null)
        {
            response.StatusCode = 404;
            return;
        }

        response.ContentType = "application/pkix-crl";
        response.ContentLength64 = crl.Length;
        if (request.Request.HttpMethod == "GET")
        {
            response.OutputStream.Write(crl);
        }
    }
}
