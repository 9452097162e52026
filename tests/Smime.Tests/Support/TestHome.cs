using System.Runtime.CompilerServices;

namespace Smime.Tests.Support;

/// <summary>
/// Points SMIME_HOME at an empty folder of its own when the test assembly loads, so no test
/// sees (or writes) the default store of whoever runs the suite; tests that need a store name
/// their own with --store. Child processes (the built `smime`) inherit it.
/// </summary>
internal static class TestHome
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        string home = Path.Combine(Path.GetTempPath(), $"smime-test-home-{Environment.ProcessId}");
        Directory.CreateDirectory(home);
        Environment.SetEnvironmentVariable("SMIME_HOME", home);
    }
}
