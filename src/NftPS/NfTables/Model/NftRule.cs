using NftPS.NfTables.Expressions;

namespace NftPS.NfTables.Model;

public sealed partial class NftRule : NftObjectBase
{
    public string Table { get; set; } = "";
    public string Chain { get; set; } = "";
    /// <summary>0-based index of the rule in its chain.</summary>
    public int Position { get; set; }
    /// <summary>Handle of the rule before this one (the kernel's NFTA_RULE_POSITION); null for the first rule.</summary>
    public ulong? PreviousHandle { get; set; }
    /// <summary>The rule as nft lists it (without comment or handle).</summary>
    public string Text { get; set; } = "";
    public string? Comment { get; set; }
    /// <summary>The rule as `nft -s` prints it: without counter values and other state, without the comment. What
    /// New-NftRule -Rule takes (its alias), so a rule piped to New-NftRule is copied without its counters.</summary>
    public string StatelessText { get; set; } = "";
    /// <summary>Packets counted by the rule's counter statement; null when the rule has no counter.</summary>
    public ulong? Counter { get; set; }
    /// <summary>Bytes counted by the rule's counter statement; null when the rule has no counter.</summary>
    public ulong? Bytes { get; set; }
    /// <summary>The final verdict (accept, drop, reject, jump x, goto x, return, queue...), null when the rule has none.</summary>
    public string? Verdict { get; set; }
    /// <summary>True when the printer could not express every expression in nft syntax; Text then shows the raw expressions.</summary>
    public bool HasUndecodedExpressions { get; set; }
    /// <summary>Kernel expressions as decoded (one typed record per kind; unknown kinds are kept raw).</summary>
    public IReadOnlyList<Expression> Expressions { get; set; } = Array.Empty<Expression>();
    /// <summary>The decoded parts of the rule in nft terms: matches (field, operator, value) and statements.</summary>
    public IReadOnlyList<object> Parts { get; set; } = Array.Empty<object>();
    /// <summary>The payload of NFTA_RULE_EXPRESSIONS exactly as the kernel returned it (a list of NFTA_LIST_ELEM).</summary>
    public byte[] RawExpressions { get; set; } = Array.Empty<byte>();
    /// <summary>Number of rules in the chain (filled by the reader).</summary>
    public int RuleCount { get; set; }
    public byte[]? UserData { get; set; }
    public override string ToString() => Text;
}
