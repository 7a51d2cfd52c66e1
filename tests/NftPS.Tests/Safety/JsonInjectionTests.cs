using System.Management.Automation;
using NftPS.Language.Json;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defects 1, 4 and 7 (JSON): a JSON string is one value. A plain-string statement that would
/// end the rule, a list inside a set, a lone surrogate escape, a NUL or a quote in a name are refused with a
/// designed error naming the JSON node, and the ruleset is unchanged. nft refuses these too, except names and
/// comments holding a line break or quote and JSON comments over 128 bytes: nft -j takes those and then lists them
/// as text that runs other commands (or that its own text parser refuses), so NftPS is stricter on purpose.</summary>
public class JsonInjectionTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public JsonInjectionTests(ScriptFixture fx) => _fx = fx;

    private static string RuleDoc(string expr) =>
        "{\"nftables\":[{\"add\":{\"rule\":{\"family\":\"ip\",\"table\":\"sentinel\",\"chain\":\"keep\",\"expr\":[" + expr + "]}}}]}";

    public static TheoryData<string, string, bool> Hostile => new()
    {
        { RuleDoc("\"accept\\nflush ruleset\\nadd table ip evil\""), "expr[0]", true },
        { RuleDoc("\"accept; add table ip evil\""), "expr[0]", true },
        { RuleDoc("\"accept }\\nadd table ip evil\\ntable ip x { chain y {\""), "expr[0]", true },
        { RuleDoc("\"counter # rest\""), "expr[0]", true },
        { RuleDoc("{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}},\"right\":{\"set\":[[1,2,3]]}}},{\"accept\":null}"), "right.set[0]", true },
        { RuleDoc("{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"lo\\\" accept; add table ip evil; #\"}}"), "right", true },
        { RuleDoc("{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"0123456789abcdef\"}}"), "nftables[0]", true },
        { "{\"nftables\":[{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"\\ud800\"}}}]}", "nftables[0].add.table.name", true },
        { "{\"nftables\":[{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"nul\\u0000x\"}}}]}", "name", true },
        { "{\"nftables\":[{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"x\\nadd table ip evil\"}}}]}", "name", false },
        { "{\"nftables\":[{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"q\\\"q\"}}}]}", "name", false },
        { "{\"nftables\":[{\"add\":{\"chain\":{\"family\":\"ip\",\"table\":\"sentinel\",\"name\":\"c\",\"comment\":\"" + new string('a', 129) + "\"}}}]}", "comment", false },
        { "{\"nftables\":[{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"sentinel\",\"name\":\"c\",\"type\":\"filter\",\"hook\":\"ingress\",\"prio\":0}}}]}", "device", true },
    };

    [KernelTheory]
    [MemberData(nameof(Hostile))]
    public void HostileJsonIsRefusedAndChangesNothing(string json, string mentions, bool nftRefuses)
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        ns.NftLoad("table inet sentinel {\n}\n").EnsureSuccess("nft -f");
        string before = ns.NftListRuleset();
        string file = Path.Combine(Path.GetTempPath(), "nftps-json-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, json);
        try
        {
            host.SetVariable("file", file);
            var r = SafetyHarness.RunGuarded(host, ns, "Import-NftRuleset -NetworkNamespace $ns -Path $file -AsJson");
            Assert.Null(r.Terminating);
            Assert.True(r.HadErrors, "expected a refusal");
            var e = r.Errors[0];
            Assert.Contains(e.CategoryInfo.Category, new[] { ErrorCategory.ParserError, ErrorCategory.InvalidData, ErrorCategory.InvalidArgument });
            Assert.Contains(mentions, e.Exception.Message);
            Assert.Equal(before, ns.NftListRuleset());
            // The oracle: refuses the same document, or (documented above) takes what NftPS refuses on purpose.
            if (nftRefuses)
            {
                Assert.NotEqual(0, ns.Nft("-j", "-f", file).ExitCode);
                Assert.Equal(before, ns.NftListRuleset());
            }
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void LoneSurrogateIsAJsonErrorWithItsPath()
    {
        var e = Assert.Throws<NftJsonException>(() => JsonScript.Parse("{\"nftables\":[{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"\\ud800\"}}}]}"));
        Assert.Equal("nftables[0].add.table.name", e.JsonPath);
        Assert.Contains("surrogate", e.Reason);
    }

    /// <summary>nft lists map updates and `jump { }` chains as text strings; those still load, confined to their rule.</summary>
    [Fact]
    public void NftsOwnTextStatementsStillRead()
    {
        var script = JsonScript.Parse(RuleDoc("\"jump {\\n\\t\\t\\taccept\\n\\t\\t}\""));
        Assert.NotNull(script);
    }
}
