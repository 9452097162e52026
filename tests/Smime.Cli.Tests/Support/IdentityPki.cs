using Smime.Tests.Support;

namespace Smime.Cli.Tests.Support;

/// <summary>
/// Made once per test class with smime's own `ca` and `key` verbs: a CA store with a root and
/// an issuing intermediate (ca.pem, int.pem, root.pem); alice's store holding her paired key
/// (dual use, p256); bob's key waiting in his store with a signing (bob-sign.pem) and an
/// encryption (bob-enc.pem) certificate issued from the one CSR. Each test copies it all into
/// its own folder with <see cref="CopyTo"/>.
/// </summary>
public sealed class IdentityPki : IDisposable
{
    public const string CaPassword = "ca-secret";
    public const string AlicePassword = "alice-secret";
    public const string BobPassword = "bob-secret";

    private readonly TempDir _template = new();

    public IdentityPki()
    {
        Run("ca", "init", "--name", "CN=Identity Root, O=Test", "--intermediate",
            "--password", CaPassword, "-o", File("ca.pem"), "--store", File("ca"));
        string[] blocks = System.IO.File.ReadAllText(File("ca.pem"))
            .Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries)
            .Where(b => b.Contains("BEGIN"))
            .Select(b => b.Trim() + "\n-----END CERTIFICATE-----\n")
            .ToArray();
        System.IO.File.WriteAllText(File("int.pem"), blocks[0]);
        System.IO.File.WriteAllText(File("root.pem"), blocks[^1]);

        Run("key", "new", "--email", "alice@example.com", "--key-type", "p256",
            "--password", AlicePassword, "-o", File("alice.csr"), "--store", File("alice"));
        Run("ca", "issue", File("alice.csr"), "--profile", "mailbox-multipurpose",
            "--password", CaPassword, "-o", File("alice.pem"), "--store", File("ca"));
        Run("key", "import-cert", File("alice.pem"), "--store", File("alice"));

        Run("key", "new", "--email", "bob@example.com", "--key-type", "rsa2048",
            "--password", BobPassword, "-o", File("bob.csr"), "--store", File("bob"));
        foreach (string usage in new[] { "signing", "encryption" })
        {
            string name = usage == "signing" ? "bob-sign.pem" : "bob-enc.pem";
            Run("ca", "issue", File("bob.csr"), "--profile", "mailbox-strict", "--usage", usage,
                "--password", CaPassword, "-o", File(name), "--store", File("ca"));
        }
    }

    /// <summary>Copies every file and store into <paramref name="dir"/>.</summary>
    public void CopyTo(TempDir dir)
    {
        foreach (string file in Directory.EnumerateFiles(
            _template.Path, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(dir.Path, Path.GetRelativePath(_template.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.File.Copy(file, target);
        }
    }

    public void Dispose() => _template.Dispose();

    private string File(string name) => _template.File(name);

    private static void Run(params string[] args)
    {
        CliRunner.Result run = CliRunner.Run(args);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"smime {string.Join(' ', args)} failed ({run.ExitCode}): {run.StdErr}");
        }
    }
}
