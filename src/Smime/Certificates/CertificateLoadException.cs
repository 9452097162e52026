namespace Smime.Certificates;

/// <summary>A certificate or key file could not be read; the message names the file.</summary>
public sealed class CertificateLoadException : Exception
{
    /// <summary>Creates the exception for a file and a sentence saying what is wrong.</summary>
    public CertificateLoadException(string fileName, string problem, Exception? inner = null)
        : base($"{fileName}: {problem}", inner)
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>The file as the caller named it.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
