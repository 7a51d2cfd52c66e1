using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Compiler;

/// <summary>A kernel refusal with an extended-ack offset inside a NEWRULE message is shown as nft shows it: the rule
/// text with a caret under the statement whose expression the kernel refused. The real case: this kernel has no
/// nft_queue (CONFIG_NFT_QUEUE), so the `queue` expression is refused with ENOENT and the offset of its list element.</summary>
public class KernelRefusalLocationTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;
    public KernelRefusalLocationTests(ScriptFixture fx) => _fx = fx;

    private const string Rule = "ip saddr 10.0.0.0/8 counter queue num 3";

    /// <summary>The caret block nft 1.0.6 prints for the same rule points at `queue`; ours covers the statement.</summary>
    private static void AssertCaretUnderQueue(string message)
    {
        var lines = message.Replace("\r", "").Split('\n');
        int at = Array.IndexOf(lines, Rule);
        Assert.True(at > 0 && at + 1 < lines.Length, "no rule line in:\n" + message);
        string caret = lines[at + 1];
        Assert.Equal(Rule.IndexOf("queue", StringComparison.Ordinal), caret.IndexOf('^'));
        Assert.Equal("queue num 3".Length, caret.Trim().Length);
        Assert.Contains("refused by the kernel: expression", lines[at - 1]);
    }

    [KernelFact]
    public void Refused_expression_is_located_in_the_rule_text()
    {
        _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("add table ip t\nadd chain ip t c { type filter hook input priority 0; }\n").EnsureSuccess("nft -f");
        var compiled = RuleCompiler.Compile(Rule, new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c" });
        var batch = new NftBatch();
        batch.QueueRule(compiled, NftFamily.Ip, "t", "c");
        using var conn = NfTablesConnection.Open(_fx.Namespace.Name);
        var result = conn.ExecuteBatch(batch, new BatchOptions());
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.NotNull(error.Offset);
        string text = error.Describe();
        Assert.Contains("add rule ip t c " + Rule, text);
        AssertCaretUnderQueue(text);
        Assert.DoesNotContain("counter", _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void New_NftRule_error_carries_the_caret()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("add table ip t\nadd chain ip t c { type filter hook input priority 0; }\n").EnsureSuccess("nft -f");
        var r = host.Run($"New-NftRule -NetworkNamespace $ns -Table t -Chain c -Rule '{Rule}'");
        var error = Assert.Single(r.Errors);
        Assert.Equal("NftObjectNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        AssertCaretUnderQueue(error.Exception.Message);
    }

    [KernelFact]
    public void Prefix_with_host_bits_warns_in_New_NftRule_and_Import_NftRuleset()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("add table ip t\nadd chain ip t c { type filter hook input priority 0; }\n").EnsureSuccess("nft -f");
        var r = host.Run("New-NftRule -NetworkNamespace $ns -Table t -Chain c -Rule 'ip saddr 1.2.3.4/24 accept' 3>&1");
        Assert.False(r.HadErrors, r.Describe());
        var warning = Assert.Single(r.Output.Select(o => o.BaseObject).OfType<System.Management.Automation.WarningRecord>());
        Assert.StartsWith("Warning: 1.2.3.4/24 has host bits set; it matches 1.2.3.0/24", warning.Message);
        Assert.Contains("ip saddr 1.2.3.0/24 accept", _fx.Namespace.NftListRuleset());

        string file = Path.Combine(Path.GetTempPath(), $"nftps-hostbits-{Guid.NewGuid():N}.nft");
        File.WriteAllText(file, "add rule ip t c ip daddr 10.1.2.3/8 drop\n");
        try
        {
            var imported = host.Run($"Import-NftRuleset -NetworkNamespace $ns -Path '{file}' 3>&1");
            Assert.False(imported.HadErrors, imported.Describe());
            var w = Assert.Single(imported.Output.Select(o => o.BaseObject).OfType<System.Management.Automation.WarningRecord>());
            Assert.Contains("10.1.2.3/8 has host bits set; it matches 10.0.0.0/8", w.Message);
            Assert.Contains("ip daddr 10.0.0.0/8 drop", _fx.Namespace.NftListRuleset());
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Offset_outside_the_expressions_is_not_located()
    {
        var compiled = RuleCompiler.Compile("tcp dport 22 accept", new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c" });
        var batch = new NftBatch();
        var op = batch.QueueRule(compiled, NftFamily.Ip, "t", "c");
        Assert.Null(op.Locate(20)); // NFTA_RULE_TABLE, the first attribute
        Assert.Null(op.Locate(100000));
        Assert.Null(op.Locate(null));
    }
}
