using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 1, read side: an object another tool made (nft -j takes names and comments nft text
/// cannot hold) never becomes executable text. Export-NftRuleset refuses it with a clear error; listings and
/// -WhatIf show it escaped, on one line.</summary>
public class ForeignNameTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ForeignNameTests(ScriptFixture fx) => _fx = fx;

    private static string Json(string command) => "{\"nftables\":[" + command + "]}";

    public static TheoryData<string> Foreign => new()
    {
        Json("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"x\\nadd table ip evil\"}}}"),
        Json("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"q\\\" { }\\ntable ip evil { \\\"\"}}}"),
        Json("{\"add\":{\"chain\":{\"family\":\"ip\",\"table\":\"sentinel\",\"name\":\"c\\nadd table ip evil\"}}}"),
        Json("{\"add\":{\"rule\":{\"family\":\"ip\",\"table\":\"sentinel\",\"chain\":\"keep\",\"comment\":\"a\\\"\\nadd table ip evil\\n\",\"expr\":[{\"accept\":null}]}}}"),
        Json("{\"add\":{\"rule\":{\"family\":\"ip\",\"table\":\"sentinel\",\"chain\":\"keep\",\"expr\":[{\"log\":{\"prefix\":\"p\\\" accept\\nadd table ip evil\\n\"}}]}}}"),
        Json("{\"add\":{\"rule\":{\"family\":\"ip\",\"table\":\"sentinel\",\"chain\":\"keep\",\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"l\\\"; add\"}},{\"accept\":null}]}}}"),
        Json("{\"add\":{\"set\":{\"family\":\"ip\",\"table\":\"sentinel\",\"name\":\"ifs\",\"type\":\"ifname\"}}},{\"add\":{\"element\":{\"family\":\"ip\",\"table\":\"sentinel\",\"name\":\"ifs\",\"elem\":[\"\\\";flush ruleset\"]}}}"),
        Json("{\"add\":{\"set\":{\"family\":\"ip\",\"table\":\"sentinel\",\"name\":\"ifs\",\"type\":\"ifname\"}}},{\"add\":{\"element\":{\"family\":\"ip\",\"table\":\"sentinel\",\"name\":\"ifs\",\"elem\":[\"a\\\"}\", \"chain e{\\\"\"]}}}"),
    };

    [KernelTheory]
    [MemberData(nameof(Foreign))]
    public void ExportRefusesWhatNftTextCannotHold(string json)
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string file = Path.Combine(Path.GetTempPath(), "nftps-foreign-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, json);
        try { ns.Nft("-j", "-f", file).EnsureSuccess("nft -j -f (another tool makes the odd object)"); }
        finally { File.Delete(file); }

        var r = SafetyHarness.RunGuarded(host, ns, "Export-NftRuleset -NetworkNamespace $ns");
        Assert.Empty(r.Output);
        var e = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        Assert.StartsWith("NftUnprintableValue,", e.FullyQualifiedErrorId);
        Assert.Contains("cannot be written as nft text", e.Exception.Message);

        // JSON export holds any string and stays available.
        var asJson = host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson");
        Assert.False(asJson.HadErrors, asJson.Describe());
    }

    [KernelFact]
    public void ListingsAndWhatIfShowAForeignNameEscapedOnOneLine()
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string file = Path.Combine(Path.GetTempPath(), "nftps-foreign-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, Json("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"x\\nadd table ip evil\"}}}"));
        try { ns.Nft("-j", "-f", file).EnsureSuccess("nft -j -f"); }
        finally { File.Delete(file); }
        string before = ns.NftListRuleset();

        string text = host.RunText("Get-NftTable -NetworkNamespace $ns -Name 'x*' | Remove-NftTable -WhatIf");
        Assert.Contains("\\u000a", text);
        Assert.DoesNotContain("\nadd table ip evil", text);
        Assert.Equal(before, ns.NftListRuleset());
        SafetyHarness.AssertSentinelAndNoEvil(ns);
    }

    /// <summary>A completed name goes into the user's command line: a quote PowerShell honours (ASCII or typographic)
    /// or a leading '-' must not end the argument there.</summary>
    [KernelFact]
    public void CompletedNamesAreOneArgument()
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string file = Path.Combine(Path.GetTempPath(), "nftps-foreign-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, Json("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"zz\u2019;New-Item evil;\u2019\"}}},{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"zz'x\"}}},{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"-zzForce\"}}}"));
        try { ns.Nft("-j", "-f", file).EnsureSuccess("nft -j -f"); }
        finally { File.Delete(file); }
        foreach (string prefix in new[] { "zz", "" })
        {
            host.SetVariable("completionInput", "Get-NftChain -NetworkNamespace $ns -Table " + prefix);
            var r = host.Run("(TabExpansion2 -inputScript $completionInput -cursorColumn $completionInput.Length).CompletionMatches | ForEach-Object CompletionText");
            Assert.False(r.HadErrors, r.Describe());
            var texts = r.Output.Select(o => o.BaseObject.ToString()!).ToList();
            Assert.NotEmpty(texts);
            foreach (string text in texts)
            {
                var ast = System.Management.Automation.Language.Parser.ParseInput("Get-NftChain -Table " + text, out _, out var errors);
                Assert.Empty(errors);
                var command = (System.Management.Automation.Language.CommandAst)ast.EndBlock.Statements[0].Find(a => a is System.Management.Automation.Language.CommandAst, false)!;
                Assert.Equal(3, command.CommandElements.Count); // Get-NftChain, -Table, one argument
            }
        }
    }
}
