namespace NftPS.Tests.Conformance.Vectors;

/// <summary>What a `.t` line expects: success or rejection.</summary>
public enum Expectation { Ok, Fail }

/// <summary>One line of a `.t` file, in file order. 1-based <see cref="Line"/> as in the status TSVs.</summary>
public abstract record VectorLine(int Line);

/// <summary>`:NAME;SPEC`: a chain template; nothing is created until a table line names it.</summary>
public sealed record ChainTemplate(int Line, string Name, string Spec) : VectorLine(Line);

/// <summary>`*FAMILY;TABLE;CHAIN[,CHAIN]`: a table and its chains, the chains' specs resolved from the templates declared so far.</summary>
public sealed record TableDeclaration(int Line, string Family, string Name, IReadOnlyList<ChainTemplate> Chains) : VectorLine(Line)
{
    public string Key => Family + " " + Name;
}

/// <summary>`!NAME type T [. T] [: DATA] [timeout X] [flags F];ok|fail` (or `typeof EXPR`).</summary>
public sealed record SetDirective(int Line, string Name, string KeyType, string? DataType, string? Timeout, string? Flags, Expectation Expect)
    : VectorLine(Line)
{
    /// <summary>True for a map (`: DATA` present).</summary>
    public bool IsMap => DataType is not null;

    /// <summary>The nft command that creates it in one table, the way upstream's harness spells it.</summary>
    public string ToCommand(string family, string table)
    {
        string body = IsMap ? $"{KeyType} : {DataType};" : $"{KeyType};";
        if (Timeout is not null) body += $" timeout {Timeout};";
        if (Flags is not null) body += $" flags {Flags};";
        return $"add {(IsMap ? "map" : "set")} {family} {table} {Name} {{ {body} }}";
    }
}

/// <summary>`?NAME ELEM[, ELEM];ok|fail`.</summary>
public sealed record ElementDirective(int Line, string SetName, string Elements, Expectation Expect) : VectorLine(Line)
{
    public string ToCommand(string family, string table) => $"add element {family} {table} {SetName} {{ {Elements} }}";
}

/// <summary>`%NAME type KIND [SPEC];ok|fail`: a named stateful object.</summary>
public sealed record ObjectDirective(int Line, string Name, string Kind, string Spec, Expectation Expect) : VectorLine(Line)
{
    public string ToCommand(string family, string table) =>
        Spec.Length == 0 ? $"add {Kind} {family} {table} {Name}" : $"add {Kind} {family} {table} {Name} {Spec}";
}

/// <summary>`RULE;ok[;CANONICAL]`, `RULE;fail`, or a disabled `- RULE;...` line.</summary>
public sealed record RuleVector(int Line, string Rule, Expectation Expect, string? Canonical, bool Disabled) : VectorLine(Line)
{
    /// <summary>What nft's listing is expected to read (upstream: rule[2] when present, else the rule).</summary>
    public string ExpectedListing => (Canonical ?? Rule).TrimEnd();
}

/// <summary>A parsed `.t` file. <see cref="Name"/> is the path relative to nft-py/, e.g. "ip/sets.t".</summary>
public sealed record VectorFile(string Name, string Path, IReadOnlyList<VectorLine> Lines, IReadOnlyList<string> Warnings)
{
    /// <summary>The folder the file lives in (any, arp, bridge, inet, ip, ip6, netdev).</summary>
    public string Folder => Name.Split('/')[0];
    public IEnumerable<TableDeclaration> Tables => Lines.OfType<TableDeclaration>();
    public IEnumerable<RuleVector> Rules => Lines.OfType<RuleVector>();
    public IEnumerable<RuleVector> EnabledOkRules => Rules.Where(r => !r.Disabled && r.Expect == Expectation.Ok);

    /// <summary>The tables a line at <paramref name="line"/> is applied to: those declared before it.</summary>
    public IReadOnlyList<TableDeclaration> TablesBefore(int line) => Tables.Where(t => t.Line < line).ToList();
}
