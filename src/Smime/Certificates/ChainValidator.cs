using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Certificates;

/// <summary>Builds and checks a certificate's path to the given trust anchors (RFC 5280).</summary>
public static class ChainValidator
{
    private const X509ChainStatusFlags NoPathFlags =
        X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;

    /// <summary>
    /// Validates the certificate's chain against the anchors only (never the system store),
    /// at the given time, and the signer's key usage and extended key usage (RFC 8550 §4.4).
    /// Revocation is not checked by this overload.
    /// </summary>
    public static ChainResult Validate(
        X509Certificate2 certificate,
        X509Certificate2Collection trustAnchors,
        X509Certificate2Collection extraCertificates,
        DateTimeOffset? at = null) =>
        Validate(certificate, trustAnchors, extraCertificates,
            new ChainValidationOptions { At = at });

    /// <summary>
    /// Validates as the overload above does, then, with
    /// <see cref="ChainValidationOptions.Revocation"/>, checks each certificate of the path but
    /// the anchor: any revoked gives <see cref="ChainOutcome.Revoked"/>, any without an answer
    /// <see cref="ChainOutcome.RevocationUnknown"/>.
    /// </summary>
    public static ChainResult Validate(
        X509Certificate2 certificate,
        X509Certificate2Collection trustAnchors,
        X509Certificate2Collection extraCertificates,
        ChainValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        ArgumentNullException.ThrowIfNull(extraCertificates);

        DateTimeOffset now = options.At ?? DateTimeOffset.UtcNow;
        ChainResult current = ValidateAt(
            certificate, trustAnchors, extraCertificates, options, now, options.Revocation);
        if (options.SigningTime is not { } signed || trustAnchors.Count == 0)
        {
            return current;
        }

        if (signed > now)
        {
            return current with
            {
                Reason = current.Reason + $" The signingTime {signed.UtcDateTime:u} is in the "
                    + "future, so the path was validated only at "
                    + $"{now.UtcDateTime:u}.",
            };
        }

        // The signing time is checked for validity periods and path only; revocation is
        // asked once, now, since a CRL or OCSP answer speaks of the present.
        ChainResult then = ValidateAt(
            certificate, trustAnchors, extraCertificates, options, signed, revocationChecker: null);
        return Combine(current, then, signed);
    }

    // RFC 8550 §4.2 leaves the choice of time to the verifier. A path that was not valid at the
    // signer's own claimed time is refused for that first; a path valid then but expired now
    // stays Expired (the signingTime is unauthenticated), with the reason saying it was valid.
    private static ChainResult Combine(ChainResult now, ChainResult then, DateTimeOffset signed)
    {
        string at = $"{signed.UtcDateTime:u}";
        if (then.Outcome is ChainOutcome.Expired or ChainOutcome.NotYetValid)
        {
            return then with { Reason = $"At the signing time {at}: {then.Reason}" };
        }

        if (now.Outcome == ChainOutcome.Expired && then.IsTrusted)
        {
            return now with
            {
                Reason = now.Reason + $" It was valid at the signing time {at}, but a "
                    + "signingTime is only the signer's claim.",
            };
        }

        if (now.IsTrusted && !then.IsTrusted)
        {
            return then with { Reason = $"At the signing time {at}: {then.Reason}" };
        }

        if (now.IsTrusted)
        {
            return now with
            {
                Reason = now.Reason + $" The path is valid at the signing time {at} and now.",
            };
        }

        return now;
    }

    private static ChainResult ValidateAt(
        X509Certificate2 certificate,
        X509Certificate2Collection trustAnchors,
        X509Certificate2Collection extraCertificates,
        ChainValidationOptions options,
        DateTimeOffset time,
        RevocationChecker? revocationChecker)
    {

        if (trustAnchors.Count == 0)
        {
            return new ChainResult(ChainOutcome.NoPathToAnchor,
                $"The certificate '{certificate.Subject}' was not checked: "
                + "no trust anchors were given.",
                []);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchors);
        chain.ChainPolicy.ExtraStore.AddRange(extraCertificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;

        bool built;
        try
        {
            built = chain.Build(certificate);
        }
        catch (CryptographicException e)
        {
            // OpenSSL refuses some damaged certificates outright (a key that does not parse)
            // instead of reporting a chain status.
            return new ChainResult(ChainOutcome.Invalid,
                $"The certificate '{certificate.Subject}' could not be checked: it is damaged "
                + $"({e.Message}).",
                []);
        }

        List<X509Certificate2> path = CopyPath(certificate, chain);
        if (!built || chain.ChainStatus.Any(s => s.Status != X509ChainStatusFlags.NoError))
        {
            return Fail(certificate, chain, time, path);
        }

        string? usage = options.CheckSigningUsage ? CheckUsage(certificate) : null;
        if (usage is not null)
        {
            return new ChainResult(ChainOutcome.WrongUsage, usage, path);
        }

        var notChecked = new List<string>();
        if (revocationChecker is { } revocation)
        {
            ChainResult? revoked = CheckRevocation(revocation, path, notChecked);
            if (revoked is not null)
            {
                return revoked;
            }
        }

        return new ChainResult(ChainOutcome.Trusted,
            $"The certificate '{certificate.Subject}' chains to the trust anchor "
            + $"'{path[^1].Subject}'"
            + DescribeRevocation(revocationChecker is not null, notChecked, path.Count - 1),
            path);
    }

    // What the Trusted reason says of revocation: nothing when it was not asked for; which
    // certificates named no distribution point, when some did not (RevocationStatus.NotChecked).
    private static string DescribeRevocation(bool asked, List<string> notChecked, int checkable)
    {
        if (!asked)
        {
            return ".";
        }

        if (notChecked.Count == 0)
        {
            return " and no certificate of the path is revoked.";
        }

        if (notChecked.Count >= checkable)
        {
            return "; revocation not checked: no distribution point.";
        }

        return " and no checked certificate of the path is revoked; revocation not checked for "
            + string.Join(", ", notChecked.Select(s => $"'{s}'")) + ": no distribution point.";
    }

    // RFC 5280 §6.3: every certificate but the anchor is checked against its issuer; a
    // revocation outranks an unknown, so all are asked before answering.
    private static ChainResult? CheckRevocation(
        RevocationChecker revocation,
        List<X509Certificate2> path,
        List<string> notChecked)
    {
        RevocationCheck? unknown = null;
        for (int i = 0; i < path.Count - 1; i++)
        {
            RevocationCheck check = revocation.Check(path[i], path[i + 1]);
            if (check.Status == RevocationStatus.Revoked)
            {
                return new ChainResult(ChainOutcome.Revoked, check.Reason, path);
            }

            if (check.Status == RevocationStatus.Unknown)
            {
                unknown ??= check;
            }

            if (check.Status == RevocationStatus.NotChecked)
            {
                notChecked.Add(path[i].Subject);
            }
        }

        return unknown is null
            ? null
            : new ChainResult(ChainOutcome.RevocationUnknown, unknown.Reason, path);
    }

    private static ChainResult Fail(
        X509Certificate2 certificate,
        X509Chain chain,
        DateTimeOffset time,
        List<X509Certificate2> path)
    {
        X509ChainStatusFlags all = chain.ChainStatus
            .Aggregate(X509ChainStatusFlags.NoError, (acc, s) => acc | s.Status);

        if ((all & NoPathFlags) != 0)
        {
            return new ChainResult(ChainOutcome.NoPathToAnchor,
                $"The certificate '{certificate.Subject}' does not chain to any of the "
                + "trust anchors.",
                path);
        }

        foreach (X509ChainElement element in chain.ChainElements)
        {
            X509ChainStatusFlags flags = element.ChainElementStatus
                .Aggregate(X509ChainStatusFlags.NoError, (acc, s) => acc | s.Status);
            X509Certificate2 cert = element.Certificate;
            if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                return cert.NotBefore.ToUniversalTime() > time.UtcDateTime
                    ? new ChainResult(ChainOutcome.NotYetValid,
                        $"The certificate '{cert.Subject}' is not valid before "
                        + $"{cert.NotBefore.ToUniversalTime():u}.", path)
                    : new ChainResult(ChainOutcome.Expired,
                        $"The certificate '{cert.Subject}' expired on "
                        + $"{cert.NotAfter.ToUniversalTime():u}.", path);
            }

            if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
            {
                return new ChainResult(ChainOutcome.WrongUsage,
                    $"The certificate '{cert.Subject}' is not valid for this usage.", path);
            }

            if (flags != X509ChainStatusFlags.NoError)
            {
                return new ChainResult(ChainOutcome.Invalid,
                    $"The certificate '{cert.Subject}' is invalid: {Describe(element)}.", path);
            }
        }

        return new ChainResult(ChainOutcome.Invalid,
            $"The chain of certificate '{certificate.Subject}' is invalid: "
            + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())) + ".",
            path);
    }

    // RFC 8550 §4.4.2, §4.4.4: a signer's keyUsage, when present, needs digitalSignature or
    // nonRepudiation; its extendedKeyUsage, when present, needs emailProtection or any.
    private static string? CheckUsage(X509Certificate2 certificate)
    {
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509KeyUsageExtension keyUsage)
            {
                const X509KeyUsageFlags signing =
                    X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;
                if ((keyUsage.KeyUsages & signing) == 0)
                {
                    return $"The certificate '{certificate.Subject}' has a keyUsage without "
                        + "digitalSignature or nonRepudiation.";
                }
            }
            else if (extension is X509EnhancedKeyUsageExtension eku)
            {
                bool allowed = eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()
                    .Any(o => o.Value is Oids.EmailProtection or Oids.AnyExtendedKeyUsage);
                if (!allowed)
                {
                    return $"The certificate '{certificate.Subject}' has an extendedKeyUsage "
                        + "without emailProtection.";
                }
            }
        }

        return null;
    }

    private static List<X509Certificate2> CopyPath(X509Certificate2 leaf, X509Chain chain)
    {
        // The chain disposes its elements' certificates, so the path keeps copies.
        var path = new List<X509Certificate2> { leaf };
        for (int i = 1; i < chain.ChainElements.Count; i++)
        {
            byte[] encoded = chain.ChainElements[i].Certificate.RawData;
            path.Add(X509CertificateLoader.LoadCertificate(encoded));
        }

        return path;
    }

    private static string Describe(X509ChainElement element) =>
        string.Join("; ", element.ChainElementStatus.Select(s => s.StatusInformation.Trim()));
}
