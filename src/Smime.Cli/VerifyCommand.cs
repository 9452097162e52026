using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime verify`: opens every layer of a message and prints the signature verdict.</summary>
internal sealed class VerifyCommand
{
    private readonly Argument<string?> _input = CommonOptions.Input();
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the verified content to FILE (only when the verdict is Valid).");
    private readonly Option<string[]> _trust = new("--trust")
    {
        Description = "Trust anchors (root certificates); may be repeated.",
        HelpName = "FILE",
    };
    private readonly Option<string[]> _certs = new("--certs")
    {
        Description = "Further certificates: intermediates, or signers' certificates the "
            + "message does not carry; may be repeated.",
        HelpName = "FILE",
    };
    private readonly IdentityOptions _identity = new(
        "Your certificate and key, when the message is encrypted to you; without it, "
        + "--password opens your keys in the store.");
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the verdict as JSON.",
    };
    private readonly Option<string?> _at = new("--at")
    {
        Description = "Validate chains as of TIME (ISO 8601, or seconds since 1970).",
        HelpName = "TIME",
    };

    private readonly Option<bool> _noHarvest = new("--no-harvest")
    {
        Description = "Do not store the signers' certificates and capabilities in the store.",
    };
    private readonly StoreOptions _store = new();
    private readonly Option<bool> _systemTrust = new("--system-trust")
    {
        Description = "Also trust the system's root certificates (off by default).",
    };

    public Command Build(CliContext context)
    {
        var command = new Command("verify", "Verify a signed (and maybe encrypted) message.")
        {
            _input,
            _output,
            _trust,
            _certs,
            _json,
            _at,
            _noHarvest,
            _systemTrust,
        };
        _identity.AddTo(command);
        _store.AddTo(command, revocation: true, revocationByDefault: true);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        // Without --trust, the store (when there is one) gives the anchors and certificates,
        // and what a valid signature offers is harvested into it (RFC 8551 §2.7.1).
        using CertificateStore? store = (result.GetValue(_trust) ?? []).Length == 0
            ? _store.OpenIfExists(result)
            : null;
        using RevocationChecker? revocation = _store.Revocation(result, store);
        var keys = new List<X509Certificate2>();
        var curveKeys = new List<CertificateKey>();
        try
        {
            LoadKeys(result, store, keys, curveKeys, context);
            return Verify(result, context, store, CreateOptions(
                result, store, revocation, keys, curveKeys));
        }
        finally
        {
            curveKeys.ForEach(k => k.Dispose());
        }
    }

    // --cert (and --key) is the key; without it, --password opens the store's keys, as for
    // decrypt. Keys are opened only when a password is given: a plain signed message needs
    // none, and each costs a PBKDF2 run.
    private void LoadKeys(
        ParseResult result,
        CertificateStore? anchorStore,
        List<X509Certificate2> keys,
        List<CertificateKey> curveKeys,
        CliContext context)
    {
        if (_identity.HasCertificate(result))
        {
            LoadedIdentity identity = _identity.LoadIdentityOrKey(result, "verify");
            keys.AddRange(IdentityKeys.Attached(identity));
            curveKeys.AddRange(IdentityKeys.Raw(identity));
            return;
        }

        if (_identity.GetPassword(result) is not { } password)
        {
            return;
        }

        using CertificateStore? ownStore = anchorStore is null ? _store.OpenIfExists(result) : null;
        CertificateStore? store = anchorStore ?? ownStore;
        int opened = store is null ? 0 : StoreKeys.Load(store, password, keys, curveKeys, context);
        context.Detail($"--password opened {opened} of the store's private keys.");
    }

    private int Verify(
        ParseResult result,
        CliContext context,
        CertificateStore? store,
        ReadOptions options)
    {
        string? outputPath = result.GetValue(_output);
        if (outputPath == "-")
        {
            throw new UsageException("-o", "verify prints the verdict on stdout; give a file.");
        }

        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        using OutputFile? output = outputPath is null
            ? null
            : OutputFile.Create(outputPath, input, context);

        ReadResult read;
        try
        {
            read = SmimeReader.Read(
                input.Stream, options, output?.Stream, context.CancellationToken);
        }
        catch (CmsDecryptionException)
            when (options.DecryptionKeys.Count + options.DecryptionRawKeys.Count == 0)
        {
            throw new UsageException(input.Name, _identity.GetPassword(result) is null
                ? "is encrypted; give --cert (and --key) to open it."
                : "is encrypted, and --password opens none of the store's private keys; give "
                    + "--cert (and --key), or the password of your key in the store.");
        }

        if (store is not null && !result.GetValue(_noHarvest))
        {
            Harvest(store, read, context);
        }

        // Rendered whole before a byte is written: an error while rendering leaves stdout
        // empty rather than holding half a verdict.
        string verdictText = result.GetValue(_json)
            ? VerdictJson.Render(read) + Environment.NewLine
            : VerdictText.Render(read);
        context.Out.Write(verdictText);

        if (!read.Verdict.IsValid)
        {
            // The verdict is the payload on stdout; a script that reads only stderr still
            // gets one line saying what failed.
            string hint = options.TrustAnchors.Count == 0 && read.Verdict.Signers.Count > 0
                ? " (no --trust given; no signer can be trusted)"
                : string.Empty;
            context.Note($"{input.Name}: {read.Verdict.Outcome}: {read.Verdict.Reason}{hint}");
            return ExitCodes.CheckFailed;
        }

        output?.Commit();
        return ExitCodes.Success;
    }

    // Harvesting is a side effect of reading the verdict: a store that cannot be written
    // (read-only, immutable, busy) is said on stderr and does not change the verdict.
    private static void Harvest(CertificateStore store, ReadResult read, CliContext context)
    {
        try
        {
            HarvestSummary? harvested = MessageHarvester.Harvest(store, read, out string? why);
            context.Detail(harvested is null
                ? $"not harvested: {why}."
                : $"harvested {harvested.NewCertificates.Count} new certificate(s).");
        }
        catch (CertificateStoreException e)
        {
            context.Note($"not harvested: {e.Message}");
        }
    }

    private ReadOptions CreateOptions(
        ParseResult result,
        CertificateStore? store,
        RevocationChecker? revocation,
        List<X509Certificate2> keys,
        List<CertificateKey> curveKeys)
    {
        var anchors = store?.GetTrustAnchors() ?? new X509Certificate2Collection();
        foreach (string file in result.GetValue(_trust) ?? [])
        {
            anchors.AddRange(CertificateLoader.LoadCertificates(file));
        }

        if (result.GetValue(_systemTrust))
        {
            anchors.AddRange(SystemTrust.Anchors());
        }

        var extra = store?.GetAllCertificates() ?? new X509Certificate2Collection();
        foreach (string file in result.GetValue(_certs) ?? [])
        {
            extra.AddRange(CertificateLoader.LoadCertificates(file));
        }

        return new ReadOptions
        {
            DecryptionKeys = keys,
            DecryptionRawKeys = curveKeys,
            TrustAnchors = anchors,
            ExtraCertificates = extra,
            VerificationTime = ParseTime(result.GetValue(_at)),
            Revocation = revocation,
        };
    }

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            // DateTimeOffset ends in the year 9999.
            if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                throw new UsageException("--at", $"'{text}' seconds is past the year 9999.");
            }

            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
        {
            return at;
        }

        throw new UsageException("--at", $"'{text}' is not a time (ISO 8601 or seconds since 1970).");
    }
}
