using MimeKit;

namespace Smime.Mime;

/// <summary>The addresses in a message's header: From, To, Cc, Bcc (RFC 5322 §3.6).</summary>
/// <param name="From">The From mailboxes.</param>
/// <param name="Recipients">The To, Cc and Bcc mailboxes, in order, without repeats.</param>
public sealed record MessageHeaders(IReadOnlyList<string> From, IReadOnlyList<string> Recipients)
{
    /// <summary>
    /// Reads only the header of the message and puts a seekable stream back where it was.
    /// </summary>
    /// <exception cref="FormatException">The header cannot be parsed.</exception>
    public static MessageHeaders Read(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);

        long start = input.CanSeek ? input.Position : 0;
        HeaderList headers;
        try
        {
            headers = HeaderList.Load(input, cancellationToken);
        }
        finally
        {
            if (input.CanSeek)
            {
                input.Position = start;
            }
        }

        static IEnumerable<string> Mailboxes(HeaderList headers, HeaderId id) =>
            headers.Where(h => h.Id == id)
                .SelectMany(h => InternetAddressList.TryParse(h.RawValue, out var list)
                    ? list.Mailboxes
                    : [])
                .Select(m => m.Address);

        string[] from = Mailboxes(headers, HeaderId.From).ToArray();
        string[] recipients = Mailboxes(headers, HeaderId.To)
            .Concat(Mailboxes(headers, HeaderId.Cc))
            .Concat(Mailboxes(headers, HeaderId.Bcc))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new MessageHeaders(from, recipients);
    }
}
