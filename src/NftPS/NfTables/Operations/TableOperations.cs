using NftPS.NfTables.Model;

namespace NftPS.NfTables.Operations;

/// <summary>flush ruleset [family]: every table of the family (or of all families) goes.</summary>
internal sealed record RulesetOperation : NftOperation
{
    public RulesetOperation(NftFamily family) : base(NftVerb.Flush, family) { }

    public override NftObjectKind Kind => NftObjectKind.Ruleset;
    public override string ToCommandText() => Family == NftFamily.Unspecified ? "flush ruleset" : $"flush ruleset {FamilyText}";
    public override void Validate() => Require(Verb == NftVerb.Flush, "only flush applies to the ruleset");
}

/// <summary>add/create/delete/destroy/flush table. Flags: bit 0 is dormant.</summary>
internal sealed record TableOperation : NftOperation
{
    public TableOperation(NftVerb verb, NftFamily family, string name) : base(verb, family) => Name = name;

    public string Name { get; }
    public ulong? Handle { get; init; }
    public uint Flags { get; init; }
    public string? Comment { get; init; }

    public override NftObjectKind Kind => NftObjectKind.Table;

    public override string ToCommandText() => Verb switch
    {
        NftVerb.Add or NftVerb.Create => $"{VerbText} table {FamilyText} {N(Name)}" +
            Body((Flags & 1) != 0 ? "flags dormant;" : null, Comment is null ? null : $"comment {Quote(Comment)};"),
        NftVerb.Flush => $"flush table {FamilyText} {N(Name)}",
        _ => $"{VerbText} table {FamilyText} {(Handle is { } h ? $"handle {h}" : N(Name))}",
    };

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete or NftVerb.Destroy or NftVerb.Flush, "this verb does not apply to a table");
        // Only names being created are checked: a table made by another tool is still deleted by the name it has.
        if (Verb is NftVerb.Add or NftVerb.Create) NftIdentifier.CheckName("table name", Name);
        else Require(Handle is not null || !string.IsNullOrEmpty(Name), "a name or a handle is needed");
    }
}
