namespace Smime.Cli.Tests;

public sealed class BuildsTests
{
    [Fact]
    public void Pki_IsAvailableToCliTests() =>
        Assert.NotNull(Smime.Tests.Support.TestPki.Shared.Root);
}
