using System.CommandLine;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>--store, and the revocation switches of verbs that use the store.</summary>
internal sealed class StoreOptions
{
    public Option<string?> Store { get; } = new("--store")
    {
        Description = "The certificate store folder; $SMIME_HOME, else ~/.smime.",
        HelpName = "DIR",
    };

    public Option<bool> CheckRevocation { get; } = new("--check-revocation")
    {
        Description = "Check revocation: cached CRLs, then CRL distribution points and OCSP; "
            + "a certificate naming neither is then 'revocation unknown'.",
    };

    public Option<bool> Offline { get; } = new("--offline")
    {
        Description = "Check revocation with cached CRLs only; no network.",
    };

    public Option<bool> NoRevocation { get; } = new("--no-revocation")
    {
        Description = "Do not check revocation (checked by default where a certificate names "
            + "a CRL distribution point or OCSP responder).",
    };

    /// <summary>Whether revocation is checked unless --no-revocation (verify).</summary>
    public bool RevocationByDefault { get; private set; }

    public void AddTo(Command command, bool revocation, bool revocationByDefault = false)
    {
        command.Options.Add(Store);
        if (revocation)
        {
            command.Options.Add(CheckRevocation);
            command.Options.Add(Offline);
        }

        if (revocationByDefault)
        {
            RevocationByDefault = true;
            command.Options.Add(NoRevocation);
        }
    }

    public CertificateStore Open(ParseResult result) =>
        CertificateStore.Open(result.GetValue(Store));

    /// <summary>
    /// The store, for verbs that only read or change what is in one: a missing store is a
    /// usage error, never created as a side effect.
    /// </summary>
    public CertificateStore OpenExisting(ParseResult result)
    {
        string folder = result.GetValue(Store) ?? CertificateStore.DefaultDirectory;
        if (!File.Exists(Path.Combine(folder, CertificateStore.FileName)))
        {
            throw new UsageException(folder, "no store here yet; 'smime certs import', "
                + "'smime key new' or 'smime ca init' makes one.");
        }

        return CertificateStore.Open(folder);
    }

    /// <summary>
    /// The store when --store was given or the default store exists; null otherwise, so that
    /// verbs that can work without a store never create one.
    /// </summary>
    public CertificateStore? OpenIfExists(ParseResult result)
    {
        string? folder = result.GetValue(Store);
        if (folder is null
            && !File.Exists(Path.Combine(CertificateStore.DefaultDirectory, CertificateStore.FileName)))
        {
            return null;
        }

        return CertificateStore.Open(folder);
    }

    /// <summary>
    /// A revocation checker when --check-revocation or --offline was given, or by default
    /// where the verb checks by default (then certificates naming no distribution point are
    /// left unchecked, and said so) unless --no-revocation.
    /// </summary>
    public RevocationChecker? Revocation(ParseResult result, CertificateStore? store)
    {
        bool offline = result.GetValue(Offline);
        bool asked = offline || result.GetValue(CheckRevocation);
        if (RevocationByDefault && result.GetValue(NoRevocation))
        {
            if (asked)
            {
                throw new UsageException("--no-revocation",
                    "cannot be combined with --check-revocation or --offline.");
            }

            return null;
        }

        if (!asked && !RevocationByDefault)
        {
            return null;
        }

        return new RevocationChecker(store, new RevocationOptions
        {
            Offline = offline,
            NotCheckedWithoutSources = RevocationByDefault && !result.GetValue(CheckRevocation),
        });
    }

    /// <summary>
    /// One certificate named by a thumbprint (or a unique prefix of 8 hex digits or more) or
    /// an address with exactly one certificate.
    /// </summary>
    public static StoredCertificate Select(CertificateStore store, string selector)
    {
        if (selector.Contains('@'))
        {
            IReadOnlyList<StoredCertificate> found = store.FindByAddress(selector);
            return found.Count switch
            {
                1 => found[0],
                0 => throw new UsageException(selector, "no certificate in the store has it."),
                _ => throw new UsageException(selector,
                    $"{found.Count} certificates have it; name one by thumbprint: "
                    + string.Join(", ", found.Select(f => f.Thumbprint[..16])) + "."),
            };
        }

        return store.Find(selector)
            ?? throw new UsageException(selector,
                "no certificate in the store has this thumbprint (or the prefix is ambiguous).");
    }
}
