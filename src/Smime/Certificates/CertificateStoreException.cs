namespace Smime.Certificates;

/// <summary>The certificate store cannot be read or written, or refused an operation.</summary>
public sealed class CertificateStoreException : Exception
{
    public CertificateStoreException(string message)
        : base(message)
    {
    }

    public CertificateStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
