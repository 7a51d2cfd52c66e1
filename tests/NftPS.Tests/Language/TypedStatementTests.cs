using System.Reflection;
using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.Language.DataTypes;
using NftPS.Language.Delinearize;
using NftPS.Language.Evaluate;
using NftPS.Language.Json;
using NftPS.Language.Linearize;
using NftPS.Language.Model;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Tests.Language;

/// <summary>The delinearizer builds a typed tree (Model): every kernel expression kind becomes a typed statement or
/// load, both printers print every kind from it, and nothing in the tree or the delinearizer is a closure.</summary>
public class TypedStatementTests
{
    /// <summary>Kernel expression kinds nft 1.0.6 itself cannot list as a statement of its own: they stay an
    /// <see cref="UnknownS"/>, shown as `unknown …` and preserved.</summary>
    private static readonly Type[] StayUnknown =
        { typeof(UnknownExpression), typeof(MatchExpression), typeof(TargetExpression), typeof(TunnelExpression) };

    private static readonly SetDescriptor AddressSet = new()
    {
        Name = "s", KeyTypes = new[] { T.Ipv4Addr }, KeyLengthsBits = new[] { 32 }, HasTimeout = true, IsDynamic = true,
    };

    private static readonly SetDescriptor MarkMap = new()
    {
        Name = "m", KeyTypes = new[] { T.Ipv4Addr }, KeyLengthsBits = new[] { 32 }, IsMap = true,
        DataType = T.Mark, DataLengthBits = 32, DataByteOrder = ByteOrder.Host,
    };

    /// <summary>An interval map on a host-order key: the key is converted to big endian first (byteorder).</summary>
    private static readonly SetDescriptor IntervalNatMap = new()
    {
        Name = "nm", KeyTypes = new[] { T.Integer }, KeyLengthsBits = new[] { 32 }, IsMap = true, IsInterval = true,
        DataType = T.Ipv4Addr, DataLengthBits = 32, DataByteOrder = ByteOrder.BigEndian,
    };

    /// <summary>One rule per statement and load kind (family, rule text); named sets only, so the JSON writer needs
    /// no anonymous set's elements.</summary>
    public static readonly TheoryData<string, string> Samples = new()
    {
        { "inet", "counter" },
        { "inet", "last" },
        { "inet", "log prefix \"x \" level info flags skuid" },
        { "inet", "limit rate over 10 mbytes/second burst 1 mbytes" },
        { "inet", "quota over 10 mbytes" },
        { "inet", "ct count over 3" },
        { "inet", "notrack" },
        { "inet", "flow add @ft" },
        { "ip", "tcp dport 22 reject with tcp reset" },
        { "inet", "reject with icmpx admin-prohibited" },
        { "ip", "meta l4proto tcp snat to 10.0.0.1-10.0.0.9:80-90 random" },
        { "inet", "dnat ip to 10.0.0.0/24" },
        { "ip", "meta l4proto tcp masquerade to :1024-2048 fully-random" },
        { "ip", "meta l4proto tcp redirect to :8080" },
        { "ip", "meta l4proto tcp tproxy to 1.2.3.4:80" },
        { "ip", "dup to 10.0.0.1 device \"lo\"" },
        { "netdev", "fwd to \"lo\"" },
        { "inet", "queue flags bypass to 1-3" },
        { "inet", "counter name \"c\"" },
        { "inet", "ct helper set \"h\"" },
        { "ip", "add @s { ip saddr timeout 1m counter }" },
        { "ip", "meta mark set ip saddr map @m" },
        { "ip", "tcp dport 80 synproxy mss 1460 wscale 7 timestamp sack-perm" },
        { "inet", "tcp option maxseg size set 1360" },
        { "inet", "reset tcp option sack-perm" },
        { "ip", "ip ttl set 64" },
        { "inet", "ct original zone set 1" },
        { "inet", "meta mark set 0x1 accept" },
        { "inet", "rt mtu 1500 drop" },
        { "inet", "socket transparent 1 socket mark 0x1" },
        { "inet", "osf ttl loose name \"Linux\"" },
        { "inet", "fib daddr . iif type local" },
        { "inet", "meta mark set numgen inc mod 2 offset 5" },
        { "ip", "meta mark set jhash ip saddr . ip daddr mod 2 seed 0xfeed" },
        { "inet", "meta mark set symhash mod 2 offset 100" },
        { "ip", "ipsec in ip saddr 192.168.1.0/24" },
        { "ip", "ipsec out spnum 1 reqid 23" },
        { "netdev", "udp dport 4789 vxlan ip saddr 1.2.3.4" },
        { "ip", "ip saddr 1.2.3.4-1.2.3.9 tcp dport != 22-25 jump x" },
        { "ip", "ip saddr @s ip dscp cs1 ct state established,related tcp flags & (syn | ack) == syn" },
        { "ip", "meta mark set ip dscp << 2 | 0x10" },
        { "ip", "dnat to numgen inc mod 10 map @nm" },
        { "ip", "ct mark set meta mark & 0xffff" },
    };

    private static (List<Expression> Expressions, NftFamily Family) Compile(string family, string rule)
    {
        var f = family switch { "ip" => NftFamily.Ip, "netdev" => NftFamily.Netdev, _ => NftFamily.Inet };
        var sets = new[] { AddressSet, MarkMap, IntervalNatMap };
        var compiled = RuleCompiler.Compile(rule, new CompileContext
        {
            Family = f, Table = "t", Chain = "c", FindSet = n => sets.FirstOrDefault(s => s.Name == n),
        });
        return (compiled.Expressions.ToList(), f);
    }

    private static IEnumerable<Expression> WithNested(Expression e)
    {
        yield return e;
        if (e is DynsetExpression d)
        {
            if (d.ElementExpression is { } one) yield return one;
            foreach (var x in d.ElementExpressions ?? Enumerable.Empty<Expression>()) yield return x;
        }
        if (e is InnerExpression { Body: { } body }) yield return body;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EachKindDecodesToTypedStatementsAndPrintsAsTextAndJson(string family, string rule)
    {
        var (exprs, f) = Compile(family, rule);
        var parser = new RuleParser(f, "t", null);
        parser.Parse(exprs);
        Assert.False(parser.Undecoded, rule);
        Assert.DoesNotContain(parser.Statements, s => s is UnknownS);

        var (text, _, _, undecoded) = RuleTextPrinter.Describe(f, "t", exprs, new NftRuleset(), PrintOptions.Default with { Stateless = true });
        Assert.False(undecoded, text);
        Assert.DoesNotContain("unknown", text, StringComparison.Ordinal);
        Assert.DoesNotContain("?", text, StringComparison.Ordinal);
        // The JSON writer must know every kind too (it refuses what it cannot write instead of dropping it).
        var json = RuleJson.Statements(f, "t", exprs, new NftRuleset(), PrintOptions.Default with { Stateless = true });
        Assert.NotEmpty(json);
    }

    [Fact]
    public void EveryKernelExpressionKindIsCoveredBySamples()
    {
        var produced = new HashSet<Type>();
        foreach (var row in Samples)
        {
            var (exprs, _) = Compile((string)row[0], (string)row[1]);
            foreach (var e in exprs.SelectMany(WithNested)) produced.Add(e.GetType());
        }
        var kinds = typeof(Expression).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Expression)) && !t.IsAbstract && !StayUnknown.Contains(t));
        Assert.Empty(kinds.Where(k => !produced.Contains(k)).Select(k => k.Name));
    }

    /// <summary>NF_NAT_RANGE_NETMAP is `prefix` in the text but both a flag and a type flag in nft 1.0.6's JSON
    /// (`nft -j list` of `snat ip prefix to 10.141.11.0/24`).</summary>
    [Fact]
    public void NetmapIsPrefixInTextAndFlagPlusTypeFlagInJson()
    {
        var (exprs, f) = Compile("ip", "snat ip prefix to 10.141.11.0/24");
        var options = PrintOptions.Default with { Stateless = true };
        Assert.Equal("snat prefix to 10.141.11.0/24", RuleTextPrinter.Describe(f, "t", exprs, new NftRuleset(), options).Text);
        Assert.Equal("""[{"snat": {"addr": {"prefix": {"addr": "10.141.11.0", "len": 24}}, "flags": "netmap", "type_flags": "prefix"}}]""",
            NftJsonText.Write(RuleJson.Statements(f, "t", exprs, new NftRuleset(), options)));
    }

    [Fact]
    public void KindsNftCannotListStayUnknownAndVisible()
    {
        var raw = new UnknownExpression("frobnicate", new byte[] { 1, 2 });
        var (text, parts, _, undecoded) = RuleTextPrinter.Describe(NftFamily.Ip, "t",
            new Expression[] { raw, new CounterExpression() }, new NftRuleset(), PrintOptions.Default with { Stateless = true });
        Assert.True(undecoded);
        Assert.Equal("unknown " + raw.ToDebugString() + " counter", text);
        Assert.Equal(new[] { "unknown", "counter" }, parts.OfType<NftStatementPart>().Select(p => p.Kind));
    }

    /// <summary>An xt (compat) expression is no longer unknown: with info it cannot translate (here none at all) it
    /// lists as nft 1.0.6 does, `xt match NAME`, and the rule stays readable.</summary>
    [Fact]
    public void CompatExpressionsWithoutTranslationListAsNftDoes()
    {
        var xt = new MatchExpression { ExtensionName = "conntrack", Revision = 3 };
        var (text, _, _, undecoded) = RuleTextPrinter.Describe(NftFamily.Ip, "t",
            new Expression[] { xt, new CounterExpression() }, new NftRuleset(), PrintOptions.Default with { Stateless = true });
        Assert.False(undecoded);
        Assert.Equal("xt match conntrack counter", text);
    }

    /// <summary>The "the closures in Delinearize go away": no type of the tree or of the delinearizer holds a
    /// delegate (a statement or load is data; the printers hold the code).</summary>
    [Fact]
    public void TheTreeAndTheDelinearizerHoldNoDelegates()
    {
        var types = typeof(SExpr).Assembly.GetTypes().Where(t =>
            t.Namespace is "NftPS.Language.Model" or "NftPS.Language.Delinearize" && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)));
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var offenders = types.SelectMany(t =>
            t.GetProperties(all).Select(p => (t, p.Name, p.PropertyType))
                .Concat(t.GetFields(all).Select(f => (t, f.Name, f.FieldType))))
            .Where(m => typeof(Delegate).IsAssignableFrom(m.Item3))
            .Select(m => m.t.Name + "." + m.Name);
        Assert.Empty(offenders);
        Assert.Contains(types, t => t == typeof(NatS));
    }
}
