using NftPS.Language;
using NftPS.Language.Query;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.Tests.Expressions;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Query;

/// <summary>The query properties over every rule of the conformance vectors, read back from the kernel: computing
/// them never throws, whatever the rule holds, and an undecodable rule stays marked as such.</summary>
public class RuleFactsVectorTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public RuleFactsVectorTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }


    [KernelFact]
    public void FactsOfEveryVectorRuleAreComputedWithoutThrowing()
    {
        _ns.Require();
        string conformance = Path.Combine(TestEnvironment.RequireShared(), "conformance");
        string nftPy = Path.Combine(conformance, "nft-py");
        var rejected = ConformanceFile.ReadRejectedLines(conformance);
        using var conn = NfTablesConnection.Open(_ns.Name);
        var failures = new List<string>();
        int rules = 0, withMatches = 0, withPorts = 0, withAddresses = 0, withAction = 0, undecoded = 0;
        foreach (string path in ConformanceFile.Files(nftPy))
        {
            var file = ConformanceFile.Parse(path, nftPy, rejected);
            if (file.Rules.Count == 0) continue;
            _ns.Nft("flush", "ruleset");
            foreach (var cmd in file.Preamble) _ns.NftLoad(cmd + "\n");
            _ns.NftLoadKeepingGood(file.Rules.Select(r => r.Command).ToList());
            var rs = new RulesetReader(conn).ReadDescribed();
            foreach (var rule in rs.Rules)
            {
                rules++;
                bool wasUndecoded = rule.HasUndecodedExpressions;
                try
                {
                    var facts = rule.Facts;
                    if (!facts.Matches.IsEmpty || !facts.Not.IsEmpty) withMatches++;
                    if (rule.DestinationPort.Length + rule.SourcePort.Length > 0) withPorts++;
                    if (rule.SourceAddress.Length + rule.DestinationAddress.Length > 0) withAddresses++;
                    if (rule.Action != NftRuleAction.None) withAction++;
                    _ = facts.Matches.ToString() + facts.Not.ToString() + facts.Limit?.ToString();
                }
                catch (Exception ex)
                {
                    failures.Add($"{file.RelativePath} {rule.Table} {rule.Chain} `{rule.Text}`: {ex.GetType().Name} {ex.Message}");
                }
                if (wasUndecoded) undecoded++;
                Assert.Equal(wasUndecoded, rule.HasUndecodedExpressions);
            }
        }
        _out.WriteLine($"{rules} rules: {withMatches} with typed matches, {withPorts} with ports, {withAddresses} with addresses, {withAction} with an action, {undecoded} undecodable");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.True(rules > 1000, $"only {rules} rules were loaded");
        Assert.True(withPorts > 100 && withAddresses > 100 && withAction > 100, "too few rules gave typed values");
    }
}

/// <summary>The extractor and the query semantics without a kernel.</summary>
public class RuleFactsUnitTests
{
    [Fact]
    public void ARuleOfGarbageOrUnknownExpressionsGivesEmptyFacts()
    {
        var garbage = new NftRule { Family = NftFamily.Inet, Table = "t", Chain = "c", RawExpressions = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 } };
        var facts = RuleFactsExtractor.Extract(garbage, null);
        Assert.True(facts.Matches.IsEmpty);
        Assert.Equal(NftRuleAction.None, facts.Action);

        var unknown = new NftRule
        {
            Family = NftFamily.Ip, Table = "t", Chain = "c", HasUndecodedExpressions = true,
            Expressions = new Expression[] { new UnknownExpression("frobnicate", new byte[] { 0xde, 0xad }) },
        };
        var f2 = RuleFactsExtractor.Extract(unknown, null);
        Assert.True(f2.Matches.IsEmpty);
        Assert.True(unknown.HasUndecodedExpressions);
    }

    [Fact]
    public void ARuleWithoutASourceHasEmptyProperties()
    {
        var rule = new NftRule();
        Assert.Empty(rule.DestinationPort);
        Assert.Empty(rule.Sets);
        Assert.Equal(NftRuleAction.None, rule.Action);
        Assert.False(rule.Matches("dport", 22));
    }

    private static NftRule With(NftMatchValues yes, NftMatchValues? no = null) =>
        new() { Facts = new NftRuleFacts { Matches = yes, Not = no ?? NftMatchValues.Empty } };

    [Fact]
    public void AddressesPassInsidePrefixesAndRangesAndNotInsideExclusions()
    {
        var ten = System.Net.IPNetwork.Parse("10.0.0.0/8");
        var rule = With(new NftMatchValues { SourceAddress = new object[] { ten } });
        Assert.True(rule.Matches("SourceAddress", "10.1.2.3"));
        Assert.True(rule.Matches("saddr", "10.1.0.0/16"));
        Assert.True(rule.Matches("saddr", "0.0.0.0/0"));
        Assert.False(rule.Matches("saddr", "11.0.0.1"));
        Assert.False(rule.Matches("saddr", "::1"));
        Assert.False(rule.Matches("daddr", "10.1.2.3"));

        var notTen = With(NftMatchValues.Empty, new NftMatchValues { SourceAddress = new object[] { ten } });
        Assert.False(notTen.Matches("saddr", "10.1.2.3"));
        Assert.True(notTen.Matches("saddr", "192.0.2.1"));
        Assert.True(notTen.Matches("saddr", "0.0.0.0/0"));

        var range = With(new NftMatchValues { DestinationAddress = new object[] { new NftAddressRange(System.Net.IPAddress.Parse("10.9.0.1"), System.Net.IPAddress.Parse("10.9.0.9")) } });
        Assert.True(range.Matches("daddr", "10.9.0.5"));
        Assert.False(range.Matches("daddr", "10.9.0.10"));
    }

    [Fact]
    public void PortsPassInsideRangesAndSetsAndNotInsideExclusions()
    {
        var rule = With(new NftMatchValues { DestinationPort = new object[] { 25, 465, new NftPortRange(1000, 2000) } },
            new NftMatchValues { DestinationPort = new object[] { 1500 } });
        Assert.True(rule.Matches("DestinationPort", 465));
        Assert.True(rule.Matches("dport", "1999"));
        Assert.True(rule.Matches("dport", "1400-1600"));
        Assert.False(rule.Matches("dport", 1500));
        Assert.False(rule.Matches("dport", 22));
        Assert.False(rule.Matches("sport", 25));
    }

    [Theory]
    [InlineData("22; drop")]
    [InlineData("70000")]
    [InlineData("20-10")]
    [InlineData("-5")]
    [InlineData("")]
    public void APortFilterIsOnePortOrRange(string text) =>
        Assert.Throws<ArgumentException>(() => NftRuleQuery.ParsePort(text));

    [Theory]
    [InlineData("10.0.0.0/8 accept")]
    [InlineData("10.1.2.3/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("eth0")]
    public void AnAddressFilterIsOneAddressOrPrefix(string text) =>
        Assert.Throws<ArgumentException>(() => NftRuleQuery.ParseAddress(text));

    [Fact]
    public void InterfaceWildcardsOfTheRuleCoverNames()
    {
        var rule = With(new NftMatchValues { InputInterface = new[] { "eth*" } });
        Assert.True(rule.Matches("iifname", "eth0"));
        Assert.False(rule.Matches("iifname", "wg0"));
        Assert.Throws<ArgumentException>(() => rule.Matches("colour", "red"));
    }

    [Theory]
    [InlineData(10UL, 1UL, 5U, false, false, "10/second")]
    [InlineData(50UL, 1UL, 20U, false, false, "50/second burst 20 packets")]
    [InlineData(10UL, 60UL, 5U, false, true, "over 10/minute")]
    [InlineData(1048576UL, 1UL, 0U, true, false, "1 mbytes/second")]
    public void LimitsPrintAsNewNftRuleTakesThem(ulong rate, ulong unit, uint burst, bool bytes, bool over, string text) =>
        Assert.Equal(text, new NftLimit(rate, NftLimit.PeriodName(unit), burst, bytes, over).ToString());

    [Fact]
    public void AlignedAddressSpansArePrefixes()
    {
        Func<string, System.Net.IPAddress> ip = System.Net.IPAddress.Parse;
        Assert.Equal("1.2.3.0/24", MatchReader.AddressSpan(ip("1.2.3.0"), ip("1.2.3.255")).ToString());
        Assert.Equal("1.2.3.1-1.2.3.9", MatchReader.AddressSpan(ip("1.2.3.1"), ip("1.2.3.9")).ToString());
        Assert.Equal(ip("5.6.7.8"), MatchReader.AddressSpan(ip("5.6.7.8"), ip("5.6.7.8")));
    }

    [Fact]
    public void PortRangesCompareWithPorts()
    {
        var range = new NftPortRange(1000, 2000);
        Assert.True(range.CompareTo(443) > 0);
        Assert.True(range.CompareTo(3000) < 0);
        Assert.True(range.CompareTo(new NftPortRange(1000, 1500)) > 0);
        Assert.Equal("1000-2000", range.ToString());
    }
}
