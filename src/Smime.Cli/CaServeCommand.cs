using System.CommandLine;
using System.Formats.Asn1;
using System.Net;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime ca serve`: the CA's newest CRL over plain HTTP on the loopback interface and, with
/// the CA's passphrase, an OCSP responder (RFC 6960) for what it issued, so the revocation
/// checks of issued certificates can be tried end to end.
/// </summary>
internal sealed class CaServeCommand
{
    /// <summary>Requests answered at once; one more gets 503 at once.</summary>
    private const int MaxConcurrentRequests = 32;

    // A client that has not sent its whole body by then is cut off.
    private static readonly TimeSpan s_bodyTimeout = TimeSpan.FromSeconds(30);

    // How long a stop waits for the answers under way.
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(10);

    // RFC 6960 Appendix A.1: the GET form is the URL-encoded base64 of the DER request; its
    // path is refused past what the longest request accepted needs.
    private const int MaxGetPathLength =
        (CertificateAuthority.MaxOcspRequestLength + 2) / 3 * 4 * 3;

    private const string OcspRequestType = "application/ocsp-request";
    private const string OcspResponseType = "application/ocsp-response";

    private readonly Option<int> _port = new("--port")
    {
        Description = "The TCP port on 127.0.0.1.",
        DefaultValueFactory = _ => 8080,
    };
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("serve",
            "Serve the newest CRL on http://127.0.0.1:PORT/ (any path; the root's at "
            + "root.crl beside the CRL URL, which the intermediate names) until Ctrl-C; with "
            + "the CA's --password, answer OCSP requests there too (POST, or GET with the "
            + "request in the path).")
        {
            _port,
            _identity.Password,
            _identity.PasswordFile,
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

        string? password = _identity.GetPassword(result);
        using CertificateStore store = _store.OpenExisting(result);
        CertificateAuthority ca = CertificateAuthority.Open(store);

        // The key is opened once, before anything listens: a wrong passphrase serves nothing.
        using OcspSigningKey? key = string.IsNullOrEmpty(password)
            ? null
            : ca.UnlockOcspKey(password);
        var server = new Server(ca, key);
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        string what = key is null
            ? "the CRL (no --password: OCSP is off)"
            : "the CRL and OCSP answers";
        context.Printed.WriteLine($"serving {what} of '{ca.Issuer.Subject}' on "
            + $"http://127.0.0.1:{port}/ (Ctrl-C stops)");
        context.Out.Flush();
        using CancellationTokenRegistration stop =
            context.CancellationToken.Register(listener.Stop);
        try
        {
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

                server.Start(request);
            }
        }
        finally
        {
            server.Drain(s_drainTimeout);
        }

        return ExitCodes.Cancelled;
    }

    // Answers each request on the thread pool, so a slow or silent client holds up no other;
    // the store (one SQLite connection) is used by one answer at a time.
    private sealed class Server(CertificateAuthority ca, OcspSigningKey? key)
    {
        private readonly object _storeGate = new();
        private readonly SemaphoreSlim _slots = new(MaxConcurrentRequests);
        private readonly List<Task> _running = [];

        public void Start(HttpListenerContext request)
        {
            if (!_slots.Wait(0))
            {
                Finish(request, 503);
                return;
            }

            Task task = Task.Run(() =>
            {
                try
                {
                    Answer(request);
                }
                finally
                {
                    _slots.Release();
                }
            });
            lock (_running)
            {
                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(task);
            }
        }

        public void Drain(TimeSpan timeout)
        {
            Task[] running;
            lock (_running)
            {
                running = [.. _running];
            }

            Task.WaitAll(running, timeout);
        }

        private void Answer(HttpListenerContext request)
        {
            HttpListenerResponse response = request.Response;
            try
            {
                switch (request.Request.HttpMethod)
                {
                    case "POST" when key is not null:
                        AnswerPost(request);
                        break;
                    case "GET" or "HEAD":
                        AnswerGet(request);
                        break;
                    default:
                        response.AddHeader("Allow", key is null ? "GET, HEAD" : "GET, HEAD, POST");
                        response.StatusCode = 405;
                        break;
                }

                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException
                or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away mid-request or mid-answer; keep serving the others.
                response.Abort();
            }
            catch (Exception)
            {
                // Whatever one request breaks, the server keeps serving: this one gets 500.
                Finish(request, 500);
            }
        }

        // RFC 6960 Appendix A.1: POST with the DER request as body, to any path.
        private void AnswerPost(HttpListenerContext request)
        {
            string? type = request.Request.ContentType?.Split(';')[0].Trim();
            if (!string.Equals(type, OcspRequestType, StringComparison.OrdinalIgnoreCase))
            {
                request.Response.StatusCode = 415;
                return;
            }

            byte[]? body = ReadBody(request);
            if (body is null)
            {
                request.Response.StatusCode = 413;
                return;
            }

            SendOcsp(request, body);
        }

        private void AnswerGet(HttpListenerContext request)
        {
            if (key is not null && OcspGetRequest(request.Request.RawUrl) is { } der)
            {
                SendOcsp(request, der);
                return;
            }

            // RFC 5280 §4.2.1.13: the newest CRL, DER, as application/pkix-crl: the root's at
            // the path the intermediate names, the issuing CA's at any other.
            bool root = ca.RootCrlPath is { } rootPath
                && request.Request.Url?.AbsolutePath == rootPath;
            byte[]? crl;
            lock (_storeGate)
            {
                crl = root ? ca.LatestRootCrl() : ca.LatestCrl();
            }

            HttpListenerResponse response = request.Response;
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

        private void SendOcsp(HttpListenerContext request, byte[] der)
        {
            byte[] answer;
            lock (_storeGate)
            {
                answer = ca.AnswerOcsp(der, key!);
            }

            HttpListenerResponse response = request.Response;
            response.ContentType = OcspResponseType;
            response.ContentLength64 = answer.Length;
            if (request.Request.HttpMethod != "HEAD")
            {
                response.OutputStream.Write(answer);
            }
        }

        // The body, or null when it is longer than an OCSP request may be. A client that
        // stalls is cut off after s_bodyTimeout (the read then throws).
        private static byte[]? ReadBody(HttpListenerContext request)
        {
            long declared = request.Request.ContentLength64;
            if (declared > CertificateAuthority.MaxOcspRequestLength)
            {
                return null;
            }

            using var timer = new Timer(_ => request.Response.Abort(), null,
                s_bodyTimeout, Timeout.InfiniteTimeSpan);
            Stream input = request.Request.InputStream;
            var body = new MemoryStream();
            byte[] chunk = new byte[4096];
            int read;
            while ((read = input.Read(chunk)) > 0)
            {
                if (body.Length + read > CertificateAuthority.MaxOcspRequestLength)
                {
                    return null;
                }

                body.Write(chunk, 0, read);
            }

            return body.ToArray();
        }

        // The request of an OCSP GET: the path, or its part after some '/', that URL-decodes
        // to base64 of one whole DER SEQUENCE (base64 itself may hold '/'). Null when no part
        // does: the GET is then one for the CRL.
        private static byte[]? OcspGetRequest(string? rawUrl)
        {
            string path = (rawUrl ?? "/").Split('?')[0];
            if (path.Length > MaxGetPathLength)
            {
                return null;
            }

            for (int start = path.IndexOf('/'); start >= 0; start = path.IndexOf('/', start + 1))
            {
                string candidate = Uri.UnescapeDataString(path[(start + 1)..]);
                byte[] der = new byte[candidate.Length];
                if (candidate.Length > 0
                    && Convert.TryFromBase64String(candidate, der, out int length)
                    && IsOneSequence(der.AsSpan(0, length)))
                {
                    return der[..length];
                }
            }

            return null;
        }

        private static bool IsOneSequence(ReadOnlySpan<byte> der) =>
            AsnDecoder.TryReadEncodedValue(der, AsnEncodingRules.BER, out Asn1Tag tag,
                out _, out _, out int consumed)
            && tag == Asn1Tag.Sequence && consumed == der.Length;

        private static void Finish(HttpListenerContext request, int status)
        {
            try
            {
                request.Response.StatusCode = status;
                request.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException
                or ObjectDisposedException or InvalidOperationException)
            {
                // Already partly answered, or gone: drop the connection.
                request.Response.Abort();
            }
        }
    }
}
