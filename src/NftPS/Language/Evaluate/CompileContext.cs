using NftPS.Language.DataTypes;
using NftPS.NfTables;

namespace NftPS.Language.Evaluate;

/// <summary>What the compiler knows about a named set or map (from the same batch or from the kernel).</summary>
internal sealed record SetDescriptor
{
    public required string Name { get; init; }
    /// <summary>Key component types (one for a plain key; several for a concatenation).</summary>
    public required IReadOnlyList<DataType> KeyTypes { get; init; }
    /// <summary>Key component lengths in bits (as in the set declaration; strings 128, integers from typeof).</summary>
    public required IReadOnlyList<int> KeyLengthsBits { get; init; }
    public IReadOnlyList<ByteOrder>? KeyByteOrders { get; init; }
    public bool IsMap { get; init; }
    public DataType? DataType { get; init; }
    public int DataLengthBits { get; init; }
    public ByteOrder DataByteOrder { get; init; }
    /// <summary>Concatenated data (`: ipv4_addr . inet_service`): the item types and lengths; null otherwise.</summary>
    public IReadOnlyList<DataType>? DataItemTypes { get; init; }
    public IReadOnlyList<int>? DataItemLengthsBits { get; init; }
    /// <summary>`: interval …` data: each element's data is first . last (twice the data length).</summary>
    public bool IsDataInterval { get; init; }
    public bool IsVerdictMap => DataType == DataTypeRegistry.Verdict;
    public bool IsObjectMap { get; init; }
    public bool IsInterval { get; init; }
    public bool HasTimeout { get; init; }
    public bool IsDynamic { get; init; }
    /// <summary>`auto-merge`: overlapping and adjacent intervals added together are merged, not refused.</summary>
    public bool AutoMerge { get; init; }
}

/// <summary>Per-batch counters nft uses for transaction-local ids (anonymous set ids).</summary>
internal sealed class BatchIds
{
    private uint _setId;
    private uint _chainId;
    public uint NextSetId() => ++_setId;
    /// <summary>NFTA_CHAIN_ID of an anonymous chain bound to a `jump { }` verdict.</summary>
    public uint NextChainId() => ++_chainId;
}

/// <summary>Where a rule goes and what it may refer to.</summary>
internal sealed class CompileContext
{
    public required NftFamily Family { get; init; }
    public string Table { get; init; } = "";
    public string? Chain { get; init; }
    /// <summary>Named sets and maps visible to the rule (batch first, then kernel).</summary>
    public Func<string, SetDescriptor?> FindSet { get; init; } = _ => null;
    public BatchIds Ids { get; init; } = new();
    /// <summary>The zone `meta hour`/`meta time` values are given in; null: the process's local zone (as nft).</summary>
    public TimeZoneInfo? TimeZone { get; init; }
    /// <summary>Receives warnings in nft's layout ("Warning: …", the line, carets): things nft accepts silently
    /// but that are probably not what was meant, such as a prefix with host bits set.</summary>
    public Action<string>? Warning { get; init; }
}
