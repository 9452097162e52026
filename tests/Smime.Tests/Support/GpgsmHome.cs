using System.Security.Cryptography.X509Certificates;

namespace Smime.Tests.Support;

/// <summary>
/// A throwaway GNUPGHOME for gpgsm 2.2 (the recipe of PEERS.md): it trusts the shared test root,
/// and its agent is stopped when the test ends.
/// </summary>
public sealed class GpgsmHome : IDisposable
{
    public const string Passphrase = "test-passphrase";

    private readonly TempDir _dir;
    private readonly Dictionary<string, string> _environment;

    public GpgsmHome(TempDir dir)
    {
        _dir = dir;
        string home = dir.File("gnupg");
        Directory.CreateDirectory(home);

        if (!OperatingSystem.IsWindows())
        {
            // gpgsm warns about, and the agent may refuse, a home that others can read.
            File.SetUnixFileMode(home,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(Path.Combine(home, "gpg-agent.conf"), "allow-loopback-pinentry\n");
        File.WriteAllText(Path.Combine(home, "gpgsm.conf"), "disable-crl-checks\ndisable-dirmngr\n");
        _environment = new Dictionary<string, string> { ["GNUPGHOME"] = home };

        X509Certificate2 root = TestPki.Shared.Root;
        TestPki.WritePem(root, dir.File("gpgsm-root.pem"));
        Peer.Result import = Run(null, "--import", "gpgsm-root.pem");
        Assert.True(import.ExitCode == 0, import.StdErr);
        string fingerprint = string.Join(':', root.Thumbprint.Chunk(2).Select(p => new string(p)));
        File.WriteAllText(Path.Combine(home, "trustlist.txt"), $"{fingerprint} S relax\n");
    }

    /// <summary>Runs gpgsm in batch mode in the test's folder.</summary>
    public Peer.Result Run(string? stdin, params string[] arguments)
    {
        Peer.Result result = Peer.Run("gpgsm", ["--batch", .. arguments], _dir.Path, stdin, _environment);
        if (result.ExitCode != 0)
        {
            // Under load a freshly started gpg-agent is now and then not ready for the first
            // request; an expected refusal is refused the second time too.
            Thread.Sleep(500);
            result = Peer.Run("gpgsm", ["--batch", .. arguments], _dir.Path, stdin, _environment);
        }

        return result;
    }

    /// <summary>Runs gpgsm with the passphrase given on its stdin (loopback pinentry).</summary>
    public Peer.Result RunWithPassphrase(params string[] arguments) =>
        Run(Passphrase + "\n", ["--pinentry-mode", "loopback", "--passphrase-fd", "0", .. arguments]);

    /// <summary>Imports a certificate and its key as a legacy PKCS#12, as gpgsm 2.2 needs.</summary>
    public void ImportKey(X509Certificate2 certificate)
    {
        TestPki.WritePem(certificate, _dir.File("gpgsm-key.crt"), _dir.File("gpgsm-key.pem"));

        // gpgsm 2.2 now and then cannot decrypt the key bag of a correct PKCS#12 ("data error at
        // shrouded_key_bag.decrypted-text"): it depends on the random salt, so the same file
        // fails every time and a freshly exported one goes through.
        Peer.Result import = null!;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            Peer.OpenSsl(_dir.Path, "pkcs12", "-export", "-legacy", "-in", "gpgsm-key.crt",
                "-inkey", "gpgsm-key.pem", "-out", "gpgsm-key.p12", "-passout",
                "pass:" + Passphrase);
            import = Run(Passphrase + "\n" + Passphrase + "\n",
                "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--import", "gpgsm-key.p12");
            if (import.ExitCode == 0)
            {
                break;
            }
        }

        Assert.True(import.ExitCode == 0, import.StdErr);
    }

    public void Dispose() =>
        Peer.Run("gpgconf", ["--kill", "gpg-agent"], _dir.Path, null, _environment);
}
