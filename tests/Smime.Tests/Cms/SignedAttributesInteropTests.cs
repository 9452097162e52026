using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>
/// Our SMIMECapabilities and SMIMEEncryptionKeyPreference attributes as `openssl cms` (3.0)
/// reads them: the signature still verifies, and it decodes both attributes.
/// </summary>
public sealed class SignedAttributesInteropTests
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain\r\n\r\nAttributes.\r\n");

    [Fact]
    public void CreateEncapsulated_CapabilitiesAndKeyPreference_VerifiedAndReadByOpenSsl()
    {
        using var dir = new TempDir();
        X509Certificate2 encryption = Signer(TestKeyType.Rsa3072);
        var signer = new CmsSigner(Signer(TestKeyType.EcP256))
        {
            EncryptionCertificate = encryption,
        };
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        File.WriteAllBytes(
            dir.File("sig.der"), SignedData.CreateEncapsulated([signer], s_content));

        Peer.Result verify = Peer.OpenSsl(dir.Path, "cms", "-verify", "-inform", "DER",
            "-in", "sig.der", "-binary", "-CAfile", "root.pem", "-out", "out.bin");
        Peer.Result print = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-inform", "DER",
            "-in", "sig.der", "-noout");

        Assert.Contains("Verification successful", verify.StdErr);
        Assert.Equal(s_content, File.ReadAllBytes(dir.File("out.bin")));
        Assert.Contains("id-smime-aa-encrypKeyPref", print.StdOut);
        Assert.Contains("S/MIME Capabilities", print.StdOut);
    }

    [Fact]
    public void CreateEncapsulated_Capabilities_ParsedByOpenSslAsn1Parse()
    {
        // openssl asn1parse walks the attribute value: every entry of our list is DER that
        // another parser reads, in our order.
        using var dir = new TempDir();
        File.WriteAllBytes(
            dir.File("caps.der"), SmimeCapabilities.Encode(SmimeCapabilities.Supported));

        Peer.Result parse = Peer.OpenSsl(dir.Path, "asn1parse", "-inform", "DER",
            "-in", "caps.der");

        // Key agreement before key transport since the RFC 8551 §2.5.2 review (issue 5).
        string[] names =
        [
            "aes-256-gcm", ":1.2.840.113549.1.9.16.3.18", "aes-128-gcm", "aes-256-cbc",
            "aes-128-cbc", "dhSinglePass-stdDH-sha256kdf-scheme",
            "dhSinglePass-stdDH-sha384kdf-scheme", "dhSinglePass-stdDH-sha512kdf-scheme",
            ":1.2.840.113549.1.9.16.3.19", ":1.2.840.113549.1.9.16.3.21", "rsaesOaep",
            "rsaEncryption", "ecdsa-with-SHA256", "ED25519", "rsassaPss",
            "sha256WithRSAEncryption",
        ];
        int at = 0;
        foreach (string name in names)
        {
            int found = parse.StdOut.IndexOf(name, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"{name} is missing or out of order:\n{parse.StdOut}");
            at = found + name.Length;
        }
    }
}
