using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>
/// Our SMIMECapabilities as `openssl cms` (3.0) prints it from a message we sign, and
/// OpenSSL's own list as we read it.
/// </summary>
public sealed partial class SmimeCapabilitiesInteropTests
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain\r\n\r\nCapabilities.\r\n");

    [Fact]
    public void CreateEncapsulated_Capabilities_PrintedByOpenSslEntryByEntry()
    {
        // `openssl cms -cmsout -print` dumps the attribute value as asn1parse lines; each
        // entry below is an SMIMECapability with what OpenSSL found inside it, so OIDs,
        // order, NULLs and the context tags of the RSA parameters are all checked.
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("sig.der"), SignedData.CreateEncapsulated(
            [new CmsSigner(Signer(TestKeyType.EcP256))], s_content));

        Peer.Result print = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-inform", "DER",
            "-in", "sig.der", "-noout");

        Assert.Equal(
            [
                "aes-256-gcm",
                "1.2.840.113549.1.9.16.3.18",
                "aes-128-gcm",
                "aes-256-cbc",
                "aes-128-cbc",
                "dhSinglePass-stdDH-sha256kdf-scheme id-aes256-wrap",
                "dhSinglePass-stdDH-sha384kdf-scheme id-aes256-wrap",
                "dhSinglePass-stdDH-sha512kdf-scheme id-aes256-wrap",
                "dhSinglePass-stdDH-sha256kdf-scheme id-aes128-wrap",
                "1.2.840.113549.1.9.16.3.19 id-aes256-wrap",
                "1.2.840.113549.1.9.16.3.21 id-aes256-wrap",
                "1.2.840.113549.1.9.16.3.19 id-aes128-wrap",
                "rsaesOaep [0] sha256 NULL [1] mgf1 sha256 NULL",
                "rsaEncryption",
                "ecdsa-with-SHA256",
                "ED25519",
                "rsassaPss [0] sha256 NULL [1] mgf1 sha256 NULL [2] INTEGER :20",
                "sha256WithRSAEncryption NULL",
            ],
            PrintedCapabilities(print.StdOut));
    }

    [Fact]
    public void Capabilities_OpenSslSignedMessage_DecodedWithItsParameters()
    {
        // OpenSSL's default list carries RC2 with an INTEGER parameter and ciphers we do not
        // write; we keep every entry and prefer only what we can produce.
        using var dir = new TempDir();
        X509Certificate2 certificate = Signer(TestKeyType.EcP256);
        TestPki.WritePem(certificate, dir.File("signer.pem"), dir.File("signer.key"));
        File.WriteAllBytes(dir.File("content.bin"), s_content);
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-binary", "-in", "content.bin",
            "-signer", "signer.pem", "-inkey", "signer.key", "-outform", "DER",
            "-out", "sig.der");
        Peer.Result print = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-inform", "DER",
            "-in", "sig.der", "-noout");

        SignerInfo info = SignedData.Decode(File.ReadAllBytes(dir.File("sig.der")))
            .SignerInfos.Single();

        List<string> printed = PrintedCapabilities(print.StdOut);
        Assert.Equal(printed.Count, info.Capabilities.Count);
        Assert.Contains("rc2-cbc INTEGER :80", printed);
        SmimeCapability rc2 = info.Capabilities.First(c => c.Oid == "1.2.840.113549.3.2");
        Assert.Equal("02020080", Convert.ToHexString(rc2.Parameters.Span));
        Assert.Equal(
            [
                ContentEncryptionAlgorithm.Aes256Cbc, ContentEncryptionAlgorithm.Aes192Cbc,
                ContentEncryptionAlgorithm.Aes128Cbc,
            ],
            SmimeCapabilities.Preferred(info.Capabilities));
    }

    // The asn1parse lines under "S/MIME Capabilities", one string per depth-1 entry: OIDs by
    // OpenSSL's name, "[n]" for context tags, primitives by type; SEQUENCE headers dropped.
    private static List<string> PrintedCapabilities(string print)
    {
        string[] lines = print.Split('\n');
        int at = Array.FindIndex(lines, l => l.Contains("S/MIME Capabilities"));
        Assert.True(at >= 0, $"No S/MIME Capabilities in:\n{print}");

        var entries = new List<List<string>>();
        bool started = false;
        for (int i = at + 1; i < lines.Length; i++)
        {
            Match line = ParseLine().Match(lines[i]);
            if (!line.Success)
            {
                if (started)
                {
                    break;
                }

                continue;
            }

            started = true;
            int depth = int.Parse(line.Groups["depth"].Value);
            string item = line.Groups["item"].Value.Trim();
            if (depth == 1)
            {
                entries.Add([]);
            }
            else if (depth > 1 && item != "SEQUENCE")
            {
                entries[^1].Add(Describe(item));
            }
        }

        return entries.Select(e => string.Join(' ', e)).ToList();
    }

    private static string Describe(string item)
    {
        Match context = ContextTag().Match(item);
        if (context.Success)
        {
            return $"[{context.Groups[1].Value}]";
        }

        if (item.StartsWith("OBJECT", StringComparison.Ordinal))
        {
            return item[(item.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        return Regex.Replace(item, @"\s+", " ");
    }

    [GeneratedRegex(@"^\s*\d+:d=(?<depth>\d+)\s+hl=\d+\s+l=\s*\d+\s+(?:prim|cons):\s*(?<item>.*)$")]
    private static partial Regex ParseLine();

    [GeneratedRegex(@"^cont \[\s*(\d+)\s*\]")]
    private static partial Regex ContextTag();
}
