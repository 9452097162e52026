using System.Security.Cryptography.X509Certificates;

namespace Smime.Tests.Support;

public sealed class TestPkiTests
{
    [Fact]
    public void Issue_RsaUser_ChainsToRootForOpenSsl()
    {
        using var dir = new TempDir();
        using X509Certificate2 user = TestPki.Shared.Issue("alice@example.com");
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        TestPki.WritePem(user, dir.File("alice.pem"), dir.File("alice.key"));

        Peer.Result result = Peer.OpenSsl(dir.Path,
            "verify", "-purpose", "smimesign", "-CAfile", "root.pem", "alice.pem");

        Assert.Contains("alice.pem: OK", result.StdOut);
    }
}
