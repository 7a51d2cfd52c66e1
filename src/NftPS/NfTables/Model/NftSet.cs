using NftPS.NfTables.Expressions;

namespace NftPS.NfTables.Model;

/// <summary>A set or map (maps have <see cref="IsMap"/>; verdict maps have DataType 0xffffff00).</summary>
public sealed class NftSet : NftObjectBase, INftTableObject
{
    public string Table { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>NFT_SET_* flags: anonymous 1, constant 2, interval 4, map 8, timeout 0x10, eval(dynamic) 0x20, object 0x40, concat 0x80, expr 0x100.</summary>
    public uint Flags { get; set; }
    public bool IsAnonymous => (Flags & 0x1) != 0;
    public bool IsConstant => (Flags & 0x2) != 0;
    public bool IsInterval => (Flags & 0x4) != 0;
    public bool IsMap => (Flags & 0x8) != 0;
    public bool HasTimeout => (Flags & 0x10) != 0;
    public bool IsDynamic => (Flags & 0x20) != 0;
    public bool IsObjectMap => (Flags & 0x40) != 0;
    public bool IsVerdictMap => IsMap && DataType == 0xffffff00;

    /// <summary>nftables datatype id of the key (concatenations pack 6 bits per component).</summary>
    public uint KeyType { get; set; }
    public uint KeyLength { get; set; }
    public uint? DataType { get; set; }
    public uint? DataLength { get; set; }
    /// <summary>NFT_OBJECT_* for object maps.</summary>
    public uint? ObjectType { get; set; }
    /// <summary>The key type as New-NftSet -Type takes it ("ipv4_addr", "ipv4_addr . inet_service"); null when the key is
    /// declared with typeof (see <see cref="KeyTypeofText"/>). Exactly one of the two is set on a set read from the kernel,
    /// so a set piped to New-NftSet binds one of -Type and -Typeof.</summary>
    public string? KeyTypeText { get; set; }
    /// <summary>The key as New-NftSet -Typeof takes it ("ip saddr . tcp dport"); null when declared with a type.</summary>
    public string? KeyTypeofText { get; set; }
    /// <summary>What a map's keys map to, as New-NftMap -DataType takes it: "verdict", "ipv4_addr", "counter", or with a
    /// typeof key the data expression ("meta mark"); null for a plain set.</summary>
    public string? DataTypeText { get; set; }
    /// <summary>The declared flags as New-NftSet -Flags names them (constant, interval, timeout, dynamic).</summary>
    public static string[] FlagNamesOf(uint flags)
    {
        var names = new List<string>(4);
        if ((flags & 0x2) != 0) names.Add("constant");
        if ((flags & 0x4) != 0) names.Add("interval");
        if ((flags & 0x10) != 0) names.Add("timeout");
        if ((flags & 0x20) != 0) names.Add("dynamic");
        return names.ToArray();
    }
    /// <summary>0 performance (default), 1 memory.</summary>
    public uint? Policy { get; set; }
    public TimeSpan? Timeout { get; set; }
    public TimeSpan? GcInterval { get; set; }
    public uint? Size { get; set; }
    /// <summary>Field lengths in bytes of an interval concatenation (NFTA_SET_DESC_CONCAT).</summary>
    public uint[] ConcatFieldLengths { get; set; } = Array.Empty<uint>();
    public string? Comment { get; set; }
    /// <summary>From set user data: byte order of key and data (1 host, 2 big-endian, 0 for concatenations).</summary>
    public uint? KeyByteOrder { get; set; }
    public uint? DataByteOrder { get; set; }
    /// <summary>auto-merge (set user data MERGE_ELEMENTS).</summary>
    public bool AutoMerge { get; set; }
    /// <summary>Raw libnftnl typeof descriptions from user data, kept to print `typeof` and re-encode exactly.</summary>
    public byte[]? KeyTypeof { get; set; }
    public byte[]? DataTypeof { get; set; }
    public bool? DataInterval { get; set; }
    public byte[]? UserData { get; set; }
    /// <summary>Per-element statements declared on the set (e.g. counter).</summary>
    public IReadOnlyList<Expression> Expressions { get; set; } = Array.Empty<Expression>();
    /// <summary>The payload of NFTA_SET_EXPR (one expression) as the kernel returned it.</summary>
    public byte[]? RawExpression { get; set; }
    /// <summary>The payload of NFTA_SET_EXPRESSIONS (a list of NFTA_LIST_ELEM) as the kernel returned it.</summary>
    public byte[]? RawExpressions { get; set; }
    /// <summary>Kernel names of the per-element statements (from EXPR/EXPRESSIONS), in order: "counter", "limit"...</summary>
    public string[] ExpressionNames { get; set; } = Array.Empty<string>();
    /// <summary>Set backend the kernel chose (NFTA_SET_TYPE, newer kernels), when reported.</summary>
    public string? Backend { get; set; }
    /// <summary>Element count the kernel reports (NFTA_SET_COUNT, newer kernels).</summary>
    public uint? KernelElementCount { get; set; }
    /// <summary>Whether the elements were read (the reader fetches them only when asked).</summary>
    public bool ElementsLoaded { get; set; }
    /// <summary>Number of elements read, else the count the kernel reports.</summary>
    public int ElementCount => ElementsLoaded || KernelElementCount is null ? Elements.Count : (int)KernelElementCount.Value;
    public List<NftSetElement> Elements { get; set; } = new();
    public override string ToString() => $"{(IsMap ? "map" : "set")} {Family.ToKeyword()} {Table} {Name}";
}
