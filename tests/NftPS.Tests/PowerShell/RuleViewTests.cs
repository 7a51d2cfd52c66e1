using System.Text.RegularExpressions;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Issue 12 item 8: the rule table shows the stateless rule text next to the Packets and Bytes columns (the
/// counter values once, not again inside the text), the comment and the position; long rules and comments wrap in
/// the table instead of being cut (the list view: tests/pester/CopyAndMove.Tests.ps1).</summary>
public class RuleViewTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public RuleViewTests(ScriptFixture fx) => _fx = fx;

    private static readonly string LongPorts = string.Join(", ", Enumerable.Range(9000, 30));

    private string Ruleset => $$"""
        table inet t {
        	chain c {
        		tcp dport 22 counter packets 3 bytes 120 accept comment "ssh"
        		tcp dport { {{LongPorts}} } ct state new counter packets 77 bytes 8000 log prefix "the end of a long rule: " accept comment "a rather long comment that describes the web rule in some detail"
        		quota 10 mbytes used 1 mbytes drop
        	}
        }

        """;

    /// <summary>What a 120-column terminal shows for Get-NftRule (the default view through Out-Default). The SDK
    /// runspace has no Format-List/Out-String (Microsoft.PowerShell.Utility): tests/pester/CopyAndMove.Tests.ps1 renders
    /// Format-Table at 200 columns and Format-List under real pwsh.</summary>
    private string Render()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Ruleset).EnsureSuccess("nft -f");
        string text = host.RunText("Get-NftRule -NetworkNamespace $ns -Table t");
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 120, $"wider than 120 columns: {line}"));
        return text;
    }

    [KernelFact]
    public void TheTableShowsPositionCountersTheStatelessRuleAndTheComment()
    {
        string text = Render();
        Assert.Contains("Chain: inet t c", text);
        Assert.Matches(@"(?m)^\s*Pos\s+Handle\s+Packets\s+Bytes\s+Rule\s+Comment\s*$", text);
        Assert.Matches(@"(?m)^\s+0\s+\d+\s+3\s+120\s+tcp dport 22 counter accept\s+ssh\s*$", text);
        Assert.Matches(@"(?m)^\s+2\s+\d+\s+quota 10 mbytes drop\s*$", text);
        // The counter values are the columns; the text never repeats them (nor a quota's usage).
        Assert.DoesNotContain("packets", text);
        Assert.DoesNotContain("used", text);
    }

    [KernelFact]
    public void ALongRuleAndCommentWrapInTheTableInsteadOfBeingCut()
    {
        string text = Render();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        string header = lines.First(l => l.TrimStart().StartsWith("Pos "));
        int ruleAt = header.IndexOf("Rule", StringComparison.Ordinal), commentAt = header.IndexOf("Comment", StringComparison.Ordinal);
        // The row of the long rule and its continuation lines (blank in the number columns).
        int row = Array.FindIndex(lines, l => l.Length > ruleAt && l[ruleAt..].StartsWith("tcp dport { 9000"));
        Assert.True(row > 0, text);
        var rowLines = lines.Skip(row).TakeWhile((l, i) => i == 0 || (l.Length > 0 && l[..ruleAt].Trim().Length == 0)).ToList();
        Assert.True(rowLines.Count > 1, "the long rule should wrap:\n" + text);
        string Column(string l, int from, int to) => l.Length <= from ? "" : l[from..Math.Min(l.Length, to)];
        string rule = string.Concat(rowLines.Select(l => Column(l, ruleAt, commentAt - 1)));
        string comment = string.Concat(rowLines.Select(l => Column(l, commentAt, int.MaxValue)));
        Assert.Equal(Regex.Replace($"tcp dport {{ {LongPorts} }} ct state new counter log prefix \"the end of a long rule: \" accept", @"\s+", ""),
            Regex.Replace(rule, @"\s+", ""));
        Assert.Equal("aratherlongcommentthatdescribesthewebruleinsomedetail", Regex.Replace(comment, @"\s+", ""));
        Assert.DoesNotContain("…", text);
    }
}
