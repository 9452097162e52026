using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>The kinds of signature SignerInfos may carry.</summary>
internal enum SignatureKind
{
    RsaPkcs1,
    RsaPss,
    Ecdsa,

    /// <summary>PureEdDSA (RFC 8419): signs the message itself, not a hash of it.</summary>
    Ed25519,
}

/// <summary>A signature algorithm resolved from a SignerInfo, ready to verify with.</summary>
internal sealed record ResolvedSignature(
    SignatureKind Kind,
    HashAlgorithmName Hash,
    int PssSaltLength = -1);

/// <summary>
/// Maps the digest and signature algorithm identifiers of RFC 3370, RFC 4056, RFC 5754 and
/// RFC 5758 to .NET primitives, and Ed25519 (RFC 8419) to BouncyCastle, for signing and for
/// verifying.
/// </summary>
internal static class SignatureAlgorithms
{
    public static HashAlgorithmName? HashFromOid(string oid) => oid switch
    {
        Oids.Sha1 => HashAlgorithmName.SHA1,
        Oids.Sha256 => HashAlgorithmName.SHA256,
        Oids.Sha384 => HashAlgorithmName.SHA384,
        Oids.Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static string HashOid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => Oids.Sha1,
        "SHA256" => Oids.Sha256,
        "SHA384" => Oids.Sha384,
        "SHA512" => Oids.Sha512,
        _ => throw new NotSupportedException($"The digest algorithm {hash.Name} is not supported."),
    };

    public static int HashLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => 20,
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        _ => throw new NotSupportedException($"The digest algorithm {hash.Name} is not supported."),
    };

    /// <summary>"SHA-256", "MD5", or the OID itself when unknown.</summary>
    public static string HashDisplayName(string oid) => oid switch
    {
        Oids.Md5 => "MD5",
        Oids.Sha1 => "SHA-1",
        Oids.Sha256 => "SHA-256",
        Oids.Sha384 => "SHA-384",
        Oids.Sha512 => "SHA-512",
        _ => oid,
    };

    /// <summary>The digest algorithms we create signatures with (RFC 8551 §2.1).</summary>
    public static bool IsSigningHash(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ||
        hash == HashAlgorithmName.SHA384 ||
        hash == HashAlgorithmName.SHA512;

    /// <summary>A name a person reads; never throws, whatever the parameters hold.</summary>
    public static string DisplayName(AlgorithmIdentifierAsn signature, string digestOid)
    {
        string digest = HashDisplayName(digestOid);
        switch (signature.Oid)
        {
            case Oids.Rsa:
                return $"RSA PKCS#1 v1.5 with {digest}";
            case Oids.Md5WithRsa:
            case Oids.Sha1WithRsa:
            case Oids.Sha256WithRsa:
            case Oids.Sha384WithRsa:
            case Oids.Sha512WithRsa:
                return $"RSA PKCS#1 v1.5 with {HashDisplayName(ImpliedHashOid(signature.Oid)!)}";
            case Oids.RsaPss:
                return TryReadPss(signature, out PssParametersAsn pss, out _)
                    ? $"RSASSA-PSS with {HashDisplayName(pss.HashOid)}"
                    : "RSASSA-PSS (malformed parameters)";
            case Oids.EcPublicKey:
                return $"ECDSA with {digest}";
            case Oids.EcdsaWithSha1:
            case Oids.EcdsaWithSha256:
            case Oids.EcdsaWithSha384:
            case Oids.EcdsaWithSha512:
                return $"ECDSA with {HashDisplayName(ImpliedHashOid(signature.Oid)!)}";
            case Oids.Ed25519:
                return "Ed25519";
            default:
                return signature.Oid;
        }
    }

    /// <summary>
    /// Resolves a SignerInfo's algorithms to a verifier, or says why not. The digest has been
    /// accepted by the caller; a hash that the signature algorithm names must equal it.
    /// </summary>
    public static ResolvedSignature? Resolve(
        AlgorithmIdentifierAsn signature,
        HashAlgorithmName digest,
        out string? failure)
    {
        failure = null;
        switch (signature.Oid)
        {
            case Oids.Rsa:
                return new ResolvedSignature(SignatureKind.RsaPkcs1, digest);
            case Oids.EcPublicKey:
                // Compat: some writers put id-ecPublicKey here and leave the hash to
                // digestAlgorithm, as rsaEncryption does for RSA (RFC 5753 §7.1.3).
                return new ResolvedSignature(SignatureKind.Ecdsa, digest);
            case Oids.Md5WithRsa:
                failure = "The signature algorithm md5WithRSAEncryption is refused: MD5 is " +
                    "broken (RFC 6151).";
                return null;
            case Oids.Sha1WithRsa:
            case Oids.Sha256WithRsa:
            case Oids.Sha384WithRsa:
            case Oids.Sha512WithRsa:
                return WithImpliedHash(SignatureKind.RsaPkcs1, signature.Oid, digest, out failure);
            case Oids.EcdsaWithSha1:
            case Oids.EcdsaWithSha256:
            case Oids.EcdsaWithSha384:
            case Oids.EcdsaWithSha512:
                return WithImpliedHash(SignatureKind.Ecdsa, signature.Oid, digest, out failure);
            case Oids.RsaPss:
                return ResolvePss(signature, digest, out failure);
            case Oids.Ed25519:
                return ResolveEd25519(signature, digest, out failure);
            default:
                string name = DisplayName(signature, Oids.Sha256);
                failure = name == signature.Oid
                    ? $"The signature algorithm {signature.Oid} is not supported."
                    : $"The signature algorithm {name} ({signature.Oid}) is not supported.";
                return null;
        }
    }

    /// <summary>
    /// Whether the certificate's public key verifies the signature over the hash, or for
    /// Ed25519 over the message itself.
    /// </summary>
    public static bool Verify(
        ResolvedSignature algorithm,
        X509Certificate2 certificate,
        ReadOnlySpan<byte> hash,
        ReadOnlySpan<byte> signature,
        out string? failure)
    {
        failure = null;
        try
        {
            if (algorithm.Kind == SignatureKind.Ed25519)
            {
                return Ed25519Signatures.Verify(certificate, hash, signature, out failure);
            }

            if (algorithm.Kind == SignatureKind.Ecdsa)
            {
                using ECDsa? ec = certificate.GetECDsaPublicKey();
                if (ec is null)
                {
                    failure = $"The certificate '{certificate.Subject}' has no EC key for ECDSA.";
                    return false;
                }

                return ec.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence);
            }

            using RSA? rsa = certificate.GetRSAPublicKey();
            if (rsa is null)
            {
                failure = $"The certificate '{certificate.Subject}' has no RSA key for RSA.";
                return false;
            }

            if (algorithm.Kind == SignatureKind.RsaPss
                && algorithm.PssSaltLength != HashLength(algorithm.Hash))
            {
                return PssWithSalt.Verify(rsa, algorithm, hash, signature);
            }

            RSASignaturePadding padding = algorithm.Kind == SignatureKind.RsaPss
                ? RSASignaturePadding.Pss
                : RSASignaturePadding.Pkcs1;
            return rsa.VerifyHash(hash, signature, algorithm.Hash, padding);
        }
        catch (CryptographicException e)
        {
            failure = $"The key of the certificate '{certificate.Subject}' cannot verify: " +
                e.Message;
            return false;
        }
    }

    /// <summary>
    /// Signs the DER of the signed attributes with the signer's private key; returns the
    /// signatureAlgorithm to write: shaXWithRSAEncryption with NULL (RFC 5754 §3.2),
    /// id-RSASSA-PSS with its parameters (RFC 4056 §2), ecdsa-with-SHAx with absent parameters
    /// (RFC 5758 §3.2), or id-Ed25519 with absent parameters (RFC 8419 §2.3).
    /// </summary>
    public static (AlgorithmIdentifierAsn Algorithm, byte[] Signature) Sign(
        CmsSigner signer,
        ReadOnlySpan<byte> signedAttributes)
    {
        HashAlgorithmName digest = signer.DigestAlgorithm;
        if (signer.Key is { } key)
        {
            // RFC 8419 §3.2: PureEdDSA over the DER of the signed attributes themselves.
            if (signer.UsePss)
            {
                throw new ArgumentException(
                    "RSASSA-PSS was asked for, but the signer's key is an Ed25519 key.",
                    nameof(signer));
            }

            byte[] ed25519 = Ed25519Signatures.Sign(key.Pkcs8PrivateKey, signedAttributes);
            return (new AlgorithmIdentifierAsn(Oids.Ed25519, null), ed25519);
        }

        byte[] hash = CryptographicOperations.HashData(digest, signedAttributes);
        using RSA? rsa = signer.Certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            if (signer.UsePss)
            {
                byte[] pss = rsa.SignHash(hash, digest, RSASignaturePadding.Pss);
                var pssAlgorithm = new AlgorithmIdentifierAsn(
                    Oids.RsaPss, PssParametersAsn.Encode(digest));
                return (pssAlgorithm, pss);
            }

            string oid = digest.Name switch
            {
                "SHA256" => Oids.Sha256WithRsa,
                "SHA384" => Oids.Sha384WithRsa,
                _ => Oids.Sha512WithRsa,
            };
            byte[] pkcs1 = rsa.SignHash(hash, digest, RSASignaturePadding.Pkcs1);
            return (AlgorithmIdentifierAsn.WithNull(oid), pkcs1);
        }

        using ECDsa? ec = signer.Certificate.GetECDsaPrivateKey();
        if (ec is not null)
        {
            if (signer.UsePss)
            {
                throw new ArgumentException(
                    $"RSASSA-PSS was asked for, but the key of '{signer.Certificate.Subject}' " +
                    "is not an RSA key.",
                    nameof(signer));
            }

            string oid = digest.Name switch
            {
                "SHA256" => Oids.EcdsaWithSha256,
                "SHA384" => Oids.EcdsaWithSha384,
                _ => Oids.EcdsaWithSha512,
            };
            byte[] signature = ec.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
            return (new AlgorithmIdentifierAsn(oid, null), signature);
        }

        throw new NotSupportedException(
            $"The key algorithm {signer.Certificate.GetKeyAlgorithm()} of " +
            $"'{signer.Certificate.Subject}' cannot sign CMS here; RSA and ECDSA can, and " +
            "Ed25519 through a CertificateKey.");
    }

    private static string? ImpliedHashOid(string signatureOid) => signatureOid switch
    {
        Oids.Md5WithRsa => Oids.Md5,
        Oids.Sha1WithRsa or Oids.EcdsaWithSha1 => Oids.Sha1,
        Oids.Sha256WithRsa or Oids.EcdsaWithSha256 => Oids.Sha256,
        Oids.Sha384WithRsa or Oids.EcdsaWithSha384 => Oids.Sha384,
        Oids.Sha512WithRsa or Oids.EcdsaWithSha512 => Oids.Sha512,
        _ => null,
    };

    private static ResolvedSignature? WithImpliedHash(
        SignatureKind kind,
        string signatureOid,
        HashAlgorithmName digest,
        out string? failure)
    {
        string impliedOid = ImpliedHashOid(signatureOid)!;
        if (impliedOid != HashOid(digest))
        {
            failure = $"The signature algorithm {signatureOid} names " +
                $"{HashDisplayName(impliedOid)}, but the digestAlgorithm is " +
                $"{HashDisplayName(HashOid(digest))}.";
            return null;
        }

        failure = null;
        return new ResolvedSignature(kind, digest);
    }

    // RFC 4056 §3: the PSS hash is the SignerInfo's digest algorithm, and MGF1 uses the same.
    private static ResolvedSignature? ResolvePss(
        AlgorithmIdentifierAsn signature,
        HashAlgorithmName digest,
        out string? failure)
    {
        if (!TryReadPss(signature, out PssParametersAsn pss, out failure))
        {
            return null;
        }

        string digestOid = HashOid(digest);
        if (pss.HashOid != digestOid)
        {
            failure = $"The RSASSA-PSS hash {HashDisplayName(pss.HashOid)} differs from the " +
                $"digestAlgorithm {HashDisplayName(digestOid)}.";
            return null;
        }

        if (pss.MaskGenOid != Oids.Mgf1 || pss.MaskGenHashOid != pss.HashOid)
        {
            failure = $"The RSASSA-PSS mask generation ({pss.MaskGenOid} with " +
                $"{HashDisplayName(pss.MaskGenHashOid ?? "no hash")}) is not MGF1 with " +
                $"{HashDisplayName(pss.HashOid)}, the only form supported.";
            return null;
        }

        if (pss.TrailerField != 1)
        {
            failure = $"The RSASSA-PSS trailerField {pss.TrailerField} is not 1 (RFC 4055 §3.1).";
            return null;
        }

        return new ResolvedSignature(SignatureKind.RsaPss, digest, pss.SaltLength);
    }

    // RFC 8419 §2.3: id-Ed25519 with absent parameters; §3.1: the digestAlgorithm is SHA-512.
    private static ResolvedSignature? ResolveEd25519(
        AlgorithmIdentifierAsn signature,
        HashAlgorithmName digest,
        out string? failure)
    {
        if (signature.Parameters is not null)
        {
            failure = "The id-Ed25519 signature algorithm has parameters; RFC 8419 §2.3 " +
                "requires them absent.";
            return null;
        }

        if (digest != HashAlgorithmName.SHA512)
        {
            failure = $"The digestAlgorithm {HashDisplayName(HashOid(digest))} is not SHA-512, " +
                "which RFC 8419 §3.1 requires with Ed25519.";
            return null;
        }

        failure = null;
        return new ResolvedSignature(SignatureKind.Ed25519, digest);
    }

    private static bool TryReadPss(
        AlgorithmIdentifierAsn signature,
        out PssParametersAsn parameters,
        out string? failure)
    {
        parameters = default;
        if (signature.Parameters is not { } encoded)
        {
            failure = "The RSASSA-PSS signature algorithm has no parameters (RFC 4056 §2).";
            return false;
        }

        try
        {
            parameters = PssParametersAsn.Read(encoded);
            failure = null;
            return true;
        }
        catch (CryptographicException e)
        {
            failure = e.Message;
            return false;
        }
    }
}
