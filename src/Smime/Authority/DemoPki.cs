using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smime.Authority;

/// <summary>
/// A throwaway PKI for demonstrations: a self-signed root and RSA-2048 users for email
/// addresses, made in memory. Never use its certificates for real mail.
/// </summary>
public sealed class DemoPki : IDisposable
{
    /// <summary>Days the root and the users stay valid.</summary>
    public const int ValidityDays = 30;

    /// <summary>PBKDF2 iterations for the key files written.</summary>
    public const int KeyIterations = 600_000;

    private const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";

    private DemoPki(X509Certificate2 root)
    {
        Root = root;
    }

    /// <summary>The self-signed root, with its private key.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>Creates a fresh root under the given name.</summary>
    public static DemoPki Create(string rootName = "CN=smime Demo Root, O=smime demo")
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            rootName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // Backdated an hour so a clock a little behind still accepts the certificates.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new DemoPki(request.CreateSelfSigned(now.AddHours(-1), now.AddDays(ValidityDays)));
    }

    /// <summary>
    /// Issues an RSA-2048 certificate for <paramref name="email"/>: rfc822Name in
    /// subjectAltName (RFC 8550 §3), digitalSignature and keyEncipherment, EKU
    /// emailProtection; the private key is attached.
    /// </summary>
    /// <param name="email">The user's address.</param>
    /// <param name="displayName">The common name; the address when null.</param>
    public X509Certificate2 IssueUser(string email, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(displayName ?? email);
        subject.AddEmailAddress(email);

        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(EmailProtectionOid) }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress(email);
        request.CertificateExtensions.Add(san.Build());

        // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets.
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // RFC 5280 §6.1.3 does not ask it, but .NET refuses a user outliving its issuer.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset notAfter = now.AddDays(ValidityDays);
        if (notAfter > Root.NotAfter)
        {
            notAfter = Root.NotAfter;
        }

        using X509Certificate2 certificate = request.Create(
            Root, now.AddHours(-1), notAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Writes a user's files for other tools: NAME.p12 (PKCS#12, AES-256 and PBKDF2), NAME.crt
    /// (PEM certificate) and NAME.key (encrypted PKCS#8 PEM); keys are never written in clear.
    /// </summary>
    /// <param name="user">A certificate with its private key.</param>
    /// <param name="folder">An existing folder.</param>
    /// <param name="name">The base file name.</param>
    /// <param name="password">The password for the PKCS#12 and the key.</param>
    public static void WriteIdentity(
        X509Certificate2 user,
        string folder,
        string name,
        string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        using RSA key = user.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA private key.", nameof(user));

        byte[] pkcs12 = user.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        WriteOwnerOnly(Path.Combine(folder, name + ".p12"), pkcs12);
        File.WriteAllText(Path.Combine(folder, name + ".crt"), user.ExportCertificatePem() + "\n");
        var pbe = new PbeParameters(
            PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, KeyIterations);
        WriteOwnerOnly(
            Path.Combine(folder, name + ".key"),
            Encoding.ASCII.GetBytes(key.ExportEncryptedPkcs8PrivateKeyPem(password, pbe) + "\n"));
    }

    // Private keys, encrypted or not, are the owner's to read: created 0600 on Unix, and an
    // older file of the name is narrowed to that before it is overwritten.
    private static void WriteOwnerOnly(string path, byte[] data)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        using var file = new FileStream(path, options);
        file.Write(data);
    }

    /// <inheritdoc/>
    public void Dispose() => Root.Dispose();
}
