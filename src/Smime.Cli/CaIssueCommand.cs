using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime ca issue`: a certificate of one S/MIME BR profile for a checked CSR.</summary>
internal sealed class CaIssueCommand
{
    private readonly Argument<string> _csr = new("csr")
    {
        Description = "The PKCS#10 request, PEM.",
    };
    private readonly Option<string> _profile = new("--profile")
    {
        Description = "TYPE-GENERATION, e.g. mailbox-strict, organization-multipurpose, "
            + "sponsor-legacy, individual-strict; or class1..class4 ('smime ca profiles').",
        HelpName = "PROFILE",
        Required = true,
    };
    private readonly Option<int?> _days = new("--days")
    {
        Description = "Validity in days (default 365; at most 825, or 1185 for legacy).",
    };
    private readonly Option<string> _usage = new("--usage")
    {
        Description = "dual (sign and encrypt), signing, or encryption: separate certificates.",
        DefaultValueFactory = _ => "dual",
    };
    private readonly Option<string?> _org = new("--org")
    {
        Description = "The validated organizationName (organization and sponsor profiles).",
        HelpName = "ORG",
    };
    private readonly Option<string?> _orgId = new("--org-id")
    {
        Description = "The validated organizationIdentifier, e.g. NTRGB-12345678.",
        HelpName = "ID",
    };
    private readonly Option<bool> _chain = new("--chain")
    {
        Description = "Also write the CA certificates after the new one.",
    };
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the certificate (PEM) to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        _usage.AcceptOnlyFromAmong("dual", "signing", "encryption");
        var command = new Command("issue", "Issue a certificate for a CSR under a profile.")
        {
            _csr,
            _profile,
            _days,
            _usage,
            _org,
            _orgId,
            _chain,
            _output,
            _identity.Password,
            _identity.PasswordFile,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        string file = result.GetValue(_csr)!;
        context.CurrentFile = file;
        SmimeProfile profile = AuthorityOptions.ParseProfile(result.GetValue(_profile)!);
        if (!File.Exists(file))
        {
            throw new UsageException(file, "no such file.");
        }

        if (new FileInfo(file).Length > CertificateAuthority.MaxRequestLength)
        {
            throw new UsageException(file,
                $"larger than {CertificateAuthority.MaxRequestLength} bytes; not a CSR.");
        }

        string password = AuthorityOptions.RequirePassword(
            _identity, result, "the CA's key is needed to sign");
        using CertificateStore store = _store.OpenExisting(result);
        CertificateAuthority ca = CertificateAuthority.Open(store);
        using X509Certificate2 certificate = ca.Issue(File.ReadAllText(file), new IssueOptions
        {
            Profile = profile,
            Days = result.GetValue(_days),
            Purpose = result.GetValue(_usage) switch
            {
                "signing" => SmimeKeyPurpose.SigningOnly,
                "encryption" => SmimeKeyPurpose.KeyManagementOnly,
                _ => SmimeKeyPurpose.DualUse,
            },
            Organization = result.GetValue(_org),
            OrganizationIdentifier = result.GetValue(_orgId),
        }, password);

        string pem = AuthorityOptions.CertificatePem(certificate);
        if (result.GetValue(_chain))
        {
            pem += AuthorityOptions.CertificatePem(ca.Issuer);
            if (ca.Record.IssuerThumbprint != ca.Record.RootThumbprint)
            {
                pem += AuthorityOptions.CertificatePem(ca.Root);
            }
        }

        AuthorityOptions.WriteText(result.GetValue(_output), pem, context);
        // The serial is what 'ca revoke' takes: say it, on stderr, beside the PEM.
        context.Note($"issued serial {certificate.SerialNumber} under {profile.Name} "
            + $"({profile.PolicyOid}) to '{certificate.Subject}'.");
        return ExitCodes.Success;
    }
}
