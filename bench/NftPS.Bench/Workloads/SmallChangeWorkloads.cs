using NftPS.NfTables;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.Bench.Workloads;

/// <summary>W4: one small change while the ruleset is big: a table ip t with an interval set of P /25 prefixes and a
/// plain set, and the W1 ruleset of R rules. Prepared once; every run adds a different element or deletes a
/// different rule (by handle), so runs never collide.</summary>
public sealed class SmallChange : Workload
{
    public enum Kind { AddElement, DeleteRule }

    private readonly Kind _kind;
    private readonly int _prefixes, _rules;

    public SmallChange(Kind kind, int prefixes, int rules)
    {
        _kind = kind;
        _prefixes = prefixes;
        _rules = rules;
    }

    public override string Id => _kind == Kind.AddElement ? "W4-add-elem" : "W4-del-rule";
    public override string Description => (_kind == Kind.AddElement ? "add 1 element" : "delete 1 rule by handle")
        + $" ({_prefixes:N0}-prefix interval set, {_rules:N0} rules)";
    public override Target? Target => Target.Absolute(2);

    /// <summary>Handle of the first W1 rule: the chain takes handle 1 of the fresh table, its rules follow in order.</summary>
    public const ulong FirstRuleHandle = 2;

    public override void Prepare(BenchContext context)
    {
        context.Flush();
        context.NftLoad("w4-nets.nft", IntervalSetText() + "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n");
        context.NftLoad("w4-rules.nft", CoreOps.RulesetText(_rules));
        using var connection = NfTablesConnection.Open(context.Namespace.Name);
        var rules = new RulesetReader(connection).Read(new RulesetQuery
        {
            Table = CoreOps.RuleTable, IncludeSets = false, IncludeElements = false, IncludeObjects = false,
            IncludeFlowtables = false, DescribeRules = false,
        }).Rules;
        if (rules.Count != _rules || rules[0].Handle != FirstRuleHandle || rules[^1].Handle != FirstRuleHandle + (ulong)_rules - 1)
            throw new InvalidOperationException($"W4: unexpected rule handles ({rules.Count} rules from {rules[0].Handle}).");
    }

    private string IntervalSetText() => IntervalSetWithPrefixes.IntervalSetText(_prefixes, "nets");

    public static string Element(int run) => CoreOps.Ip(0xC0000000u + (uint)run); // 192.0.0.0 + run

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => new[]
    {
        _kind == Kind.AddElement
            ? new[] { "add", "element", "ip", "t", "s", "{ " + Element(run) + " }" }
            : new[] { "delete", "rule", "inet", CoreOps.RuleTable, CoreOps.RuleChain, "handle", Handle(run).ToString() },
    };

    public static ulong Handle(int run) => FirstRuleHandle + (ulong)run;

    public override void RunNftPs(NftPsSession session, int run)
    {
        if (run >= _rules) throw new InvalidOperationException("W4: more runs than rules to delete.");
        var batch = new NftBatch();
        if (_kind == Kind.AddElement)
        {
            var key = System.Net.IPAddress.Parse(Element(run)).GetAddressBytes();
            batch.AddElements(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, new[] { new ElementSpec { Key = key } }, CoreOps.DescribeIpv4);
        }
        else
        {
            batch.DeleteRule(NftFamily.Inet, CoreOps.RuleTable, CoreOps.RuleChain, Handle(run));
        }
        session.Execute(batch);
    }
}

/// <summary>Module import: Import-Module of out/NftPS/NftPS.psd1 in a fresh process's new runspace (the in-session
/// column), and that whole process (runtime start, runspace, import; the whole-process column). No nft counterpart.</summary>
public sealed class ModuleImport : Workload
{
    public override string Id => "import";
    public override string Description => "Import-Module NftPS (cold, fresh process)";
    public override string NftPsVia => "cmdlet";
    public override bool HasNft => false;
    public override Target? Target => Target.Absolute(300);
    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => Array.Empty<string[]>();
    public override void RunNftPs(NftPsSession session, int run) { }
}
