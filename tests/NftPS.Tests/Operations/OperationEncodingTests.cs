using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;

namespace NftPS.Tests.Operations;

/// <summary>The bytes of every kind of queued change, byte for byte those the closure-based NftChanges wrote before
/// operations became typed (the golden file was recorded from that code, at commit "typed operations" minus one).</summary>
public class OperationEncodingTests
{
    /// <summary>One batch per builder call, so each golden line is one message (plus BEGIN/END).</summary>
    internal static IEnumerable<(string Name, Action<NftBatch> Queue)> Cases()
    {
        var specs = new[]
        {
            new ElementSpec { Key = new byte[] { 10, 0, 0, 1 } },
            new ElementSpec { Key = new byte[] { 10, 0, 0, 2 }, KeyEnd = new byte[] { 10, 0, 0, 9 }, Flags = 0, Comment = "two" },
            new ElementSpec { Key = new byte[] { 10, 0, 0, 10 }, Flags = 1, TimeoutMs = 5000, ExpirationMs = 4000 },
            new ElementSpec { Key = new byte[] { 1, 2, 3, 4 }, Data = new byte[] { 0, 0, 0, 7 } },
            new ElementSpec { Key = new byte[] { 1, 2, 3, 5 }, Verdict = new NftVerdict(VerdictCode.Jump, "other") },
            new ElementSpec { Key = new byte[] { 1, 2, 3, 6 }, Verdict = new NftVerdict(VerdictCode.Goto, null, 9) },
            new ElementSpec { Key = new byte[] { 1, 2, 3, 7 }, ObjectReference = "cnt" },
            new ElementSpec { Key = new byte[] { 1, 2, 3, 8 }, IntervalOpen = true, Expressions = new Expression[] { new CounterExpression { Packets = 1, Bytes = 2 } } },
            new ElementSpec { Key = new byte[] { 1, 2, 3, 9 }, Expressions = new Expression[] { new CounterExpression(), new CounterExpression { Packets = 3 } } },
        };
        var rule = new Expression[]
        {
            new MetaExpression { Key = MetaKey.L4Proto, DestinationRegister = 1 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 6 } },
            new ImmediateExpression { DestinationRegister = 0, Verdict = new NftVerdict(VerdictCode.Accept) },
        };
        var set = new SetSpec
        {
            Name = "s", Flags = 0x4 | 0x10, KeyType = 7, KeyLength = 4, Policy = 1, Size = 64, TimeoutMs = 60000, GcIntervalMs = 1000,
            ConcatFieldLengths = new uint[] { 4, 2 }, SetId = 3, UserData = new byte[] { 0, 4, 1, 0, 0, 0 },
            Expressions = new Expression[] { new CounterExpression() },
        };
        var map = new SetSpec { Name = "m", Flags = 0x8, KeyType = 7, KeyLength = 4, DataType = 0xffffff00, DataLength = 16,
            Expressions = new Expression[] { new CounterExpression(), new CounterExpression() } };
        var objmap = new SetSpec { Name = "om", Flags = 0x40 | 0x2, KeyType = 7, KeyLength = 4, ObjectType = 1, SetId = 1 };
        var hook = new ChainHookSpec("filter", 1, -150);
        var devs = new ChainHookSpec("filter", 0, 0, new[] { "lo" });
        var devs2 = new ChainHookSpec("filter", 0, 10, new[] { "lo", "eth0" });

        yield return ("table", b => b.AddTable(NftFamily.Inet, "t"));
        yield return ("table-create-dormant-comment", b => b.AddTable(NftFamily.Ip, "t", 1, "c", create: true));
        yield return ("table-delete", b => b.DeleteTable(NftFamily.Ip6, "t"));
        yield return ("table-delete-handle", b => b.DeleteTable(NftFamily.Ip6, "t", 12));
        yield return ("table-destroy", b => b.DeleteTable(NftFamily.Bridge, "t", destroy: true));
        yield return ("table-flush", b => b.FlushTable(NftFamily.Arp, "t"));
        yield return ("ruleset-flush", b => b.FlushRuleset());
        yield return ("ruleset-flush-ip", b => b.FlushRuleset(NftFamily.Ip));
        yield return ("chain", b => b.AddChain(NftFamily.Inet, "t", "c"));
        yield return ("chain-base", b => b.AddChain(NftFamily.Inet, "t", "c", hook, "drop", "hello", create: true, chainId: 4));
        yield return ("chain-netdev", b => b.AddChain(NftFamily.Netdev, "t", "c", devs, "accept"));
        yield return ("chain-netdev-2", b => b.AddChain(NftFamily.Netdev, "t", "c", devs2));
        yield return ("chain-bound", b => b.AddBoundChain(NftFamily.Ip, "t", 5));
        yield return ("chain-policy", b => b.SetChainPolicy(NftFamily.Ip, "t", "c", "drop"));
        yield return ("chain-rename", b => b.RenameChain(NftFamily.Ip, "t", 7, "c", "d"));
        yield return ("chain-delete", b => b.DeleteChain(NftFamily.Ip, "t", "c"));
        yield return ("chain-delete-handle", b => b.DeleteChain(NftFamily.Ip, "t", "c", 9, destroy: true));
        yield return ("chain-flush", b => b.FlushChain(NftFamily.Ip, "t", "c"));
        yield return ("rule", b => b.AddRule(NftFamily.Inet, "t", "c", rule, "meta l4proto tcp accept"));
        yield return ("rule-insert-position-comment", b => b.AddRule(NftFamily.Inet, "t", "c", rule, "x",
            new RulePlacement(Insert: true, Handle: 4), "a comment", ruleId: 2));
        yield return ("rule-bound", b => b.AddRule(NftFamily.Inet, "t", "c", rule, "x", new RulePlacement(RuleIdInBatch: 3), chainId: 8));
        yield return ("rule-replace", b => b.ReplaceRule(NftFamily.Ip, "t", "c", 5, rule, "x", "cmt"));
        yield return ("rule-delete", b => b.DeleteRule(NftFamily.Ip, "t", "c", 5));
        yield return ("rule-destroy", b => b.DeleteRule(NftFamily.Ip, "t", "c", 5, destroy: true));
        yield return ("set", b => b.AddSet(NftFamily.Inet, "t", set, "type ipv4_addr;"));
        yield return ("set-create-map", b => b.AddSet(NftFamily.Inet, "t", map, "type ipv4_addr : verdict;", create: true));
        yield return ("set-objmap", b => b.AddSet(NftFamily.Inet, "t", objmap, "anonymous"));
        yield return ("set-delete", b => b.DeleteSet(NftFamily.Ip, "t", "s"));
        yield return ("set-delete-handle-map", b => b.DeleteSet(NftFamily.Ip, "t", "s", 3, isMap: true, destroy: true));
        yield return ("set-flush", b => b.FlushSet(NftFamily.Ip, "t", "s"));
        yield return ("elements", b => b.AddElements(NftFamily.Ip, "t", "s", specs, _ => "x"));
        yield return ("elements-create-id", b => b.AddElements(NftFamily.Ip, "t", "s", specs.Take(2), _ => "x", setId: 4, create: true));
        yield return ("elements-delete", b => b.DeleteElements(NftFamily.Ip, "t", "s", specs.Take(3), _ => "x"));
        yield return ("elements-destroy", b => b.DeleteElements(NftFamily.Ip, "t", "s", specs.Take(1), _ => "x", destroy: true));
        yield return ("elements-split", b => b.AddElements(NftFamily.Ip, "t", "s",
            Enumerable.Range(0, 9000).Select(i => new ElementSpec { Key = BitConverter.GetBytes(i), Comment = i % 7 == 0 ? "c" + i : null }), _ => "x"));
        yield return ("keys", b => b.AddElementKeys(NftFamily.Ip, "t", "s", Enumerable.Range(0, 6000).SelectMany(BitConverter.GetBytes).ToArray(), 4, _ => "k"));
        yield return ("keys-delete", b => b.DeleteElementKeys(NftFamily.Ip, "t", "s", new byte[] { 1, 2, 3, 4, 5, 6 }, 3, _ => "k", destroy: true));
        yield return ("object", b => b.AddObject(NftFamily.Ip, "t", "o", 1, "counter", "packets 0 bytes 0",
            new NftPS.NfTables.Operations.ExpressionObjectBody(new CounterExpression { Packets = 1, Bytes = 9 }), "cm"));
        yield return ("object-delete", b => b.DeleteObject(NftFamily.Ip, "t", "o", 1, "counter"));
        yield return ("object-destroy-handle", b => b.DeleteObject(NftFamily.Ip, "t", "o", 2, "quota", 6, destroy: true));
    }

    private static string GoldenPath => Path.Combine(AppContext.BaseDirectory, "Operations", "operation-bytes.golden");

    internal static string Encode(Action<NftBatch> queue)
    {
        var batch = new NftBatch();
        queue(batch);
        return Convert.ToHexString(batch.Encode(100, new BatchOptions { GenerationId = 5 }));
    }

    [Fact]
    public void Every_kind_of_change_encodes_to_the_recorded_bytes()
    {
        var golden = File.ReadAllLines(GoldenPath).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
        var cases = Cases().ToList();
        Assert.Equal(cases.Count, golden.Count);
        foreach (var (name, queue) in cases)
        {
            // Long batches (the split element lists) are recorded as the SHA-256 of their hex text.
            string hex = Encode(queue);
            string actual = golden[name].StartsWith("sha256:")
                ? "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(hex))).ToLowerInvariant()
                : hex;
            Assert.True(golden[name] == actual, $"{name} differs from the recorded bytes");
        }
    }
}
