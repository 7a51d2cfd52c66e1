using NftPS.NfTables.Expressions;

namespace NftPS.NfTables.Writing;

/// <summary>What a new base chain hooks into. Priority is the number; nft's names are resolved before this point.</summary>
internal sealed record ChainHookSpec(string Type, uint HookNumber, int Priority, IReadOnlyList<string>? Devices = null);

/// <summary>Where a new rule goes: after (append) or before (insert) a handle, or at the tail/head.</summary>
internal sealed record RulePlacement(bool Insert = false, ulong? Handle = null, uint? RuleIdInBatch = null)
{
    public static RulePlacement Append { get; } = new();
    public static RulePlacement Prepend { get; } = new(Insert: true);
}

/// <summary>A new set or map as the kernel stores it: datatype ids, lengths and flags already resolved.</summary>
internal sealed record SetSpec
{
    public required string Name { get; init; }
    public uint Flags { get; init; }
    public uint KeyType { get; init; }
    public uint KeyLength { get; init; }
    public uint? DataType { get; init; }
    public uint? DataLength { get; init; }
    public uint? ObjectType { get; init; }
    public uint? Policy { get; init; }
    public uint? Size { get; init; }
    public IReadOnlyList<uint>? ConcatFieldLengths { get; init; }
    public ulong? TimeoutMs { get; init; }
    public uint? GcIntervalMs { get; init; }
    /// <summary>libnftnl set user data (byte orders, typeof, merge, comment), already encoded.</summary>
    public byte[]? UserData { get; init; }
    public IReadOnlyList<Expression>? Expressions { get; init; }
    /// <summary>Batch-local id so later messages in the same batch can refer to the new set.</summary>
    public uint? SetId { get; init; }
}

/// <summary>One element as the kernel stores it. Interval sets of one field need start and end elements (end flagged).</summary>
internal sealed record ElementSpec
{
    public byte[]? Key { get; init; }
    public byte[]? KeyEnd { get; init; }
    public byte[]? Data { get; init; }
    public NftVerdict? Verdict { get; init; }
    public uint Flags { get; init; }
    public ulong? TimeoutMs { get; init; }
    public ulong? ExpirationMs { get; init; }
    public string? Comment { get; init; }
    /// <summary>An interval that runs to the end of the key space (no end element): NFTNL_SET_ELEM_F_INTERVAL_OPEN in
    /// the element's user data, which nft reads to print it as a range.</summary>
    public bool IntervalOpen { get; init; }
    public string? ObjectReference { get; init; }
    public IReadOnlyList<Expression>? Expressions { get; init; }
}
