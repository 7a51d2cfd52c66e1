namespace NftPS.NfTables.Model;

/// <summary>NFT_OBJECT_* kinds of stateful objects.</summary>
public enum NftObjectType : uint
{
    Unspecified = 0, Counter = 1, Quota = 2, CtHelper = 3, Limit = 4, Connlimit = 5, Tunnel = 6,
    CtTimeout = 7, Secmark = 8, CtExpectation = 9, Synproxy = 10,
}

/// <summary>A named stateful object (counter, quota, limit, ct helper, ct timeout, ct expectation, synproxy, secmark...).</summary>
public sealed class NftNamedObject : NftObjectBase, INftTableObject
{
    public string Table { get; set; } = "";
    public string Name { get; set; } = "";
    public NftObjectType Type { get; set; }
    public uint Use { get; set; }
    public string? Comment { get; set; }
    /// <summary>Counter packets / bytes (counter objects), quota bytes and consumed (quota objects).</summary>
    public ulong? Packets { get; set; }
    public ulong? Bytes { get; set; }
    public ulong? Consumed { get; set; }
    /// <summary>The body lines nft prints inside the object's block, e.g. "packets 0 bytes 0".</summary>
    public string[] BodyLines { get; set; } = Array.Empty<string>();
    /// <summary>The body lines nft -s (stateless) prints: counter values and quota usage left out.</summary>
    public string[] StatelessBodyLines { get; set; } = Array.Empty<string>();
    /// <summary>The keyword nft uses for the object kind: counter, quota, ct helper, limit, ct timeout, secmark,
    /// ct expectation, synproxy; null for kinds nft 1.0.6 cannot print (connlimit, tunnel).</summary>
    public string? TypeKeyword => KeywordOf(Type);

    /// <summary>The keyword nft uses for an object kind; null for kinds nft 1.0.6 cannot print.</summary>
    public static string? KeywordOf(NftObjectType type) => type switch
    {
        NftObjectType.Counter => "counter",
        NftObjectType.Quota => "quota",
        NftObjectType.CtHelper => "ct helper",
        NftObjectType.Limit => "limit",
        NftObjectType.CtTimeout => "ct timeout",
        NftObjectType.Secmark => "secmark",
        NftObjectType.CtExpectation => "ct expectation",
        NftObjectType.Synproxy => "synproxy",
        _ => null,
    };
    /// <summary>The type-specific attributes (NFTA_OBJ_DATA) exactly as the kernel returned them.</summary>
    public byte[] Data { get; set; } = Array.Empty<byte>();
    public byte[]? UserData { get; set; }
    public override string ToString() => $"{Type} {Family.ToKeyword()} {Table} {Name}";
}
