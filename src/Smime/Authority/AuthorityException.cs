namespace Smime.Authority;

/// <summary>
/// A request the certificate authority refuses (bad CSR, a profile it breaks, no CA yet):
/// nothing was issued or changed.
/// </summary>
public sealed class AuthorityException : Exception
{
    /// <summary>Creates the error with a sentence naming what is wrong.</summary>
    public AuthorityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public AuthorityException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
