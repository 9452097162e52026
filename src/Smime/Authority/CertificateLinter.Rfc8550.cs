using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Certificates;

namespace Smime.Authority;

/// <summary>The RFC 8550 rules: the mailbox names and the usages S/MIME agents check.</summary>
public static partial class CertificateLinter
{
    // RFC 8550 §3 with RFC 5280 §4.1.2.6 and §4.2.1.6: the address belongs in subjectAltName.
    private static void CheckMailboxes(LintTarget target, List<LintFinding> findings)
    {
        List<string> subjectEmails = target.SubjectAttributes
            .Where(a => a.Oid == LintOids.EmailAddress)
            .Select(a => a.Value)
            .ToList();
        List<string> mailboxes = [.. target.Rfc822Names, .. target.SmtpUtf8Mailboxes];
        bool hasSan = target.Extension(LintOids.SubjectAltName) is not null
            && !target.MalformedExtensions.Contains(LintOids.SubjectAltName);

        foreach (string email in subjectEmails)
        {
            if (!mailboxes.Any(m => CertificateAddresses.AddressEquals(m, email)))
            {
                Add(findings, LintSeverity.Error, "email-only-in-subject", $"{Rfc5280} §4.1.2.6",
                    $"The address '{email}' is only in the subject's emailAddress; it must be "
                        + "an rfc822Name in subjectAltName.");
            }
            else
            {
                Add(findings, LintSeverity.Notice, "email-in-subject-deprecated",
                    $"{Rfc5280} §4.1.2.6",
                    $"The subject's emailAddress '{email}' repeats subjectAltName; the "
                        + "attribute is deprecated.");
            }
        }

        if (target.Extension(LintOids.SubjectAltName) is null && subjectEmails.Count == 0)
        {
            Add(findings, LintSeverity.Error, "san-missing", $"{Rfc8550} §3",
                "There is no subjectAltName extension, so the certificate names no mailbox.");
        }
        else if (hasSan && mailboxes.Count == 0)
        {
            string others = target.OtherSanKinds.Count == 0
                ? "nothing"
                : string.Join(", ", target.OtherSanKinds);
            Add(findings, LintSeverity.Error, "san-no-rfc822name", $"{Rfc8550} §3",
                $"subjectAltName holds no rfc822Name or SmtpUTF8Mailbox, only {others}.");
        }

        foreach (string mailbox in target.Rfc822Names)
        {
            CheckRfc822Name(mailbox, findings);
        }

        // RFC 9598 §3: SmtpUTF8Mailbox is for a non-ASCII local part only; an all-ASCII
        // address goes in an rfc822Name, which agents without RFC 9598 still find.
        foreach (string mailbox in target.SmtpUtf8Mailboxes)
        {
            int at = mailbox.LastIndexOf('@');
            string local = at < 0 ? mailbox : mailbox[..at];
            if (Ascii.IsValid(local))
            {
                Add(findings, LintSeverity.Error, "smtputf8-mailbox-ascii", "RFC 9598 §3",
                    $"The SmtpUTF8Mailbox '{mailbox}' has an ASCII local part; it must be an "
                        + "rfc822Name instead.");
            }
        }
    }

    private static void CheckRfc822Name(string mailbox, List<LintFinding> findings)
    {
        int at = mailbox.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Length - 1)
        {
            Add(findings, LintSeverity.Error, "rfc822name-malformed", $"{Rfc5280} §4.2.1.6",
                $"The rfc822Name '{mailbox}' is not a Local-part@Domain mailbox.");
            return;
        }

        // RFC 5280 §7.5: the domain compares without case; mail systems and name constraints
        // see the lower-case form, so an upper-case domain is worth knowing about.
        string domain = mailbox[(at + 1)..];
        if (domain.Any(char.IsAsciiLetterUpper))
        {
            Add(findings, LintSeverity.Notice, "email-domain-upper-case", $"{Rfc5280} §7.5",
                $"The domain of '{mailbox}' has upper-case letters; '{domain.ToLowerInvariant()}'"
                    + " is the usual form.");
        }
    }

    // RFC 8550 §4.4.2 and §4.4.4: what receiving agents require of keyUsage and EKU.
    private static void CheckUsages(LintTarget target, List<LintFinding> findings)
    {
        const X509KeyUsageFlags smime = X509KeyUsageFlags.DigitalSignature
            | X509KeyUsageFlags.NonRepudiation
            | X509KeyUsageFlags.KeyEncipherment
            | X509KeyUsageFlags.KeyAgreement;
        if (target.KeyUsage is { } usage && (usage & smime) == 0)
        {
            Add(findings, LintSeverity.Error, "ku-no-smime-usage", $"{Rfc8550} §4.4.2",
                $"keyUsage is {usage}: neither signing (digitalSignature, nonRepudiation) nor "
                    + "key management (keyEncipherment, keyAgreement).");
        }

        if (target.ExtendedKeyUsages is { } ekus
            && !ekus.Contains(LintOids.EmailProtection)
            && !ekus.Contains(LintOids.AnyExtendedKeyUsage))
        {
            string found = ekus.Count == 0
                ? "empty"
                : string.Join(", ", ekus.Select(LintOids.EkuName));
            Add(findings, LintSeverity.Error, "eku-missing-email-protection",
                $"{Rfc8550} §4.4.4",
                $"extendedKeyUsage ({found}) has neither emailProtection nor "
                    + "anyExtendedKeyUsage, so S/MIME agents refuse the certificate.");
        }
    }
}
