using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Tests.Support;

namespace Smime.Cli.Tests.Support;

/// <summary>Writes the files a user of the command would have: certificates, keys, messages.</summary>
public static class Files
{
    public const string Password = "secret";

    /// <summary>A small text/plain message from alice to bob, CRLF line ends.</summary>
    public const string Message =
        "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.com>\r\n"
        + "Subject: hello\r\n"
        + "Date: Thu, 03 Dec 2026 12:00:00 +0000\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n"
        + "Content-Transfer-Encoding: 7bit\r\n"
        + "\r\n"
        + "Hello Bob,\r\n"
        + "this is a test.\r\n";

    /// <summary>A user with certificate, key and PKCS#12 files under the user's name.</summary>
    public sealed record User(X509Certificate2 Certificate, string Crt, string Key, string P12);

    /// <summary>Writes root.pem and message.eml into the folder.</summary>
    public static void WriteBasics(TempDir dir)
    {
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        File.WriteAllText(dir.File("message.eml"), Message);
    }

    /// <summary>Issues a user and writes NAME.crt, NAME.key (PKCS#8) and NAME.p12 (password "secret").</summary>
    public static User WriteUser(TempDir dir, string name, TestKeyType keyType = TestKeyType.Rsa2048)
    {
        X509Certificate2 certificate = TestPki.Shared.Issue($"{name}@example.com", keyType);
        string crt = dir.File(name + ".crt");
        string key = dir.File(name + ".key");
        string p12 = dir.File(name + ".p12");
        TestPki.WritePem(certificate, crt, key);
        File.WriteAllBytes(
            p12, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Password));
        return new User(certificate, crt, key, p12);
    }

    /// <summary>Flips one base64 character in the body of the signature part.</summary>
    public static void TamperBody(string path, string from, string to)
    {
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    internal static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    internal static string Sha256(string path) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
