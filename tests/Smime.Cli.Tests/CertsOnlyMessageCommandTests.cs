using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class CertsOnlyMessageCommandTests
{
    [Fact]
    public void Export_MimeCertsOnly_OpenSslReadsAndOtherStoreImports()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        string first = dir.File("first");
        string second = dir.File("second");
        CliRunner.Run("certs", "import", dir.File("alice.crt"), dir.File("root.pem"),
            "--store", first);

        CliRunner.Result export = CliRunner.Run("certs", "export", "alice@example.com",
            "--format", "mime", "-o", dir.File("certs.eml"), "--store", first);
        CliRunner.Result import = CliRunner.Run("certs", "import", dir.File("certs.eml"),
            "--store", second);

        Assert.Equal(0, export.ExitCode);
        string text = File.ReadAllText(dir.File("certs.eml"));
        Assert.Contains("smime-type=certs-only", text);
        Assert.Contains("filename=smime.p7c", text);
        Peer.Result dump = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-noout",
            "-in", "certs.eml");
        Assert.Contains("CN=alice@example.com", dump.StdOut);
        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.Contains("imported", import.StdOut);
        Assert.Contains("alice@example.com", CliRunner.Run("certs", "list", "--store", second).StdOut);
    }
}
