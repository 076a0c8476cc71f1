namespace Kappa.Cli;

/// <summary>The tool's exit codes (docs/operations.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Done = 0;

    /// <summary>An error: bad arguments, an unreachable log or database, a failure while switching.</summary>
    public const int Error = 1;

    /// <summary>Refused because a precondition is not met (not caught up, not verified, serving, a concurrent change won). Nothing changed.</summary>
    public const int Refused = 2;
}
