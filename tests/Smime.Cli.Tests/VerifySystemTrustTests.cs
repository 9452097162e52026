using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class VerifySystemTrustTests
{
    [Fact]
    public void Verify_SystemTrust_TestRootStillUntrustedStoreAnchorStillValid()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "message.eml", "-signer", "alice.crt",
            "-inkey", "alice.key", "-out", "signed.eml");
        File.WriteAllText(dir.File("mail.eml"), "From: Alice <alice@example.com>\r\n"
            + File.ReadAllText(dir.File("signed.eml")));
        string empty = dir.File("empty-store");
        string trusting = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", trusting);

        CliRunner.Result systemOnly = CliRunner.Run("verify", dir.File("mail.eml"),
            "--system-trust", "--store", empty, "--no-harvest");
        CliRunner.Result both = CliRunner.Run("verify", dir.File("mail.eml"),
            "--system-trust", "--store", trusting, "--no-harvest");

        // The throwaway root is in no system store.
        Assert.Equal(1, systemOnly.ExitCode);
        Assert.Contains("Untrusted", systemOnly.StdOut);
        Assert.True(both.ExitCode == 0, both.StdOut + both.StdErr);
    }
}
