using NftPS.NfTables.Model;

namespace NftPS.NfTables.Operations;

/// <summary>A reset: zero a counter or quota and get back the values it had. The kernel does it as a GET request with
/// an answer (NFT_MSG_GETOBJ_RESET, NFT_MSG_GETRULE_RESET), at once and outside any transaction, so a reset is never
/// queued on a batch: it goes through <see cref="Backend.INftBackend.Reset"/>, which returns the objects as they were
/// before. Its text is the nft command, which re-parses to an equal operation.</summary>
internal abstract record ResetOperation : NftOperation
{
    protected ResetOperation(NftFamily family, string table) : base(NftVerb.Reset, family) => Table = table;

    public string Table { get; }
}

/// <summary>`reset counter [family] table name` / `reset quota …` (nft 1.0.6 syntax): one named counter or quota.</summary>
internal sealed record ObjectResetOperation : ResetOperation
{
    public const uint Counter = 1, Quota = 2;

    public ObjectResetOperation(NftFamily family, string table, string name, uint objectType) : base(family, table)
    {
        Name = name;
        ObjectType = objectType;
    }

    public string Name { get; }
    /// <summary>NFT_OBJECT_COUNTER (1) or NFT_OBJECT_QUOTA (2): the only objects with something to reset.</summary>
    public uint ObjectType { get; }
    public string TypeKeyword => ObjectType == Quota ? "quota" : "counter";

    public override NftObjectKind Kind => NftObjectKind.NamedObject;
    public override string ToCommandText() => $"reset {TypeKeyword} {FamilyText} {N(Table)} {N(Name)}";

    public override void Validate()
    {
        Require(ObjectType is Counter or Quota, "only counters and quotas can be reset");
        Require(!string.IsNullOrEmpty(Table) && !string.IsNullOrEmpty(Name), "the table and the object's name are needed");
        NftIdentifier.CheckName("table name", Table);
        NftIdentifier.CheckName(TypeKeyword + " name", Name);
    }
}

/// <summary>`reset rule [family] table chain handle N`: the counters and quotas of one rule (nft 1.0.8's syntax; nft
/// 1.0.6 has none, our parser reads it).</summary>
internal sealed record RuleResetOperation : ResetOperation
{
    public RuleResetOperation(NftFamily family, string table, string chain, ulong handle) : base(family, table)
    {
        Chain = chain;
        Handle = handle;
    }

    public string Chain { get; }
    public ulong Handle { get; }

    public override NftObjectKind Kind => NftObjectKind.Rule;
    public override string ToCommandText() => $"reset rule {FamilyText} {N(Table)} {N(Chain)} handle {Handle}";

    public override void Validate()
    {
        Require(!string.IsNullOrEmpty(Table) && !string.IsNullOrEmpty(Chain), "the table and chain are needed");
        Require(Handle != 0, "the rule's handle is needed");
        NftIdentifier.CheckName("table name", Table);
        NftIdentifier.CheckName("chain name", Chain);
    }
}

/// <summary>`reset counters [family]`, `reset counters table [family] t` (and `reset quotas …`), nft 1.0.6's forms
/// that reset every named counter or quota of a family or table: one NFT_MSG_GETOBJ_RESET dump, filtered by the
/// kernel on the object type and the table. A dump that finds nothing is no error (nft's neither).</summary>
internal sealed record ObjectsResetOperation : ResetOperation
{
    public ObjectsResetOperation(NftFamily family, string? table, uint objectType) : base(family, table ?? "") => ObjectType = objectType;

    /// <summary>NFT_OBJECT_COUNTER (1) or NFT_OBJECT_QUOTA (2).</summary>
    public uint ObjectType { get; }
    public bool HasTable => Table.Length > 0;
    public string TypeKeyword => ObjectType == ObjectResetOperation.Quota ? "quotas" : "counters";

    public override NftObjectKind Kind => NftObjectKind.NamedObject;

    public override string ToCommandText() => HasTable
        ? $"reset {TypeKeyword} table {FamilyText} {N(Table)}"
        : Family == NftFamily.Unspecified ? $"reset {TypeKeyword}" : $"reset {TypeKeyword} {FamilyText}";

    public override void Validate()
    {
        Require(ObjectType is ObjectResetOperation.Counter or ObjectResetOperation.Quota, "only counters and quotas can be reset");
        Require(!HasTable || Family != NftFamily.Unspecified, "a table is named with its family");
        if (HasTable) NftIdentifier.CheckName("table name", Table);
    }
}
