using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>Verbs that read or change a store refuse a missing one and never create it.</summary>
public sealed class StoreMissingTests
{
    [Theory]
    [InlineData("ca", "list")]
    [InlineData("ca", "crl", "--password", "pw")]
    [InlineData("ca", "revoke", "5A3F09C2")]
    [InlineData("certs", "list")]
    [InlineData("certs", "show", "alice@example.com")]
    [InlineData("certs", "remove", "alice@example.com")]
    [InlineData("certs", "trust", "alice@example.com")]
    [InlineData("certs", "export", "alice@example.com", "-o", "OUT")]
    [InlineData("key", "list")]
    public void Verb_NoStoreInFolder_ExitTwoOneLineNothingCreated(params string[] verb)
    {
        using var dir = new TempDir();
        string store = dir.File("nostore");

        string[] args = [.. verb.Select(a => a == "OUT" ? dir.File("out.pem") : a)];

        CliRunner.Result run = CliRunner.Run([.. args, "--store", store]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {store}: no store here yet; 'smime certs import', 'smime key new' "
            + "or 'smime ca init' makes one.\n", run.StdErr);
        Assert.False(Directory.Exists(store));
        Assert.False(File.Exists(dir.File("out.pem")));
    }
}
