using NftPS.Cmdlets.Changes;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;

namespace NftPS.Tests.Safety;

/// <summary>A rule built from parameters as a syntax tree compiles to exactly the expressions (and anonymous set
/// elements) its own text compiles to, so -WhatIf shows what is sent and rules list as they did when they were text.</summary>
public class RuleTreeEncodingTests
{
    private static readonly RuleTreeBuilder[] Cases =
    {
        new RuleTreeBuilder { Family = NftFamily.Inet, Protocol = "tcp", DestinationPort = new[] { "22" }, Action = NftRuleAction.Accept },
        new RuleTreeBuilder { Family = NftFamily.Ip, Protocol = "udp", SourcePort = new[] { "53" }, DestinationPort = new[] { "1024-65535" }, Counter = true, Action = NftRuleAction.Drop },
        new RuleTreeBuilder { Family = NftFamily.Inet, Protocol = "tcp", DestinationPort = new[] { "22, 80", "https" }, ConnectionState = new[] { "new" }, Action = NftRuleAction.Accept },
        new RuleTreeBuilder { Family = NftFamily.Inet, SourceAddress = new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.9" }, Action = NftRuleAction.Drop },
        new RuleTreeBuilder { Family = NftFamily.Inet, DestinationAddress = new[] { "2001:db8::/32" }, Log = true, LogLevel = "warn" },
        new RuleTreeBuilder { Family = NftFamily.Ip6, Protocol = "icmpv6", Action = NftRuleAction.Accept },
        new RuleTreeBuilder { Family = NftFamily.Inet, InputInterface = new[] { "eth0", "wg*" }, OutputInterface = new[] { "lo" }, Action = NftRuleAction.Return },
        new RuleTreeBuilder { Family = NftFamily.Inet, User = "0", LogPrefix = "x;} y ", Limit = "over 10/minute burst 20 packets", Action = NftRuleAction.Jump, Target = "other" },
        new RuleTreeBuilder { Family = NftFamily.Inet, Protocol = "tcp", Limit = "limit rate 1 mbytes/second", Action = NftRuleAction.Goto, Target = "odd name" },
        new RuleTreeBuilder { Family = NftFamily.Inet, ConnectionState = new[] { "established", "related" }, Action = NftRuleAction.Accept },
    };

    public static IEnumerable<object[]> Indexes() => Enumerable.Range(0, Cases.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Indexes))]
    public void TheTreeCompilesAsItsTextDoes(int index)
    {
        var builder = Cases[index];
        var tree = builder.Build();
        var fromTree = RuleCompiler.Compile(tree, new CompileContext { Family = builder.Family, Table = "t", Chain = "c" });
        var fromText = RuleCompiler.Compile(tree.Text, new CompileContext { Family = builder.Family, Table = "t", Chain = "c" });
        Assert.Equal(fromText.DebugLines, fromTree.DebugLines);
        Assert.Equal(fromText.AnonymousSets.Count, fromTree.AnonymousSets.Count);
        for (int i = 0; i < fromText.AnonymousSets.Count; i++)
            Assert.Equal(fromText.AnonymousSets[i].Elements.Select(e => Convert.ToHexString(e.Key ?? Array.Empty<byte>()) + e.Flags),
                         fromTree.AnonymousSets[i].Elements.Select(e => Convert.ToHexString(e.Key ?? Array.Empty<byte>()) + e.Flags));
    }
}
