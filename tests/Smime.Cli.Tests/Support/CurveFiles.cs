using Smime.Tests.Support;

namespace Smime.Cli.Tests.Support;

/// <summary>
/// Ed25519 and X25519 users as a user of the command has them: PEM files that `openssl`
/// made (genpkey, and x509 -req under the shared test root; -force_pubkey for X25519, whose
/// key cannot sign its own request).
/// </summary>
public static class CurveFiles
{
    /// <summary>Writes NAME.crt and NAME.key (PKCS#8; under "secret" when encrypted).</summary>
    public static void WriteUser(TempDir dir, string name, string algorithm, bool encrypted = false)
    {
        if (!File.Exists(dir.File("ca.key")))
        {
            TestPki.WritePem(TestPki.Shared.Root, dir.File("ca.crt"), dir.File("ca.key"));
        }

        File.WriteAllText(dir.File(name + ".cnf"),
            "basicConstraints=CA:FALSE\n"
            + "keyUsage=" + (algorithm == "ed25519" ? "digitalSignature" : "keyAgreement") + "\n"
            + "extendedKeyUsage=emailProtection\n"
            + $"subjectAltName=email:{name}@example.com\n");
        string plainKey = encrypted ? name + ".plain.key" : name + ".key";
        Peer.OpenSsl(dir.Path, "genpkey", "-algorithm", algorithm, "-out", plainKey);
        if (encrypted)
        {
            Peer.OpenSsl(dir.Path, "pkcs8", "-topk8", "-in", plainKey, "-out", name + ".key",
                "-passout", "pass:" + Files.Password);
        }

        if (algorithm == "ed25519")
        {
            Peer.OpenSsl(dir.Path, "req", "-new", "-key", plainKey,
                "-subj", $"/CN={name}@example.com", "-out", name + ".csr");
            Peer.OpenSsl(dir.Path, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-set_serial", "0x" + Serial(), "-days", "30",
                "-extfile", name + ".cnf", "-out", name + ".crt");
            return;
        }

        Peer.OpenSsl(dir.Path, "pkey", "-in", plainKey, "-pubout", "-out", name + ".pub");
        Peer.OpenSsl(dir.Path, "req", "-new", "-key", "ca.key",
            "-subj", $"/CN={name}@example.com", "-out", name + ".csr");
        Peer.OpenSsl(dir.Path, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
            "-CAkey", "ca.key", "-force_pubkey", name + ".pub", "-set_serial", "0x" + Serial(),
            "-days", "30", "-extfile", name + ".cnf", "-out", name + ".crt");
    }

    private static string Serial() =>
        Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
