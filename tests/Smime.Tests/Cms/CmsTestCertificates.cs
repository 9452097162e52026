using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>Signer certificates issued once per test run from <see cref="TestPki.Shared"/>.</summary>
internal static class CmsTestCertificates
{
    private static readonly Dictionary<TestKeyType, Lazy<X509Certificate2>> s_signers =
        Enum.GetValues<TestKeyType>().ToDictionary(
            k => k,
            k => new Lazy<X509Certificate2>(
                () => TestPki.Shared.Issue($"{k.ToString().ToLowerInvariant()}@example.com", k)));

    public static X509Certificate2 Signer(TestKeyType keyType) => s_signers[keyType].Value;

    public static HashAlgorithmName Hash(string name) => new(name);

    /// <summary>Hashes content as the SignerInfo asks and checks its signature.</summary>
    public static SignerCheck Check(
        SignedData signedData,
        SignerInfo signer,
        ReadOnlySpan<byte> content,
        IEnumerable<X509Certificate2>? certificates = null)
    {
        byte[] digest = signer.DigestAlgorithm is { } algorithm
            ? CryptographicOperations.HashData(algorithm, content)
            : [];
        return signer.CheckSignature(
            digest, signedData.ContentType, certificates ?? signedData.Certificates);
    }

    /// <summary>Replaces the only occurrence of a byte pattern; fails when not exactly one.</summary>
    public static byte[] ReplaceOnce(byte[] data, byte[] pattern, byte[] replacement)
    {
        Assert.Equal(pattern.Length, replacement.Length);
        int at = data.AsSpan().IndexOf(pattern);
        Assert.True(at >= 0, "The pattern is not in the data.");
        Assert.True(data.AsSpan(at + 1).IndexOf(pattern) < 0, "The pattern occurs twice.");
        byte[] copy = (byte[])data.Clone();
        replacement.CopyTo(copy, at);
        return copy;
    }
}
