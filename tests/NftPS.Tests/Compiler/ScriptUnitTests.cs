using NftPS.Language.Evaluate;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

/// <summary>The nft file language without a kernel: command order, defines, includes, priorities, set encoding and
/// nft-style error locations.</summary>
public class ScriptUnitTests
{
    private static List<string> Queue(string text, string? file = null, IReadOnlyList<string>? includePath = null, ScriptContext? ctx = null)
    {
        var batch = new NftBatch();
        NftScript.Parse(text, file, includePath ?? Array.Empty<string>()).QueueOn(batch, ctx);
        return batch.Operations.Select(o => o.Description).ToList();
    }

    [Fact]
    public void Table_block_expands_in_nft_order()
    {
        var ops = Queue("""
            table inet f {
                chain c { type filter hook input priority filter + 5; policy drop; tcp dport 22 accept; }
                set s { type ipv4_addr; elements = { 10.0.0.1 } }
                counter k { packets 1 bytes 2; }
            }
            """);
        Assert.StartsWith("add table inet f", ops[0]);
        Assert.StartsWith("add chain inet f c { type filter hook input priority 5; policy drop; }", ops[1]);
        Assert.StartsWith("add counter inet f k", ops[2]);
        Assert.StartsWith("add set inet f s", ops[3]);
        Assert.StartsWith("add element inet f s", ops[4]);
        Assert.StartsWith("add rule inet f c", ops[5]);
        Assert.Equal(6, ops.Count);
    }

    [Fact]
    public void Commands_defines_and_bridge_priorities()
    {
        var ops = Queue("""
            define ports = { 22, 80 }
            define prio = -10
            add table bridge b
            add chain bridge b c { type filter hook output priority out; }
            add chain bridge b d { type filter hook prerouting priority dstnat + 1; }
            add chain bridge b e { type filter hook input priority $prio; }
            add rule bridge b c tcp dport $ports accept
            flush chain bridge b c
            delete rule bridge b c handle 4
            """);
        Assert.Contains(ops, o => o.Contains("add chain bridge b c { type filter hook output priority 100;"));
        Assert.Contains(ops, o => o.Contains("add chain bridge b d { type filter hook prerouting priority -299;"));
        Assert.Contains(ops, o => o.Contains("add chain bridge b e { type filter hook input priority -10;"));
        Assert.Contains(ops, o => o.StartsWith("add rule bridge b c tcp dport $ports accept"));
        Assert.Equal("flush chain bridge b c", ops[^2]);
        Assert.Equal("delete rule bridge b c handle 4", ops[^1]);
    }

    [Fact]
    public void Priority_name_must_suit_the_hook()
    {
        var e = Assert.Throws<NftEvaluationException>(() =>
            Queue("table ip t {\n\tchain c { type nat hook input priority dstnat; }\n}\n", "t.nft"));
        Assert.Equal("t.nft", e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("'dstnat' is invalid priority in this context.", e.Message);
    }

    [Fact]
    public void Errors_carry_file_line_column_and_caret()
    {
        var e = Assert.Throws<NftSyntaxException>(() => NftScript.Parse("table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n", "rules.nft", Array.Empty<string>()));
        Assert.Equal(3, e.Line);
        Assert.StartsWith("rules.nft:3:", e.Message);
        var lines = e.Message.Split('\n');
        Assert.Equal("\t\ttcp dport 22 acept", lines[1]);
        Assert.Contains('^', lines[2]);
    }

    [Fact]
    public void Includes_resolve_next_to_the_including_file_then_the_include_path()
    {
        string dir = Directory.CreateTempSubdirectory("nftps-inc").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "lib"));
            File.WriteAllText(Path.Combine(dir, "defs.nft"), "define lan = 10.0.0.0/8\n");
            File.WriteAllText(Path.Combine(dir, "lib", "table.nft"), "add table ip t\nadd chain ip t c\n");
            string main = Path.Combine(dir, "main.nft");
            File.WriteAllText(main, "include \"defs.nft\"\ninclude \"table.nft\"\nadd rule ip t c ip saddr $lan accept\n");
            var ops = Queue(File.ReadAllText(main), main, new[] { Path.Combine(dir, "lib") });
            Assert.Equal(3, ops.Count);
            var e = Assert.Throws<NftSyntaxException>(() => NftScript.Parse("include \"missing.nft\"\n", main, Array.Empty<string>()));
            Assert.Contains("File not found: missing.nft", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Interval_set_elements_are_encoded_old_style()
    {
        var batch = new NftBatch();
        NftScript.Parse("add table ip t\nadd set ip t s { type ipv4_addr; flags interval; elements = { 10.0.0.0/24, 192.168.1.1, 10.0.1.0/24 } }\n",
            null, Array.Empty<string>()).QueueOn(batch);
        string elements = batch.Operations.Single(o => o.Description.StartsWith("add element")).Description;
        // leading end at 0, then start/end+1 pairs in order; adjacent ranges each keep their end (no auto-merge).
        Assert.Equal("add element ip t s { 0x00000000 (end), 0x0a000000, 0x0a000100 (end), 0x0a000100, 0x0a000200 (end), 0xc0a80101, 0xc0a80102 (end) }", elements);
    }

    [Fact]
    public void Add_element_uses_the_kernel_set_from_the_context()
    {
        var ctx = new ScriptContext
        {
            FindExistingSet = (f, t, n) => f == NftFamily.Inet && t == "f" && n == "ports"
                ? SetDeclarations.FromType("ports", "inet_service", null) : null,
        };
        var ops = Queue("add element inet f ports { 22, 443 }\n", ctx: ctx);
        Assert.Equal("add element inet f ports { 0x0016, 0x01bb }", ops.Single());
        var e = Assert.Throws<NftEvaluationException>(() => Queue("add element inet f other { 22 }\n", ctx: ctx));
        Assert.Contains("No such file or directory", e.Message);
    }

    [Fact]
    public void Set_values_are_typed_by_the_declaration()
    {
        var e = Assert.Throws<NftEvaluationException>(() =>
            Queue("add table ip t\nadd set ip t s { type ipv4_addr; elements = { dead::beef } }\n", "x.nft"));
        Assert.Equal(2, e.Line);
        var e2 = Assert.Throws<NftEvaluationException>(() =>
            Queue("add table ip t\nadd set ip t s { type ipv4_addr; elements = { 10.0.0.0/8 } }\n"));
        Assert.Contains("flags interval", e2.Message);
    }
}

/// <summary>NEWSET user data byte for byte as nft 1.0.6 sent it (captured with `nft --debug=mnl` in a private namespace).</summary>
public class ScriptSetUserDataTests
{
    private static (uint Flags, string UserData) NewSet(string body)
    {
        var batch = new NftBatch();
        NftScript.Parse($"add table inet t\nadd {body}\n", null, Array.Empty<string>()).QueueOn(batch);
        var op = batch.Operations.Single(o => o.Type == NfTablesMessageType.NewSet);
        var w = new NftPS.Netlink.NetlinkWriter();
        op.WriteAttributes(w);
        byte[] b = w.ToArray();
        uint flags = 0;
        string ud = "";
        for (int i = 0; i + 4 <= b.Length;)
        {
            int len = b[i] | b[i + 1] << 8, type = (b[i + 2] | b[i + 3] << 8) & 0x3fff;
            if (type == 3) flags = (uint)(b[i + 4] << 24 | b[i + 5] << 16 | b[i + 6] << 8 | b[i + 7]);
            if (type == 13) ud = Convert.ToHexString(b, i + 4, len - 4).ToLowerInvariant();
            i += (len + 3) & ~3;
        }
        return (flags, ud);
    }

    [Theory]
    [InlineData("set inet t s { type ipv4_addr; }", 0u, "000402000000")]
    [InlineData("set inet t m { type mark; flags interval; auto-merge; comment \"x\"; }", 4u, "00040100000002040100000007027800")]
    [InlineData("map inet t v { type ipv4_addr : verdict; }", 8u, "000402000000010400000000060400000000")]
    [InlineData("map inet t d { type ipv4_addr . inet_service : mark; }", 8u, "000400000000010401000000030800040d0000000100060400000000")]
    [InlineData("map inet t e { typeof ip saddr : meta mark; }", 8u,
        "0004020000000104010000000314000407000000010c00040c00000001040b000000040e0004090000000106000403000000060400000000")]
    [InlineData("set inet t c { typeof ip saddr . tcp dport; flags interval; counter; size 100; policy memory; timeout 30s; gc-interval 5s; }", 0x94u,
        "00040000000003340004" + "0d000000012c00140004070000000" + "10c00040c00000001040b000000011400040700000001" + "0c0004080000000104020000" + "00")]
    [InlineData("map inet t a { typeof ip daddr : verdict; }", 8u,
        "0004020000000104000000000314000407000000010c00040c00000001040c0000000408000401000000010006040000" + "0000")]
    [InlineData("map inet t b { typeof ct bytes : meta priority; }", 8u,
        "0004010000000104010000000314000" + "40c000000010c00040f0000000104ffffffff040e0004090000000106000402000000060400000000")]
    public void Set_user_data_matches_nft_1_0_6(string body, uint flags, string userData)
    {
        var (f, ud) = NewSet(body);
        Assert.Equal(flags, f);
        Assert.Equal(userData, ud);
    }
}
