using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>Recipients of To, Cc and Bcc, and the sender, looked up in the store.</summary>
internal sealed class StoreRecipients
{
    private readonly ParseResult _result;
    private readonly StoreOptions _store;
    private readonly CliContext _context;

    public StoreRecipients(ParseResult result, StoreOptions store, CliContext context)
    {
        _result = result;
        _store = store;
        _context = context;
    }

    public List<X509Certificate2> Certificates { get; } = [];

    /// <summary>The capabilities each recipient announced (empty when unknown).</summary>
    public List<IReadOnlyList<SmimeCapability>> Capabilities { get; } = [];

    /// <summary>
    /// Looks every recipient up; false (after naming the missing ones on stderr) when one has
    /// no usable certificate and missing ones are not to be skipped.
    /// </summary>
    /// <param name="ownAddress">The From address, when the sender's own certificate was found.</param>
    public bool Find(InputFile input, bool skipMissing, out string? ownAddress)
    {
        ownAddress = null;
        using CertificateStore store = _store.OpenIfExists(_result)
            ?? throw new UsageException("encrypt",
                "needs --to CERT, or a certificate store (none at "
                + $"{CertificateStore.DefaultDirectory}).");
        MessageHeaders headers = MessageHeaders.Read(input.Stream, _context.CancellationToken);
        if (headers.Recipients.Count == 0)
        {
            throw new UsageException(input.Name, "has no To, Cc or Bcc; give --to CERT.");
        }

        using RevocationChecker? revocation = _store.Revocation(_result, store);
        var options = new RecipientLookupOptions
        {
            TrustAnchors = store.GetTrustAnchors(),
            Revocation = revocation,
        };
        var missing = new List<RecipientMatch>();
        foreach (string address in headers.Recipients)
        {
            RecipientMatch match = RecipientLookup.Find(store, address, options);
            if (!match.Found)
            {
                missing.Add(match);
                continue;
            }

            _context.Detail(match.Reason);
            Certificates.Add(match.Certificate!);
            Capabilities.Add(store.GetSender(address)?.Capabilities ?? []);
        }

        if (missing.Count > 0)
        {
            string names = string.Join(", ", missing.Select(m => m.Address));
            if (!skipMissing || Certificates.Count == 0)
            {
                _context.Note($"no usable certificate for: {names}; nothing was written "
                    + "(--skip-missing leaves them out).");
                foreach (RecipientMatch match in missing)
                {
                    _context.Note($"{match.Address}: {match.Reason}");
                }

                return false;
            }

            // Each one left out is named with its reason: a revoked certificate is not the
            // same news as an unknown address.
            foreach (RecipientMatch match in missing)
            {
                _context.Note($"warning: left out {match.Address}, no usable certificate: "
                    + match.Reason);
            }
        }

        // The sender reads their own mail too (RFC 8551 §3.3), when the store knows them.
        foreach (string address in headers.From)
        {
            RecipientMatch self = RecipientLookup.Find(store, address, options);
            if (self.Found)
            {
                Certificates.Add(self.Certificate!);
                ownAddress = address;
                break;
            }
        }

        return true;
    }
}
