namespace NftPS.NfTables.Model;

public sealed class NftChain : NftObjectBase, INftTableObject
{
    public string Table { get; set; } = "";
    public string Name { get; set; } = "";
    public bool IsBaseChain => HookNumber.HasValue;
    /// <summary>filter, nat or route (base chains only).</summary>
    public string? Type { get; set; }
    /// <summary>Hook keyword (input, output, prerouting, ingress...) for base chains.</summary>
    public string? Hook { get; set; }
    public uint? HookNumber { get; set; }
    public int? Priority { get; set; }
    /// <summary>The priority as nft prints it: a name with an offset where one applies ("filter - 10"), else the number.</summary>
    public string? PriorityText { get; set; }
    /// <summary>accept or drop (base chains only).</summary>
    public string? Policy { get; set; }
    public string[] Devices { get; set; } = Array.Empty<string>();
    /// <summary>NFT_CHAIN_* flags (base 1, hw-offload 2, binding 4).</summary>
    public uint Flags { get; set; }
    /// <summary>NFT_CHAIN_BINDING: an anonymous chain bound to the rule that jumps to it (`jump { … }`).</summary>
    public bool IsBinding => (Flags & 4) != 0;
    public uint Use { get; set; }
    public ulong? Packets { get; set; }
    public ulong? Bytes { get; set; }
    public string? Comment { get; set; }
    public byte[]? UserData { get; set; }
    public int RuleCount { get; set; }
    public override string ToString() => $"chain {Family.ToKeyword()} {Table} {Name}";
}
