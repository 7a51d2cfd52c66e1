using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Import-NftRuleset -AsJson and ConvertFrom-NftJson in a hosted runspace, with nft as the oracle: nft's JSON
/// listing loads back to the same ruleset, and broken JSON fails as a PowerShell error that names the JSON node and
/// leaves the ruleset as it was.</summary>
public class JsonImportTests : IClassFixture<ScriptFixture>, IDisposable
{
    private readonly ScriptFixture _fx;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nftps-json-" + Guid.NewGuid().ToString("N")[..8]);

    public JsonImportTests(ScriptFixture fx)
    {
        _fx = fx;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Table = """{"add": {"table": {"family": "inet", "name": "web"}}}""";
    private const string Chain = """{"add": {"chain": {"family": "inet", "table": "web", "name": "input", "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}}""";

    private static string Rule(string statements) =>
        """{"add": {"rule": {"family": "inet", "table": "web", "chain": "input", "expr": [""" + statements + "]}}}";

    private static string Document(params string[] commands) => "{\"nftables\": [" + string.Join(",\n", commands) + "]}";

    private const string TcpDport = """{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": RIGHT}}""";

    /// <summary>Runs a failing import and checks the error and that the ruleset did not change.</summary>
    private ErrorRecord FailingImport(PowerShellHost host, string json, ErrorCategory category, string id, params string[] mentions)
    {
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip keep {\n chain c {\n  counter\n }\n}\n").EnsureSuccess("nft -f");
        string before = _fx.Namespace.NftListRuleset();
        host.SetVariable("file", Write("bad.json", json));
        var r = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file -AsJson");
        Assert.Null(r.Terminating);
        var error = Assert.Single(r.Errors);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
        foreach (string m in mentions) Assert.Contains(m, error.Exception.Message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
        return error;
    }

    [KernelFact]
    public void NftJsonListingOfTheSampleImportsToTheSameRuleset()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        string expected = _fx.Namespace.NftListRuleset();
        string json = _fx.Namespace.Nft("-j", "list", "ruleset").EnsureSuccess("nft -j list ruleset").StdOut;
        _fx.Namespace.Flush();
        host.SetVariable("file", Write("sample.json", json));

        var check = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file -AsJson -Validate");
        Assert.False(check.HadErrors, check.Describe());
        Assert.Equal("", _fx.Namespace.NftListRuleset());

        var whatIf = host.RunText("Import-NftRuleset -NetworkNamespace $ns -Path $file -AsJson -WhatIf");
        Assert.Contains("add table", whatIf);
        Assert.Equal("", _fx.Namespace.NftListRuleset());

        var r = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file -AsJson");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(expected, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void CommandDocumentsApplyInOrderAndAJsonFileNameImpliesAsJson()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip old {\n chain c {\n  counter\n }\n}\n").EnsureSuccess("nft -f");
        string json = Document("""{"flush": {"ruleset": null}}""", Table, Chain,
            Rule(TcpDport.Replace("RIGHT", "22") + """, {"accept": null}"""),
            """{"insert": {"rule": {"family": "inet", "table": "web", "chain": "input", "expr": [{"counter": null}], "comment": "first"}}}""");
        host.SetVariable("file", Write("commands.json", json));
        var r = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal("table inet web {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n"
            + "\t\tcounter packets 0 bytes 0 comment \"first\"\n\t\ttcp dport 22 accept\n\t}\n}\n", _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void MalformedJsonIsAParserErrorAndChangesNothing()
    {
        var host = _fx.Require();
        FailingImport(host, "{\"nftables\": [" + Table + ",", ErrorCategory.ParserError, "NftJsonSyntaxError", "malformed JSON", "line 1");
    }

    [KernelFact]
    public void UnknownStatementNamesItsJsonPathAndChangesNothing()
    {
        var host = _fx.Require();
        var error = FailingImport(host, Document(Table, Chain, Rule("""{"counter": null}, {"acept": null}""")),
            ErrorCategory.ParserError, "NftJsonSyntaxError", "nftables[2].add.rule.expr[1]", "unknown statement 'acept'", "{\"acept\": null}");
        Assert.IsType<NftPS.Language.Json.NftJsonException>(error.Exception);
    }

    [KernelFact]
    public void BadValueIsInvalidDataWithTheRuleAndACaretAndNothingIsApplied()
    {
        var host = _fx.Require();
        // The table and chain before the bad rule are part of the same transaction: they are not created either.
        var error = FailingImport(host, Document(Table, Chain, Rule(TcpDport.Replace("RIGHT", "\"sshh\"") + """, {"accept": null}""")),
            ErrorCategory.InvalidData, "NftJsonInvalidValue", "nftables[2].add.rule.expr[0].match.right", "\"sshh\"",
            "add rule inet web input tcp dport sshh accept", "^^^^");
        var json = Assert.IsType<NftPS.Language.Json.NftJsonException>(error.Exception);
        Assert.Equal("nftables[2].add.rule.expr[0].match.right", json.JsonPath);
        Assert.NotNull(json.Inner);
        // The caret is under the value in the rule line.
        string[] lines = json.Message.Split('\n');
        int rule = Array.FindIndex(lines, l => l.StartsWith("add rule", StringComparison.Ordinal));
        Assert.True(rule > 0, json.Message);
        Assert.Equal(lines[rule].IndexOf("sshh", StringComparison.Ordinal), lines[rule + 1].IndexOf('^'));
    }

    [KernelFact]
    public void SchemaViolationsNameTheProperty()
    {
        var host = _fx.Require();
        FailingImport(host, Document(Table, """{"add": {"chain": {"family": "inet", "table": "web"}}}"""),
            ErrorCategory.ParserError, "NftJsonSyntaxError", "nftables[1].add.chain", "\"name\" is missing");
        FailingImport(host, Document("""{"add": {"table": {"family": "inet6", "name": "web"}}}"""),
            ErrorCategory.ParserError, "NftJsonSyntaxError", "nftables[0].add.table.family", "unknown family 'inet6'");
        FailingImport(host, Document(Table, Chain, Rule(TcpDport.Replace("\"==\"", "\"=~\"").Replace("RIGHT", "22"))),
            ErrorCategory.ParserError, "NftJsonSyntaxError", "nftables[2].add.rule.expr[0].match.op", "unknown relational operator '=~'");
    }

    [KernelFact]
    public void ConvertFromNftJsonGivesTheNftTextForTextAndFiles()
    {
        var host = _fx.Require();
        string json = Document(Table, Chain,
            Rule("""{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}"""),
            Rule(TcpDport.Replace("RIGHT", """{"set": [80, 443]}""") + """, {"counter": null}, {"accept": null}"""));
        const string expected = "add table inet web\n"
            + "add chain inet web input { type filter hook input priority 0; policy accept; }\n"
            + "add rule inet web input ct state established,related accept\n"
            + "add rule inet web input tcp dport { 80, 443 } counter accept\n";
        host.SetVariable("json", json);
        var fromText = host.Run("$json -split \"`n\" | ConvertFrom-NftJson");
        Assert.False(fromText.HadErrors, fromText.Describe());
        Assert.Equal(expected, Assert.Single(fromText.Objects<string>()));

        host.SetVariable("file", Write("web.json", json));
        var fromFile = host.Run("[pscustomobject]@{ FullName = $file } | ConvertFrom-NftJson");
        Assert.False(fromFile.HadErrors, fromFile.Describe());
        Assert.Equal(expected, Assert.Single(fromFile.Objects<string>()));

        // The text it gives loads with Import-NftRuleset.
        _fx.Namespace.Flush();
        host.SetVariable("nftfile", Write("web.nft", expected));
        var load = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $nftfile");
        Assert.False(load.HadErrors, load.Describe());
        Assert.Contains("tcp dport { 80, 443 } counter packets 0 bytes 0 accept", _fx.Namespace.NftListRuleset());

        var missing = host.Run("ConvertFrom-NftJson -Path /nonexistent/nftps.json");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);

        var bad = host.Run("'{\"nftables\": [{\"add\": {\"rule\": 5}}]}' | ConvertFrom-NftJson");
        var error = Assert.Single(bad.Errors);
        Assert.Equal(ErrorCategory.ParserError, error.CategoryInfo.Category);
        Assert.Contains("nftables[0].add.rule", error.Exception.Message);
        Assert.Empty(bad.Output);
    }
}
