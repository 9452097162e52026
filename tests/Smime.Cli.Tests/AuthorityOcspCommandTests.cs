using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Ocsp;
using Smime.Authority;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace Smime.Cli.Tests;

/// <summary>
/// The OCSP responder of `smime ca serve` (RFC 6960), asked by `openssl ocsp`, by a plain
/// HTTP client and by `smime verify`.
/// </summary>
public sealed class AuthorityOcspCommandTests
{
    private const string CaPassword = "ca-secret";
    private const string CaSubject = "CN=Test Root, O=Test";
    private const int MaxRequest = CertificateAuthority.MaxOcspRequestLength;

    // OCSPResponse { responseStatus malformedRequest(1) } (RFC 6960 §4.2.1).
    private static readonly byte[] s_malformedRequest = [0x30, 0x03, 0x0A, 0x01, 0x01];

    [Theory]
    [InlineData("rsa2048", false)]
    [InlineData("p256", true)]
    [InlineData("p384", true)]
    public async Task Serve_OpenSslAsksAboutIssued_GoodNonceAndSignatureVerify(
        string keyType,
        bool intermediate)
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        MakeCaAndAlice(dir, port, keyType, intermediate);

        Peer.Result ocsp;
        await using (CaServer server = await StartAsync(dir, port, "--password", CaPassword))
        {
            ocsp = OpenSslOcsp(dir, port);
            Assert.Equal(130, await server.StopAsync());
        }

        Assert.True(ocsp.ExitCode == 0, ocsp.StdErr);
        Assert.Contains("Response verify OK", ocsp.StdErr);
        Assert.DoesNotContain("WARNING", ocsp.StdErr + ocsp.StdOut);
        Assert.Contains("alice.pem: good", ocsp.StdOut);
        Assert.Contains("OCSP Nonce:", ocsp.StdOut);
        Assert.Contains($"Responder Id: {IssuerKeyId(dir)}\n", ocsp.StdOut);
    }

    [Fact]
    public async Task Serve_RevokedWhileServing_OpenSslSaysRevokedWithReason()
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        MakeCaAndAlice(dir, port, "p256", intermediate: true);

        Peer.Result before, after;
        CliRunner.Result revoke;
        await using (CaServer server = await StartAsync(dir, port, "--password", CaPassword))
        {
            before = OpenSslOcsp(dir, port);
            revoke = Smime(dir, "ca", "revoke", AliceSerial(dir), "--reason", "keyCompromise");
            after = OpenSslOcsp(dir, port);
            Assert.Equal(130, await server.StopAsync());
        }

        Assert.True(revoke.ExitCode == 0, revoke.StdErr);
        Assert.Contains("alice.pem: good", before.StdOut);
        Assert.True(after.ExitCode == 0, after.StdErr);
        Assert.Contains("Response verify OK", after.StdErr);
        Assert.Contains("alice.pem: revoked", after.StdOut);
        Assert.Contains("Reason: keyCompromise", after.StdOut);
        Assert.Contains("Revocation Time: ", after.StdOut);
    }

    [Fact]
    public async Task Serve_UnknownMalformedOversizedDroppedStalled_AnsweredAndStillServing()
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        MakeCaAndAlice(dir, port, "p256", intermediate: false);

        await using CaServer server = await StartAsync(dir, port, "--password", CaPassword);
        Peer.Result unknown = OpenSslOcsp(dir, port, "-serial", "0x1234");
        (HttpStatusCode malformedStatus, byte[] malformed) = await Post(port, [0x30, 0x01, 0x02]);
        (HttpStatusCode oversizedStatus, _) = await Post(port, new byte[MaxRequest + 1]);
        DropMidRequest(port);
        using TcpClient stalled = StallMidRequest(port);
        Peer.Result good = OpenSslOcsp(dir, port);
        Assert.Equal(130, await server.StopAsync());

        Assert.True(unknown.ExitCode == 0, unknown.StdErr);
        Assert.Contains("0x1234: unknown", unknown.StdOut);
        Assert.Equal(HttpStatusCode.OK, malformedStatus);
        Assert.Equal(s_malformedRequest, malformed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversizedStatus);
        Assert.Contains("alice.pem: good", good.StdOut);
        Assert.Contains("Response verify OK", good.StdErr);
    }

    [Fact]
    public async Task Serve_GetForm_SignedGoodAnswerBouncyCastleReads()
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        MakeCaAndAlice(dir, port, "rsa2048", intermediate: true);
        Peer.OpenSsl(dir.Path, "ocsp", "-issuer", "issuer.pem", "-cert", "alice.pem",
            "-no_nonce", "-reqout", "request.der");
        string path = Uri.EscapeDataString(
            Convert.ToBase64String(File.ReadAllBytes(dir.File("request.der"))));

        byte[] body;
        string? type;
        await using (CaServer server = await StartAsync(dir, port, "--password", CaPassword))
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using HttpResponseMessage response =
                await client.GetAsync(server.Url + "ocsp/" + path);
            body = await response.Content.ReadAsByteArrayAsync();
            type = response.Content.Headers.ContentType?.MediaType;
            Assert.Equal(130, await server.StopAsync());
        }

        Assert.Equal("application/ocsp-response", type);
        var ocsp = new OcspResp(body);
        Assert.Equal(OcspRespStatus.Successful, ocsp.Status);
        var basic = Assert.IsType<BasicOcspResp>(ocsp.GetResponseObject());
        var issuer = new BcCertificateParser().ReadCertificate(
            File.ReadAllBytes(dir.File("issuer.der")));
        Assert.True(basic.Verify(issuer.GetPublicKey()));
        SingleResp single = Assert.Single(basic.Responses);
        Assert.Equal(AliceSerial(dir),
            single.GetCertID().SerialNumber.ToString(16).ToUpperInvariant());
        Assert.Null(single.GetCertStatus());
    }

    [Fact]
    public async Task Serve_WithoutPassword_StartLineSaysCrlOnlyAndOcspPostRefused()
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        MakeCaAndAlice(dir, port, "p256", intermediate: false);

        await using CaServer server = await StartAsync(dir, port);
        (HttpStatusCode status, _) = await Post(port, [0x30, 0x00]);
        Assert.Equal(130, await server.StopAsync());

        Assert.Equal($"serving the CRL (no --password: OCSP is off) of '{CaSubject}' on "
            + $"http://127.0.0.1:{port}/ (Ctrl-C stops)\n", server.StdOut);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
    }

    [Fact]
    public void Serve_WrongPassword_ExitTwoOneLineNothingServed()
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        MakeCaAndAlice(dir, port, "p256", intermediate: false);

        CliRunner.Result run = Smime(dir, "ca", "serve", "--port", $"{port}",
            "--password", "wrong");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: The passphrase does not open the private key of '{CaSubject}'.",
            run.StdErr.Trim());
        Assert.Equal("", run.StdOut);
        using var client = new TcpClient();
        Assert.ThrowsAny<SocketException>(() => client.Connect(IPAddress.Loopback, port));
    }

    // The store that asked before the revocation keeps the good answer until its nextUpdate
    // (RFC 6960 §4.2.2.1), so a second store asks after it; once the server stops, each
    // store still gives its own answer from its cache.
    [Fact]
    public async Task Verify_CheckRevocationOcspOnly_ValidBeforeRevokedAfterEachCached()
    {
        using var dir = new TempDir();
        int port = LoopbackHttpServer.FreePort();
        // No intermediate: its own certificate names no responder, and --check-revocation
        // wants an answer for every certificate of the chain.
        MakeCaAndAlice(dir, port, "p256", intermediate: false);
        File.WriteAllText(dir.File("body.txt"), "Content-Type: text/plain\r\n\r\nsigned\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "body.txt", "-signer", "alice.pem",
            "-inkey", "alice.key", "-out", "signed.part");
        File.WriteAllText(dir.File("signed.eml"),
            "From: alice@example.com\r\n" + File.ReadAllText(dir.File("signed.part")));
        string[] first = Reader(dir, "first");
        string[] second = Reader(dir, "second");

        CliRunner.Result before, after, firstAgain;
        await using (CaServer server = await StartAsync(dir, port, "--password", CaPassword))
        {
            before = CliRunner.Run(first);
            Assert.Equal(0, Smime(dir, "ca", "revoke", AliceSerial(dir), "--reason",
                "superseded").ExitCode);
            after = CliRunner.Run(second);
            firstAgain = CliRunner.Run(first);
            Assert.Equal(130, await server.StopAsync());
        }

        CliRunner.Result firstOffline = CliRunner.Run([.. first, "--offline"]);
        CliRunner.Result secondDown = CliRunner.Run(second);

        Assert.True(before.ExitCode == 0, before.StdOut + before.StdErr);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("Revoked: The certificate 'CN=alice@example.com' is revoked "
            + $"(OCSP http://127.0.0.1:{port}/)", after.StdOut);
        Assert.True(firstAgain.ExitCode == 0, firstAgain.StdOut + firstAgain.StdErr);
        Assert.True(firstOffline.ExitCode == 0, firstOffline.StdOut + firstOffline.StdErr);
        Assert.Contains("Verdict: Valid", firstOffline.StdOut);
        Assert.Equal(1, secondDown.ExitCode);
        Assert.Contains("Revoked: The certificate 'CN=alice@example.com' is revoked "
            + $"(cached OCSP answer from http://127.0.0.1:{port}/)", secondDown.StdOut);
    }

    // `smime verify` of signed.eml with --check-revocation against a store of its own that
    // trusts root.pem.
    private static string[] Reader(TempDir dir, string name)
    {
        string store = dir.File(name);
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust",
            "--store", store).ExitCode);
        return ["verify", dir.File("signed.eml"), "--check-revocation", "--no-harvest",
            "--store", store];
    }

    [Fact]
    public void Serve_NoStoreInFolder_ExitTwoOneLineNothingCreatedOrServed()
    {
        using var dir = new TempDir();
        string store = dir.File("nostore");
        int port = LoopbackHttpServer.FreePort();

        CliRunner.Result run = CliRunner.Run("ca", "serve", "--port", $"{port}",
            "--password", CaPassword, "--store", store);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {store}: no store here yet; 'smime certs import', 'smime key new' "
            + "or 'smime ca init' makes one.\n", run.StdErr);
        Assert.False(Directory.Exists(store));
        using var client = new TcpClient();
        Assert.ThrowsAny<SocketException>(() => client.Connect(IPAddress.Loopback, port));
    }

    [Theory]
    [InlineData("ldap://127.0.0.1/ocsp")]
    [InlineData("ocsp")]
    public void Init_OcspUrlNotHttp_ExitTwoOneLineNoCa(string url)
    {
        using var dir = new TempDir();

        CliRunner.Result run = Smime(dir, "ca", "init", "--name", CaSubject, "--ocsp-url", url,
            "--password", CaPassword, "-o", dir.File("ca.pem"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: The OCSP URL '{url}' is not an absolute http URL.",
            run.StdErr.Trim());
        Assert.False(File.Exists(dir.File("ca.pem")));
    }

    // A CA answering OCSP at http://127.0.0.1:PORT/ (no CRL URL), alice's certificate from it
    // (mailbox-strict, RSA key by openssl), and issuer.pem, issuer.der, root.pem beside.
    private static void MakeCaAndAlice(TempDir dir, int port, string keyType, bool intermediate)
    {
        CliRunner.Result init = Smime(dir, ["ca", "init", "--name", CaSubject, "--key-type",
            keyType, "--ocsp-url", $"http://127.0.0.1:{port}/", "--password", CaPassword,
            "-o", dir.File("ca.pem"), .. intermediate ? new[] { "--intermediate" } : []]);
        Assert.True(init.ExitCode == 0, init.StdErr);
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout",
            "alice.key", "-out", "alice.csr", "-subj", "/CN=Alice",
            "-addext", "subjectAltName=email:alice@example.com");
        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("alice.csr"), "--profile",
            "mailbox-strict", "--password", CaPassword, "-o", dir.File("alice.pem"));
        Assert.True(issue.ExitCode == 0, issue.StdErr);

        X509Certificate2Collection chain = [];
        chain.ImportFromPemFile(dir.File("ca.pem"));
        File.WriteAllText(dir.File("issuer.pem"), chain[0].ExportCertificatePem() + "\n");
        File.WriteAllBytes(dir.File("issuer.der"), chain[0].RawData);
        File.WriteAllText(dir.File("root.pem"), chain[^1].ExportCertificatePem() + "\n");
    }

    private static Task<CaServer> StartAsync(TempDir dir, int port, params string[] args) =>
        CaServer.StartAsync(port, [.. args, "--store", dir.File("store")]);

    private static Peer.Result OpenSslOcsp(TempDir dir, int port, params string[] target) =>
        Peer.Run("openssl", ["ocsp", "-issuer", "issuer.pem",
            .. target.Length > 0 ? target : ["-cert", "alice.pem"],
            "-url", $"http://127.0.0.1:{port}/", "-CAfile", "root.pem", "-resp_text"],
            dir.Path);

    private static async Task<(HttpStatusCode Status, byte[] Body)> Post(int port, byte[] body)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using HttpResponseMessage response =
            await client.PostAsync($"http://127.0.0.1:{port}/", content);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    // A client that promises a body, sends part of it and leaves.
    private static void DropMidRequest(int port)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        using NetworkStream stream = client.GetStream();
        stream.Write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8);
        stream.Write("Content-Type: application/ocsp-request\r\nContent-Length: 100\r\n\r\n0"u8);
        client.Client.Shutdown(SocketShutdown.Both);
    }

    // A client that promises a body, sends part of it and waits: the next client is answered
    // all the same.
    private static TcpClient StallMidRequest(int port)
    {
        var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        stream.Write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8);
        stream.Write("Content-Type: application/ocsp-request\r\nContent-Length: 100\r\n\r\n0"u8);
        stream.Flush();
        return client;
    }

    // RFC 6960 §4.2.2.3 byKey: the SHA-1 of the issuer's key, which is its SKI as made here.
    private static string IssuerKeyId(TempDir dir)
    {
        X509Certificate2 issuer = X509CertificateLoader.LoadCertificateFromFile(
            dir.File("issuer.der"));
        return issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single()
            .SubjectKeyIdentifier!;
    }

    private static string AliceSerial(TempDir dir) =>
        X509CertificateLoader.LoadCertificateFromFile(dir.File("alice.pem")).SerialNumber;

    private static CliRunner.Result Smime(TempDir dir, params string[] args) =>
        CliRunner.Run([.. args, "--store", dir.File("store")]);
}
