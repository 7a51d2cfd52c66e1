using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;
using NftPS.Tests.Compiler;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Operations;

/// <summary>The text of an operation (what -WhatIf shows) parses back to an equal operation: operation → text →
/// parse → operation, for every verb and object kind NftPS queues and for every rule vector of the conformance corpus.</summary>
public class OperationTextRoundTripTests
{
    private readonly ITestOutputHelper _out;
    public OperationTextRoundTripTests(ITestOutputHelper output) => _out = output;

    /// <summary>Sets the re-parsed text may refer to, as the kernel would report them.</summary>
    private static readonly Dictionary<string, SetDescriptor> KnownSets = new()
    {
        ["addrs"] = SetDeclarations.FromType("addrs", "ipv4_addr", null, false),
        ["nets"] = SetDeclarations.FromType("nets", "ipv4_addr", null, true),
        ["ports"] = SetDeclarations.FromType("ports", "inet_service", null, false),
        ["vmap"] = SetDeclarations.FromType("vmap", "inet_service", "verdict", false),
    };

    /// <summary>Chains the re-parsed text may rename, with the handles the kernel would report (any other: 42).</summary>
    private static readonly Dictionary<string, ulong> KnownChains = new() { ["c"] = 7, ["old name"] = 8 };

    private static ScriptContext Context() => new()
    {
        FindExistingSet = (_, _, name) => KnownSets.GetValueOrDefault(name),
        FindExistingChain = (_, _, name) => KnownChains.GetValueOrDefault(name, 42UL),
    };

    /// <summary>Parses nft text into the typed operations it queues.</summary>
    private static List<NftOperation> Parse(string text)
    {
        var batch = new NftBatch();
        NftScript.Parse(text).QueueOn(batch, Context());
        return batch.TypedOperations.ToList();
    }

    /// <summary>Operation → text → parse → operation: equal operations, and the text is a fixed point.</summary>
    private static void AssertRoundTrip(NftBatch original)
    {
        string text = original.ToString();
        var reparsed = new NftBatch();
        NftScript.Parse(text).QueueOn(reparsed, Context());
        Assert.True(original.TypedOperations.SequenceEqual(reparsed.TypedOperations),
            $"text:\n{text}\nre-parsed as:\n{reparsed}\n({original.Count} operations, {reparsed.Count} re-parsed)");
        Assert.Equal(text, reparsed.ToString());
    }

    /// <summary>Every verb × object kind the batch writer queues, with names and comments that need quoting.</summary>
    public static IEnumerable<object[]> Commands() => new[]
    {
        "flush ruleset",
        "flush ruleset ip6",
        "add table inet t",
        "add table ip \"my table\" { flags dormant; comment \"a 'quoted' comment; with a semicolon\"; }",
        "create table bridge t { comment \"x;y\"; }",
        "delete table inet t",
        "delete table ip handle 7",
        "destroy table arp t",
        "flush table inet \"t 1\"",
        "add chain inet t c",
        "add chain inet t \"chain with space\" { comment \"hi\"; }",
        "add chain inet t in { type filter hook input priority -150; policy drop; }",
        "create chain ip t out { type nat hook output priority 100; }",
        "add chain netdev t ing { type filter hook ingress device \"lo\" priority 0; policy accept; }",
        "add chain netdev t ing2 { type filter hook ingress devices = { \"lo\", \"dummy0\" } priority 0; }",
        "delete chain inet t c",
        "delete chain inet t handle 9",
        "destroy chain inet t \"c-2\"",
        "flush chain inet t c",
        "chain inet t c { policy drop; }",
        "chain ip \"my table\" \"in put\" { policy accept; }",
        "rename chain inet t c d",
        "rename chain ip6 t \"old name\" \"new name\"",
        "add rule inet t c tcp dport 22 accept",
        "add rule inet t c ip saddr { 10.0.0.1, 10.0.0.2 } counter drop comment \"no entry; really\"",
        "add rule inet t c position 5 tcp dport @ports accept",
        "insert rule inet t c udp dport 53 accept",
        "insert rule inet t c position 3 ip saddr @nets drop",
        "add rule inet t c tcp dport vmap { 22 : accept, 80 : drop }",
        "add rule inet t c jump other",
        "replace rule inet t c handle 4 meta l4proto tcp reject",
        "delete rule inet t c handle 4",
        "destroy rule inet t \"c 1\" handle 4",
        "add set inet t s { type ipv4_addr; }",
        "add set inet t \"s 2\" { type ipv4_addr; flags interval; comment \"set\"; }",
        "create set inet t s3 { type inet_service; timeout 1m; size 100; }",
        "add set inet t s4 { typeof ip saddr . tcp dport; elements = { 10.0.0.1 . 22 } }",
        "add map inet t m { type ipv4_addr : verdict; }",
        "add map inet t m2 { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.1 } }",
        "delete set inet t s",
        "delete map inet t handle 3",
        "destroy set inet t s",
        "flush set inet t s",
        "flush map inet t \"m 1\"",
        "add element inet t addrs { 10.0.0.1, 10.0.0.2 }",
        "add element inet t nets { 10.0.0.0/8, 192.168.1.1-192.168.1.9 }",
        "create element inet t ports { 22, 80 }",
        "delete element inet t addrs { 10.0.0.1 }",
        "destroy element inet t ports { 443 }",
        "add element inet t vmap { 22 : accept, 23 : jump other }",
        "add counter inet t c1",
        "add counter inet t \"c 2\" { packets 1 bytes 2 }",
        "create quota inet t q { 1000 bytes }",
        "add quota inet t q2 { over 5 mbytes }",
        "add limit inet t l { rate 10/second }",
        "add limit inet t l2 { rate over 400/minute burst 5 packets }",
        "add limit inet t l3 { rate 1 mbytes/second burst 2 kbytes }",
        "add set inet t s5 { type ipv4_addr; flags interval, timeout; timeout 1h; gc-interval 10s; size 1000; policy memory; auto-merge; comment \"c\"; elements = { 10.0.0.0/8 timeout 1m, 1.1.1.1 } }",
        "add set inet t s6 { type ipv4_addr; counter; }",
        "delete counter inet t c1",
        "destroy quota inet t handle 5",
        "add ct helper inet t h { type \"ftp\" protocol tcp; }",
        "add ct expectation ip t e { protocol tcp; dport 22; timeout 10s; size 5; }",
        "add ct timeout ip t to { protocol tcp; l3proto ip; policy = { established : 100, close : 4 }; }",
        "add flowtable inet t f { hook ingress priority 0; devices = { \"lo\" }; }",
        "create flowtable inet t \"f 2\" { hook ingress priority -10; devices = { \"lo\", \"eth0\" }; flags offload; counter; }",
        "delete flowtable inet t f",
    }.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_operation_kind_reparses_from_its_text(string command)
    {
        var batch = new NftBatch();
        NftScript.Parse(command).QueueOn(batch, Context());
        Assert.NotEqual(0, batch.Count);
        AssertRoundTrip(batch);
    }

    /// <summary>Operations built directly (as the cmdlets build them), with names that need quoting or escaping.</summary>
    [Fact]
    public void Operations_built_by_the_cmdlets_reparse_from_their_text()
    {
        string[] names = { "t", "my table", "a\"b", "tab\there", "x;add table ip evil", "ünï", "{braces}" };
        foreach (string name in names)
        {
            if (NftPS.NfTables.Model.NftIdentifier.NameProblem(name) is not null) continue;
            var batch = new NftBatch();
            batch.AddTable(NftFamily.Inet, name, 1, comment: name);
            batch.AddChain(NftFamily.Inet, name, name, comment: name);
            batch.AddChain(NftFamily.Inet, name, "base", new ChainHookSpec("filter", 1, 7), "drop");
            batch.DeleteChain(NftFamily.Inet, name, name, destroy: true);
            batch.FlushChain(NftFamily.Inet, name, name);
            batch.SetChainPolicy(NftFamily.Inet, name, name, "drop");
            batch.RenameChain(NftFamily.Inet, name, 42, name, name + " 2");
            batch.DeleteSet(NftFamily.Inet, name, name, isMap: true);
            batch.FlushSet(NftFamily.Inet, name, name);
            batch.DeleteRule(NftFamily.Inet, name, name, 12);
            batch.DeleteObject(NftFamily.Inet, name, name, 2, "quota");
            batch.FlushTable(NftFamily.Inet, name);
            batch.DeleteTable(NftFamily.Inet, name);
            AssertRoundTrip(batch);
        }
    }

    [Fact]
    public void Equal_operations_are_equal_and_different_ones_are_not()
    {
        var a = Parse("add rule inet t c tcp dport 22 accept comment \"x\"").Single();
        var b = Parse("add rule inet t c tcp dport 22 accept comment \"x\"").Single();
        Assert.Equal(a, b);
        Assert.NotSame(a, b);
        Assert.NotEqual(a, Parse("add rule inet t c tcp dport 23 accept comment \"x\"").Single());
        Assert.NotEqual(a, Parse("add rule inet t c tcp dport 22 accept comment \"y\"").Single());
        Assert.NotEqual(a, Parse("insert rule inet t c tcp dport 22 accept comment \"x\"").Single());
        Assert.NotEqual(Parse("add element inet t addrs { 10.0.0.1 }").Single(), Parse("add element inet t addrs { 10.0.0.2 }").Single());
        Assert.NotEqual(Parse("add chain netdev t c { type filter hook ingress device \"lo\" priority 0; }").Single(),
            Parse("add chain netdev t c { type filter hook ingress device \"eth0\" priority 0; }").Single());
    }

    [Fact]
    public void An_incomplete_operation_is_refused_when_queued()
    {
        var batch = new NftBatch();
        var e = Assert.Throws<NftOperationException>(() => batch.Add(new RuleOperation(NftVerb.Delete, NftFamily.Inet, "t", "c")));
        Assert.Contains("handle", e.Message);
        Assert.Throws<NftOperationException>(() => batch.Add(new SetOperation(NftVerb.Add, NftFamily.Inet, "t", "s")));
        Assert.Throws<NftOperationException>(() => batch.Add(new ElementOperation(NftVerb.Add, NftFamily.Inet, "t", "s")));
        Assert.Throws<NftOperationException>(() => batch.Add(new TableOperation(NftVerb.Insert, NftFamily.Inet, "t")));
        Assert.Throws<NftPS.NfTables.Model.NftInvalidValueException>(() => batch.Add(new TableOperation(NftVerb.Add, NftFamily.Inet, "")));
        Assert.Equal(0, batch.Count);
    }

    /// <summary>Resets, which are requests answered at once rather than batch messages: their text parses back to an
    /// equal reset operation, and a script refuses them in a transaction.</summary>
    [Theory]
    [InlineData("reset counter inet t c1")]
    [InlineData("reset counter ip \"my table\" \"c 2\"")]
    [InlineData("reset quota bridge t q")]
    [InlineData("reset rule inet t c handle 4")]
    [InlineData("reset rule ip6 \"t 1\" \"in put\" handle 18446744073709551615")]
    [InlineData("reset counters")]
    [InlineData("reset quotas inet")]
    [InlineData("reset counters table ip \"my table\"")]
    [InlineData("reset quotas table netdev t")]
    public void Every_reset_reparses_from_its_text(string command)
    {
        var op = ScriptResets.Of(NftScript.Parse(command).Commands.Single());
        Assert.Equal(command, op.ToCommandText());
        var again = ScriptResets.Of(NftScript.Parse(op.ToCommandText()).Commands.Single());
        Assert.Equal(op, again);
        Assert.Equal(NftVerb.Reset, again.Verb);
        var e = Assert.Throws<NftPS.Language.Syntax.NftEvaluationException>(() => NftScript.Parse(command).QueueOn(new NftBatch(), Context()));
        Assert.Contains("not part of a transaction", e.Message);
    }

    /// <summary>A caller that takes resets (Import-NftRuleset) gets them in file order, off the batch; nft 1.0.6's
    /// grammar has no `reset rule` in a file.</summary>
    [Fact]
    public void A_script_hands_its_resets_to_a_caller_that_takes_them()
    {
        var resets = new List<ScriptReset>();
        var batch = new NftBatch();
        NftScript.Parse("reset counter t c\nadd table ip u\nreset quotas table inet w\nreset counters\n")
            .QueueOn(batch, new ScriptContext { Resets = resets });
        Assert.Equal(1, batch.Count);
        Assert.Equal(new[] { "reset counter ip t c", "reset quotas table inet w", "reset counters" },
            resets.Select(r => r.Operation.ToCommandText()));
        var e = Assert.Throws<NftPS.Language.Syntax.NftEvaluationException>(() =>
            NftScript.Parse("reset rule ip t c handle 4\n").QueueOn(new NftBatch(), new ScriptContext { Resets = new() }));
        Assert.Contains("expecting counter or counters or quotas or quota", e.Message);
    }

    [Fact]
    public void Resets_built_by_the_cmdlet_reparse_and_differ_by_what_they_reset()
    {
        foreach (string name in new[] { "t", "my table", "tab\there", "x;add table ip evil", "{braces}", "ünï" })
        {
            if (NftPS.NfTables.Model.NftIdentifier.NameProblem(name) is not null)
            {
                // A name nft text cannot hold is refused before anything is sent.
                Assert.ThrowsAny<ArgumentException>(() => new ObjectResetOperation(NftFamily.Inet, "t", name, ObjectResetOperation.Counter).Validate());
                continue;
            }
            ResetOperation[] ops =
            {
                new ObjectResetOperation(NftFamily.Inet, name, name, ObjectResetOperation.Counter),
                new ObjectResetOperation(NftFamily.Netdev, name, name, ObjectResetOperation.Quota),
                new RuleResetOperation(NftFamily.Arp, name, name, 77),
            };
            foreach (var op in ops)
                Assert.Equal(op, ScriptResets.Of(NftScript.Parse(op.ToCommandText()).Commands.Single()));
        }
        var counter = new ObjectResetOperation(NftFamily.Inet, "t", "c", ObjectResetOperation.Counter);
        Assert.NotEqual<ResetOperation>(counter, new ObjectResetOperation(NftFamily.Inet, "t", "c", ObjectResetOperation.Quota));
        Assert.NotEqual<ResetOperation>(counter, new ObjectResetOperation(NftFamily.Ip, "t", "c", ObjectResetOperation.Counter));
        Assert.NotEqual(new RuleResetOperation(NftFamily.Inet, "t", "c", 1), new RuleResetOperation(NftFamily.Inet, "t", "c", 2));
    }

    [Theory]
    [InlineData("reset limit inet t l", "only a counter or a quota")]
    [InlineData("reset rule inet t c", "handle")]
    [InlineData("reset counter inet t handle 3", "only a counter or a quota, by name")]
    public void A_reset_that_names_nothing_resettable_is_refused(string command, string expected)
    {
        var e = Assert.Throws<NftPS.Language.Syntax.NftEvaluationException>(() => ScriptResets.Of(NftScript.Parse(command).Commands.Single()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Renaming_a_chain_the_kernel_does_not_hold_is_refused_at_its_name()
    {
        var context = new ScriptContext { FindExistingChain = (_, _, _) => null };
        var e = Assert.Throws<NftPS.Language.Syntax.NftEvaluationException>(() =>
            NftScript.Parse("rename chain inet t missing other").QueueOn(new NftBatch(), context));
        Assert.Contains("No such file or directory", e.Message);
        Assert.Contains("missing", e.Message);
        var renamed = (ChainRenameOperation)Parse("rename chain inet t c d").Single();
        Assert.Equal(7UL, renamed.Handle);
    }

    [Fact]
    public void A_policy_alone_changes_an_existing_base_chain_and_is_refused_with_anything_else()
    {
        Assert.IsType<ChainPolicyOperation>(Parse("chain inet t c { policy drop; }").Single());
        Assert.IsType<ChainPolicyOperation>(Parse("add chain inet t c { policy accept; }").Single());
        Assert.Throws<NftPS.Language.Syntax.NftEvaluationException>(() => Parse("add chain inet t c { policy drop; comment \"x\"; }"));
        Assert.Throws<NftPS.Language.Syntax.NftEvaluationException>(() => Parse("create chain inet t c { policy drop; }"));
        Assert.ThrowsAny<NftPS.Language.Syntax.NftLanguageException>(() => Parse("chain inet t c { policy maybe; }"));
    }

    /// <summary>Every rule vector that compiles: the queued rule (with its anonymous sets and bound chains) written as
    /// text and parsed again gives the same operations.</summary>
    [SharedFact]
    public void Every_rule_vector_reparses_from_its_operation_text()
    {
        string root = Path.Combine(TestEnvironment.RequireShared(), "conformance", "nft-py");
        int checkedUnits = 0;
        var failures = new List<string>();
        foreach (string path in Directory.EnumerateFiles(root, "*.t", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(root, path);
            var (units, sets) = CompilerConformanceTests.ReadFile(path, rel);
            foreach (var u in units.Where(u => u.Ok))
            {
                var family = CompilerConformanceTests.ParseFamily(u.Family);
                SetDescriptor? Find(string n) => sets.TryGetValue((u.Family, n), out var d) ? d : null;
                var batch = new NftBatch();
                try
                {
                    var compiled = RuleCompiler.Compile(u.Rule, new CompileContext { Family = family, Table = u.Table, Chain = "c", FindSet = Find });
                    batch.QueueRule(compiled, family, u.Table, "c");
                }
                catch (Exception) { continue; } // what does not compile is the compiler tests' business
                checkedUnits++;
                string text = batch.ToString();
                try
                {
                    var reparsed = new NftBatch();
                    NftScript.Parse(text).QueueOn(reparsed, new ScriptContext { FindExistingSet = (_, _, n) => Find(n) });
                    if (!batch.TypedOperations.SequenceEqual(reparsed.TypedOperations))
                        failures.Add($"{rel}:{u.Line} [{u.Family}] {text}\n    re-parsed: {reparsed.ToString().Replace("\n", "\n               ")}");
                }
                catch (Exception e) { failures.Add($"{rel}:{u.Line} [{u.Family}] {text}\n    {e.GetType().Name}: {e.Message}"); }
            }
        }
        _out.WriteLine($"{checkedUnits} rule operations, {failures.Count} did not re-parse to themselves");
        foreach (var f in failures.Take(40)) _out.WriteLine(f);
        Assert.True(checkedUnits > 1000, $"only {checkedUnits} vectors compiled");
        Assert.Empty(failures);
    }
}
