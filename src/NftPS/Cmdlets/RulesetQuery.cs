using NftPS.NfTables;

namespace NftPS.Cmdlets;

/// <summary>Which kinds of object a cmdlet needs read; the reader skips dumps nobody asked for.</summary>
[Flags]
public enum RulesetParts
{
    None = 0,
    Tables = 1,
    Chains = 2,
    Rules = 4,
    Sets = 8,
    SetElements = 16,
    Objects = 32,
    Flowtables = 64,
    All = Tables | Chains | Rules | Sets | SetElements | Objects | Flowtables,
}

/// <summary>What to read: a family (null for all) and a table (null for all, matched exactly).</summary>
public sealed record RulesetQuery(RulesetParts Parts, NftFamily? Family = null, string? Table = null);
