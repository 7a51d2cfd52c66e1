namespace NftPS.DesiredState;

/// <summary>How a desired state is converged onto a host.</summary>
public sealed record DesiredStateOptions
{
    /// <summary>Remove what a managed table holds and the desired state does not list (DSC's _purge). Off: only add
    /// and change.</summary>
    public bool Purge { get; init; } = true;
    /// <summary>Also converge the content of sets the packet path updates (dynamic sets, sets with timeouts that a
    /// rule adds to: bans, meters). Off: their elements are left as the host has them.</summary>
    public bool IncludeDynamicElements { get; init; }
    /// <summary>Also converge the values of named counters and quotas (off: they keep counting).</summary>
    public bool IncludeObjectValues { get; init; }
}
