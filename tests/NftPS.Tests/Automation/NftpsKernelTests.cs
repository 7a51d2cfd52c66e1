using NftPS.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>nftps in-process against the kernel, in a private namespace given as --netns: test/diff/set/get/export/
/// validate, the exit codes, set twice changing nothing, --what-if changing nothing, purge and --keep-unlisted, a
/// kernel refusal changing nothing, and a table the desired state does not name never touched.</summary>
public sealed class NftpsKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public NftpsKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    internal const string Web = """
        table inet web {
        	set allowed {
        		type ipv4_addr
        		elements = { 127.0.0.2, 127.0.0.3 }
        	}

        	chain input {
        		type filter hook input priority filter; policy accept;
        		ct state established,related accept
        		tcp dport 22 accept comment "ssh"
        		ip saddr @allowed tcp dport 80 accept
        	}
        }
        """;

    private const string Other = "table ip other {\n\tchain keep {\n\t\tip daddr 127.0.0.9 drop\n\t}\n}\n";

    private NftpsResult Run(string? stdin, params string[] args) => Nftps.Run(stdin, [.. args, "--netns", _ns.Name]);

    private void Reset()
    {
        _ns.Require().Flush();
        _ns.NftLoad(Other).EnsureSuccess("load other");
    }

    private string Listing(string table) => _ns.Nft("list", "table", "inet", table).EnsureSuccess("list").StdOut;

    [KernelFact]
    public void TestSetTestConvergesOnceAndSetTwiceChangesNothing()
    {
        Reset();
        var before = Run(null, "test", "--text", Web).Expect(ExitCodes.Drift).Json;
        Assert.False(before.GetProperty("inDesiredState").GetBoolean());
        Assert.Contains("inet web", before.GetProperty("managedTables").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(_ns.Name, before.GetProperty("netns").GetString());
        var diff = Run(null, "diff", "--text", Web).Expect(ExitCodes.Drift).Json;
        Assert.Contains(diff.GetProperty("commands").EnumerateArray(), c => c.GetString()!.Contains("tcp dport 22 accept"));

        var set = Run(null, "set", "--text", Web).Expect(ExitCodes.Success).Json;
        Assert.True(set.GetProperty("changed").GetBoolean());
        Assert.False(set.GetProperty("whatIf").GetBoolean());
        Assert.NotEqual(set.GetProperty("generation").GetUInt32(), set.GetProperty("generationAfter").GetUInt32());
        Assert.Contains(set.GetProperty("differences").EnumerateArray(), d => d.GetProperty("change").GetString() == "Add" && d.GetProperty("objectKind").GetString() == "Table");

        // nft's own listing of what nftps set is what nft -f of the same text gives.
        string listed = Listing("web");
        Assert.Contains("tcp dport 22 accept comment \"ssh\"", listed);
        Assert.Contains("ip saddr @allowed tcp dport 80 accept", listed);

        string generation = _ns.Nft("list", "ruleset").StdOut;
        var again = Run(null, "set", "--text", Web).Expect(ExitCodes.Success).Json;
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal("", again.GetProperty("batch").GetString());
        Assert.Equal(generation, _ns.Nft("list", "ruleset").StdOut);
        Assert.True(Run(null, "test", "--text", Web).Expect(ExitCodes.Success).Json.GetProperty("inDesiredState").GetBoolean());
        Assert.Equal(0, Run(null, "diff", "--text", Web).Expect(ExitCodes.Success).Json.GetProperty("differences").GetArrayLength());
        Assert.Equal(Other, _ns.Nft("list", "table", "ip", "other").StdOut);
    }

    [KernelFact]
    public void WhatIfChangesNothingAndShowsTheBatch()
    {
        Reset();
        string before = _ns.NftListRuleset();
        var r = Run(null, "set", "--what-if", "--text", Web).Expect(ExitCodes.Success).Json;
        Assert.True(r.GetProperty("changed").GetBoolean());
        Assert.True(r.GetProperty("whatIf").GetBoolean());
        Assert.Contains("add table inet web", r.GetProperty("batch").GetString());
        Assert.Equal(before, _ns.NftListRuleset());
        // The parameter object's whatIf does the same.
        Run($$"""{"tables": {{System.Text.Json.JsonSerializer.Serialize(Web)}}, "whatIf": true}""", "set").Expect(ExitCodes.Success);
        Assert.Equal(before, _ns.NftListRuleset());
    }

    [KernelFact]
    public void ReplacingOneRuleIsOneReplaceWithBeforeAndAfter()
    {
        Reset();
        _ns.NftLoad(Web).EnsureSuccess("load web");
        string edited = Web.Replace("tcp dport 22 accept", "tcp dport 2222 accept");
        var r = Run(null, "set", "--text", edited).Expect(ExitCodes.Success).Json;
        var d = Assert.Single(r.GetProperty("differences").EnumerateArray());
        Assert.Equal("Replace", d.GetProperty("change").GetString());
        Assert.Contains("tcp dport 22 accept", d.GetProperty("before").GetString());
        Assert.Contains("tcp dport 2222 accept", d.GetProperty("after").GetString());
        Assert.Contains("tcp dport 2222 accept", Listing("web"));
    }

    [KernelFact]
    public void PurgeRemovesUnlistedRulesUnlessKeepUnlisted()
    {
        Reset();
        _ns.NftLoad(Web).EnsureSuccess("load web");
        _ns.Nft("add", "rule", "inet", "web", "input", "udp", "dport", "53", "accept").EnsureSuccess("extra rule");
        Run(null, "set", "--keep-unlisted", "--text", Web).Expect(ExitCodes.Success);
        Assert.Contains("udp dport 53 accept", Listing("web"));
        Run("{\"tables\": " + System.Text.Json.JsonSerializer.Serialize(Web) + ", \"purge\": false}", "test").Expect(ExitCodes.Success);
        Run(null, "test", "--text", Web).Expect(ExitCodes.Drift);
        Run(null, "set", "--text", Web).Expect(ExitCodes.Success);
        Assert.DoesNotContain("udp dport 53", Listing("web"));
    }

    [KernelFact]
    public void ParameterObjectWithStructuredTablesAndExistFalse()
    {
        Reset();
        string json = _ns.Nft("-j", "list", "ruleset").StdOut;
        _ns.NftLoad(Web).EnsureSuccess("load web");
        string webJson = _ns.Nft("-j", "list", "table", "inet", "web").EnsureSuccess("json").StdOut;
        Run("{\"tables\": " + webJson + "}", "test").Expect(ExitCodes.Success);
        Run(null, "test", "--json", "--text", webJson).Expect(ExitCodes.Success);
        var absent = Run("{\"tables\": \"table inet web {}\", \"_exist\": false}", "test").Expect(ExitCodes.Drift).Json;
        Assert.Equal("Remove", absent.GetProperty("differences")[0].GetProperty("change").GetString());
        Run("{\"tables\": \"table inet web {}\", \"_exist\": false}", "set").Expect(ExitCodes.Success);
        Assert.NotEqual(0, _ns.Nft("list", "table", "inet", "web").ExitCode);
        var get = Run("{\"tables\": \"table inet web {}\", \"_exist\": false}", "get").Expect(ExitCodes.Success).Json;
        Assert.False(get.GetProperty("_exist").GetBoolean());
        Run("{\"tables\": \"table inet web {}\", \"_exist\": false}", "test").Expect(ExitCodes.Success);
        _ = json;
    }

    [KernelFact]
    public void GetAndExportPrintTheManagedTablesAsNftDoes()
    {
        Reset();
        _ns.NftLoad(Web).EnsureSuccess("load web");
        var get = Run(null, "get", "--text", Web).Expect(ExitCodes.Success).Json;
        Assert.True(get.GetProperty("_exist").GetBoolean());
        Assert.Equal(Listing("web"), get.GetProperty("tables").GetString());
        // What get prints, given back as the desired state, is in the desired state.
        Run("{\"tables\": " + System.Text.Json.JsonSerializer.Serialize(get.GetProperty("tables").GetString()) + "}", "test").Expect(ExitCodes.Success);

        Assert.Equal(Listing("web"), Run(null, "export", "--text", Web).Expect(ExitCodes.Success).StdOut);
        Assert.Equal(_ns.NftListRuleset(), Run(null, "export").Expect(ExitCodes.Success).StdOut);
        // Without '-' export never reads stdin: input there is not taken for a desired state.
        Assert.Equal(_ns.NftListRuleset(), Run(Web, "export").Expect(ExitCodes.Success).StdOut);
        Assert.Equal(Listing("web"), Run(Web, "export", "-").Expect(ExitCodes.Success).StdOut);
        var json = Run(null, "export", "--format", "json").Expect(ExitCodes.Success).Json;
        Assert.True(json.TryGetProperty("nftables", out _));
        var getJson = Run(null, "get", "--format", "json", "--text", Web).Expect(ExitCodes.Success).Json;
        Assert.True(getJson.GetProperty("tables").TryGetProperty("nftables", out _));
    }

    [KernelFact]
    public void FilesWithDefineAndIncludeAreDesiredStates()
    {
        Reset();
        string dir = Path.Combine(Path.GetTempPath(), "nftps-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "inc"));
        try
        {
            File.WriteAllText(Path.Combine(dir, "inc", "ports.nft"), "define ssh = 22\n");
            File.WriteAllText(Path.Combine(dir, "main.nft"), "include \"ports.nft\"\ntable inet web {\n\tchain input {\n\t\ttcp dport $ssh accept\n\t}\n}\n");
            Run(null, "set", "--path", Path.Combine(dir, "main.nft"), "--include-path", Path.Combine(dir, "inc")).Expect(ExitCodes.Success);
            Assert.Contains("tcp dport 22 accept", Listing("web"));
            Run($$"""{"path": "{{Path.Combine(dir, "main.nft")}}", "includePath": ["{{Path.Combine(dir, "inc")}}"]}""", "test").Expect(ExitCodes.Success);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [KernelFact]
    public void ValidateChecksWithTheKernelAndChangesNothing()
    {
        Reset();
        string before = _ns.NftListRuleset();
        var ok = Run(null, "validate", "--text", Web).Expect(ExitCodes.Success).Json;
        Assert.True(ok.GetProperty("valid").GetBoolean());
        Assert.True(ok.GetProperty("operations").GetInt32() > 0);
        Assert.Equal(before, _ns.NftListRuleset());

        // The compiler accepts it; the kernel refuses it (an ip-family chain cannot hook ingress without a device).
        const string refused = "table ip bad {\n\tchain c {\n\t\ttype filter hook ingress priority 0;\n\t}\n}\n";
        var v = Run(null, "validate", "--text", refused).Expect(ExitCodes.KernelRefused);
        Assert.Equal("", v.StdOut);
        Assert.Contains("kernel", v.StdErr, StringComparison.OrdinalIgnoreCase);
        var s = Run(null, "set", "--text", refused).Expect(ExitCodes.KernelRefused);
        Assert.Equal("", s.StdOut);
        Assert.Equal(before, _ns.NftListRuleset());
    }
}
