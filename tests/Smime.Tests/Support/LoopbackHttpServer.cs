using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Smime.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 with a free port, serving fixed bodies by path; it counts
/// the requests it answers.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _bodies = new();
    private readonly Task _loop;
    private int _requests;

    public LoopbackHttpServer(int port)
    {
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    public int Requests => _requests;

    /// <summary>A port nothing listens on now (taken from the OS, then released).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Serve(string path, byte[] body) => _bodies[path] = body;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException
                or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            string path = context.Request.Url?.AbsolutePath ?? "/";
            if (_bodies.TryGetValue(path, out byte[]? body))
            {
                context.Response.ContentType = "application/pkix-crl";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
