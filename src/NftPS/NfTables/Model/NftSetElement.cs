using NftPS.NfTables.Expressions;

namespace NftPS.NfTables.Model;

public sealed class NftSetElement : NftObjectBase
{
    public string Table { get; set; } = "";
    public string Set { get; set; } = "";
    /// <summary>The element as nft prints it inside `elements = { ... }` (ranges and prefixes merged).</summary>
    public string Value { get; set; } = "";
    /// <summary>Key bytes as the kernel holds them (NFTA_SET_ELEM_KEY / NFTA_DATA_VALUE); null for the catch-all.</summary>
    public byte[]? Key { get; set; }
    /// <summary>Inclusive end of a concatenated interval (NFTA_SET_ELEM_KEY_END).</summary>
    public byte[]? KeyEnd { get; set; }
    /// <summary>Map data bytes, when the data is a value.</summary>
    public byte[]? Data { get; set; }
    /// <summary>Map data verdict ("accept", "jump chain"...), when the data is a verdict.</summary>
    public NftVerdict? Verdict { get; set; }
    /// <summary>NFT_SET_ELEM_* flags: interval end 1, catch-all 2.</summary>
    public uint Flags { get; set; }
    public bool IsIntervalEnd => (Flags & 1) != 0;
    public bool IsCatchAll => (Flags & 2) != 0;
    public TimeSpan? Timeout { get; set; }
    public TimeSpan? Expires { get; set; }
    public string? Comment { get; set; }
    public string? ObjectReference { get; set; }
    public ulong? Counter { get; set; }
    public ulong? Bytes { get; set; }
    public IReadOnlyList<Expression> Expressions { get; set; } = Array.Empty<Expression>();
    public byte[]? UserData { get; set; }
    public override string ToString() => Value;
}
