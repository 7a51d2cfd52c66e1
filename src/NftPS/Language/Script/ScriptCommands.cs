using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Language.Script;

/// <summary>What a script command does to its object (nft's command verbs; `table x { }` is an add).</summary>
internal enum ScriptVerb { Add, Create, Insert, Replace, Delete, Destroy, Flush, Reset, Rename, List }

/// <summary>One command of an nft file, after `table { }` blocks have been expanded the way nft expands them
/// (table, chains, objects, sets with their elements, flowtables, then the rules).</summary>
internal abstract class ScriptCommand
{
    public ScriptVerb Verb { get; init; }
    public NftFamily Family { get; init; }
    public string Table { get; init; } = "";
    public SourceSpan Span { get; init; }
    /// <summary>`handle N` in delete/replace commands.</summary>
    public ulong? Handle { get; init; }
}

/// <summary>`flush ruleset [family]`.</summary>
internal sealed class RulesetCommand : ScriptCommand { }

internal sealed class TableCommand : ScriptCommand
{
    public uint Flags { get; set; }
    public string? Comment { get; set; }
}

/// <summary>`type T hook H [device D | devices = { ... }] priority P;`</summary>
internal sealed class ChainHookDecl
{
    public required Token Type { get; init; }
    public required Token Hook { get; init; }
    public List<string> Devices { get; } = new();
    /// <summary>A standard priority name (filter, srcnat...) or null for a plain number.</summary>
    public Token? PriorityName { get; init; }
    public int PriorityOffset { get; init; }
    public SourceSpan PrioritySpan { get; init; }
}

internal sealed class ChainCommand : ScriptCommand
{
    public required string Name { get; init; }
    public SourceSpan NameSpan { get; init; }
    public ChainHookDecl? Hook { get; set; }
    public Token? Policy { get; set; }
    public string? Comment { get; set; }
    public string? NewName { get; init; }
}

internal sealed class RuleCommand : ScriptCommand
{
    public required string Chain { get; init; }
    public SourceSpan ChainSpan { get; init; }
    public RuleNode? Rule { get; init; }
    public ulong? Position { get; init; }
    public ulong? Index { get; init; }
}

/// <summary>The body of a set or map declaration.</summary>
internal sealed class SetDecl
{
    public bool Typeof { get; set; }
    /// <summary>`type` component names, or the parsed `typeof` expression.</summary>
    public List<Token> KeyTypes { get; } = new();
    public Node? KeyExpr { get; set; }
    public SourceSpan KeySpan { get; set; }
    public List<Token>? DataTypes { get; set; }
    public Node? DataExpr { get; set; }
    public bool DataTypeof { get; set; }
    public bool DataInterval { get; set; }
    public SourceSpan DataSpan { get; set; }
    public List<Token> Flags { get; } = new();
    public ulong? TimeoutMs { get; set; }
    public ulong? GcIntervalMs { get; set; }
    public uint? Size { get; set; }
    public Token? Policy { get; set; }
    public List<StatementNode> Statements { get; } = new();
    public bool AutoMerge { get; set; }
    public string? Comment { get; set; }
    public SetNode? Elements { get; set; }
    public bool HasKey => KeyTypes.Count > 0 || KeyExpr is not null;
}

internal sealed class SetCommand : ScriptCommand
{
    public required string Name { get; init; }
    public SourceSpan NameSpan { get; init; }
    public bool IsMap { get; init; }
    public SetDecl? Decl { get; init; }
}

internal sealed class ElementCommand : ScriptCommand
{
    public required string Set { get; init; }
    public SourceSpan SetSpan { get; init; }
    public required SetNode Elements { get; init; }
}

/// <summary>counter, quota, limit, ct helper, ct timeout, ct expectation, synproxy, secmark objects.</summary>
internal sealed class ObjectCommand : ScriptCommand
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public SourceSpan NameSpan { get; init; }
    public Dictionary<string, object?> Options { get; } = new();
    public string? Comment { get; set; }
    public bool HasSpec { get; set; }
}

/// <summary>`reset counters|quotas [family]` and `reset counters|quotas table [family] t` (nft 1.0.6): every named
/// counter or quota of the family (Unspecified: all) or of the table (<see cref="ScriptCommand.Table"/> non-empty).</summary>
internal sealed class ObjectsResetCommand : ScriptCommand
{
    /// <summary>"counter" or "quota".</summary>
    public required string Kind { get; init; }
}

internal sealed class FlowtableCommand : ScriptCommand
{
    public required string Name { get; init; }
    public Token? Hook { get; set; }
    public Token? PriorityName { get; set; }
    public int PriorityOffset { get; set; }
    public SourceSpan PrioritySpan { get; set; }
    public List<string> Devices { get; } = new();
    public bool Counter { get; set; }
    public bool Offload { get; set; }
}
