using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Authority;

namespace Smime.Cli;

/// <summary>Options and helpers the `smime key` and `smime ca` verbs share.</summary>
internal static class AuthorityOptions
{
    public static Option<string> KeyType(string defaultName)
    {
        var option = new Option<string>("--key-type")
        {
            Description = $"{string.Join(", ", KeyPairs.Names)} (default {defaultName}).",
            HelpName = "TYPE",
            DefaultValueFactory = _ => defaultName,
        };
        return option;
    }

    /// <summary>The key type named, or a usage error (RSA under 2048 named as refused).</summary>
    public static KeyType ParseKeyType(string name)
    {
        try
        {
            return KeyPairs.ParseKeyType(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--key-type", StripParameter(e));
        }
    }

    /// <summary>The profile named, or a usage error listing the names.</summary>
    public static SmimeProfile ParseProfile(string name)
    {
        try
        {
            return SmimeProfiles.Parse(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--profile", StripParameter(e));
        }
    }

    /// <summary>
    /// The passphrase from --password or --password-file; a usage error when none.
    /// </summary>
    public static string RequirePassword(IdentityOptions identity, ParseResult result, string why)
    {
        string? password = identity.GetPassword(result);
        return string.IsNullOrEmpty(password)
            ? throw new UsageException("--password", $"{why}: give --password or --password-file.")
            : password;
    }

    /// <summary>Writes text to -o FILE (atomically) or stdout.</summary>
    public static void WriteText(string? path, string text, CliContext context)
    {
        using OutputFile output = OutputFile.Create(path, null, context);
        output.Stream.Write(Encoding.ASCII.GetBytes(text));
        output.Commit();
    }

    public static string CertificatePem(X509Certificate2 certificate) =>
        certificate.ExportCertificatePem() + "\n";

    private static string StripParameter(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message;
}
