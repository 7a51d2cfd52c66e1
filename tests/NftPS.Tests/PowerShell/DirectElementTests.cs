using NftPS.Cmdlets.Changes;
using NftPS.Language.Evaluate;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Element strings that skip the compiler (PackedElements; its own unit tests are PackedElementTests): the kernel
/// must end up holding exactly what nft puts there for the same text, with -WhatIf and errors as before.</summary>
public class DirectElementTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public DirectElementTests(ScriptFixture fx) => _fx = fx;

    [KernelFact]
    public void TheKernelHoldsWhatNftWouldHaveAdded()
    {
        const string sets = """
            table ip t {
            	set plain {
            		type ipv4_addr
            	}
            	set typed {
            		typeof ip saddr
            	}
            	set nets {
            		type ipv4_addr
            		flags interval
            	}
            	set timed {
            		type ipv4_addr
            		flags timeout
            	}
            }
            """;
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(sets).EnsureSuccess("nft -f");
        var r = host.Run("""
            $p = @{ NetworkNamespace = $ns; Table = 't' }
            Add-NftSetElement @p -Set plain -Element '10.0.0.1', ([ipaddress]'10.0.0.2'), @{ Key = '10.0.0.3' }, '10.0.0.4 ', '10.0.0.5'
            '10.1.0.1', '10.1.0.2' | Add-NftSetElement @p -Set typed
            Add-NftSetElement @p -Set nets -Element '10.2.0.1', '10.3.0.0/16'
            Add-NftSetElement @p -Set timed -Element '10.4.0.1' -Timeout ([timespan]::FromHours(2))
            Remove-NftSetElement @p -Set plain -Element '10.0.0.5'
            """);
        Assert.False(r.HadErrors, r.Describe());
        string ours = _fx.Namespace.NftListRuleset();

        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(sets + """

            add element ip t plain { 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 }
            add element ip t typed { 10.1.0.1, 10.1.0.2 }
            add element ip t nets { 10.2.0.1, 10.3.0.0/16 }
            add element ip t timed { 10.4.0.1 timeout 2h }
            delete element ip t plain { 10.0.0.5 }
            """).EnsureSuccess("nft -f");
        string theirs = _fx.Namespace.NftListRuleset();
        // Timeouts count down: compare everything but the "expires" part.
        static string Steady(string s) => System.Text.RegularExpressions.Regex.Replace(s, @" expires \S+", "");
        Assert.Equal(Steady(theirs), Steady(ours));
        Assert.Contains("10.0.0.1", ours);
        Assert.DoesNotContain("10.0.0.5", ours);
    }

    [KernelFact]
    public void WhatIfAndErrorsAreUnchanged()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip t {\n set s {\n type ipv4_addr\n }\n}\n").EnsureSuccess("nft -f");
        string before = _fx.Namespace.NftListRuleset();
        string text = host.RunText("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.1', '10.0.0.2' -WhatIf");
        // One question per input object, showing the command it amounts to.
        Assert.Contains("add element ip t s { 10.0.0.1, 10.0.0.2 }", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "What if:"));
        Assert.Equal(before, _fx.Namespace.NftListRuleset());

        var missing = host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set nosuch -Element '10.0.0.1'");
        Assert.True(missing.HadErrors);
        var wrong = host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.1', '10.0.0.0/8'");
        Assert.True(wrong.HadErrors);
        Assert.Equal(before, _fx.Namespace.NftListRuleset()); // one invocation, one transaction: nothing went in
    }

    [KernelFact]
    public void WhatIfSummarizesLongInputs()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip t {\n set s {\n type ipv4_addr\n }\n}\n").EnsureSuccess("nft -f");
        string text = host.RunText("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element (0..19 | % { \"10.0.0.$_\" }) -WhatIf");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "What if:"));
        string shown = string.Join(", ", Enumerable.Range(0, SetElementCommandBase.ShownElements).Select(i => $"10.0.0.{i}"));
        Assert.Contains($"add element ip t s {{ {shown}, … }} (20 elements)", text.Replace("\n", "").Replace("\r", ""));
        Assert.DoesNotContain("10.0.0.19", text);
        // Piped one by one, each element is its own input object and its own question.
        string piped = host.RunText("'10.0.0.1', '10.0.0.2' | Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -WhatIf");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(piped, "What if:").Count);
    }

    /// <summary>The set definitions the direct path relies on are remembered between calls only while the
    /// generation proves them current: a set re-created with intervals, by nft or by the cmdlets, must be seen.</summary>
    [KernelFact]
    public void RememberedSetsFollowTheRuleset()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        const string plain = "table ip t {\n set s {\n type ipv4_addr\n }\n}\n";
        const string interval = "table ip t {\n set s {\n type ipv4_addr\n flags interval\n }\n}\n";
        _fx.Namespace.NftLoad(interval + "add element ip t s { 10.0.0.1, 10.0.1.1 }\n").EnsureSuccess("nft -f");
        string expected = _fx.Namespace.NftListRuleset();

        // Changed by nft between two calls.
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(plain).EnsureSuccess("nft -f");
        Ok(host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.9'"));
        Ok(host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.8'"));
        _fx.Namespace.Nft("delete set ip t s").EnsureSuccess("nft delete set");
        _fx.Namespace.NftLoad(interval).EnsureSuccess("nft -f");
        Ok(host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.1', '10.0.1.1'"));
        Assert.Equal(expected, _fx.Namespace.NftListRuleset());

        // Changed by the cmdlets between two calls.
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(plain).EnsureSuccess("nft -f");
        Ok(host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.9'"));
        Ok(host.Run("Remove-NftSet -NetworkNamespace $ns -Table t -Name s -Confirm:$false"));
        Ok(host.Run("New-NftSet -NetworkNamespace $ns -Table t -Name s -Type ipv4_addr -Flags interval"));
        Ok(host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '10.0.0.1', '10.0.1.1'"));
        Assert.Equal(expected, _fx.Namespace.NftListRuleset());
    }

    private static void Ok(PowerShellResult result) => Assert.False(result.HadErrors, result.Describe());
}
