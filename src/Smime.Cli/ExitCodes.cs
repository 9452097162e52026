namespace Smime.Cli;

/// <summary>The exit codes of the command (DESIGN.md, "Rules that hold everywhere").</summary>
public static class ExitCodes
{
    /// <summary>Done; for verify, the signature is valid.</summary>
    public const int Success = 0;

    /// <summary>The check failed: invalid or untrusted signature, decryption refused.</summary>
    public const int CheckFailed = 1;

    /// <summary>Usage or input error: bad option, missing file, unreadable certificate.</summary>
    public const int InputError = 2;

    /// <summary>A fault of ours.</summary>
    public const int InternalError = 3;

    /// <summary>Cancelled with Ctrl-C (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
