using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Tests.Support;

namespace Smime.Tests.Authority;

public sealed class DemoPkiTests
{
    [Fact]
    public void IssueUser_Rsa_OpenSslAcceptsForSmimeSigning()
    {
        using var dir = new TempDir();
        using DemoPki pki = DemoPki.Create();
        using X509Certificate2 alice = pki.IssueUser("alice@example.com", "Alice");
        File.WriteAllText(dir.File("root.pem"), pki.Root.ExportCertificatePem() + "\n");
        File.WriteAllText(dir.File("alice.pem"), alice.ExportCertificatePem() + "\n");

        Peer.Result verify = Peer.OpenSsl(dir.Path,
            "verify", "-purpose", "smimesign", "-CAfile", "root.pem", "alice.pem");
        Peer.Result text = Peer.OpenSsl(dir.Path, "x509", "-in", "alice.pem", "-noout", "-text");

        Assert.Contains("alice.pem: OK", verify.StdOut);
        Assert.Contains("email:alice@example.com", text.StdOut);
        Assert.Contains("E-mail Protection", text.StdOut);
        Assert.Contains("Public-Key: (2048 bit)", text.StdOut);
        Assert.True(alice.HasPrivateKey);
        Assert.True(alice.NotAfter <= pki.Root.NotAfter);
    }

    [Fact]
    public void WriteIdentity_Files_OpenWithThePasswordOnly()
    {
        using var dir = new TempDir();
        using DemoPki pki = DemoPki.Create();
        using X509Certificate2 bob = pki.IssueUser("bob@example.com");

        DemoPki.WriteIdentity(bob, dir.Path, "bob", "demo");

        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(dir.File("bob.key")));
        Peer.OpenSsl(dir.Path, "pkey", "-in", "bob.key", "-passin", "pass:demo", "-noout");
        Peer.OpenSsl(dir.Path, "pkcs12", "-in", "bob.p12", "-passin", "pass:demo", "-noout");
        Assert.NotEqual(0, Peer.Run("openssl",
            ["pkey", "-in", "bob.key", "-passin", "pass:wrong", "-noout"], dir.Path).ExitCode);
    }
}
