namespace NftPS.Automation;

/// <summary>nftps's exit codes: the contract DSC, Ansible and scripts read (docs/nftps.md lists them).</summary>
public static class ExitCodes
{
    /// <summary>Done; for test and diff: in the desired state (no difference).</summary>
    public const int Success = 0;
    /// <summary>test and diff only: the ruleset differs from the desired state (drift).</summary>
    public const int Drift = 1;
    /// <summary>Bad command line or parameter object: nothing was read or changed.</summary>
    public const int Usage = 2;
    /// <summary>The desired state does not compile (the parser's message, with its caret), or its file cannot be read.</summary>
    public const int InvalidDesiredState = 3;
    /// <summary>The kernel refused the change (its message), or the namespace or netlink could not be used; nothing changed.</summary>
    public const int KernelRefused = 4;
    /// <summary>The ruleset kept changing under us (every retry met a concurrent commit); nothing changed.</summary>
    public const int Conflict = 5;
    /// <summary>A pending change (confirm/undo) is unknown, or was rolled back already (too late).</summary>
    public const int PendingChangeNotFound = 6;
    /// <summary>An unexpected failure (a bug): reported on stderr.</summary>
    public const int Internal = 70;
}
