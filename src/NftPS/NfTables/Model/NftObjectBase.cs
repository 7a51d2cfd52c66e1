namespace NftPS.NfTables.Model;

/// <summary>What every object read from the kernel carries: where it lives and where it came from.
/// Host and NetworkNamespace let change cmdlets refuse an object that came from another machine or namespace.</summary>
public abstract class NftObjectBase
{
    public NftFamily Family { get; set; }
    /// <summary>Kernel handle (unique per table for chains, rules, sets and objects; per namespace for tables).</summary>
    public ulong Handle { get; set; }
    public string Host { get; set; } = LocalHostName;

    /// <summary>Environment.MachineName allocates on every call; sets hold millions of elements.</summary>
    internal static readonly string LocalHostName = Environment.MachineName;
    /// <summary>The -NetworkNamespace the object was read from; null or empty for the caller's own.</summary>
    public string? NetworkNamespace { get; set; }
}
