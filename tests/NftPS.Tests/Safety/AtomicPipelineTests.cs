using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11, defects 5 and 7: a pipeline of elements is one transaction. 99,999 good addresses and one bad
/// one committed 98,304 elements before the error; now every element is checked before anything is sent, the
/// elements go in one batch (so a refusal by the kernel takes everything back), and overlapping intervals in one
/// call are refused as nft refuses them.</summary>
public class AtomicPipelineTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public AtomicPipelineTests(ScriptFixture fx) => _fx = fx;

    private const int Count = 100_000;

    private const string Sets = """
        table ip keepme {
        }
        table inet t {
        	set s {
        		type ipv4_addr
        		elements = { 9.9.9.9 }
        	}
        	set i {
        		type ipv4_addr
        		flags interval
        		elements = { 9.9.9.9 }
        	}
        	set small {
        		type ipv4_addr
        		size 1000
        		elements = { 9.9.9.9 }
        	}
        	set am {
        		type ipv4_addr
        		flags interval
        		auto-merge
        	}
        }
        """;

    private PowerShellHost Reset()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Sets).EnsureSuccess("nft -f");
        return host;
    }

    /// <summary>The addresses 10.x.y.z for 0 ≤ n &lt; count, with <paramref name="bad"/> at <paramref name="at"/>.</summary>
    private const string Generate = """
        $list = [System.Collections.Generic.List[object]]::new($count)
        for ($n = 0; $n -lt $count; $n++) { $list.Add("10.$(($n -shr 16) -band 255).$(($n -shr 8) -band 255).$($n -band 255)") }
        if ($at -ge 0) { $list[$at] = $bad }
        """;

    [KernelTheory]
    [InlineData("s", 0, "10.0.0.256")]
    [InlineData("s", Count / 2, "10.0.0.256")]
    [InlineData("s", Count - 1, "10.0.0.256")]
    [InlineData("s", Count / 2, "1.1.1.1 }; add table ip evil; add element inet t s { 2.2.2.2")]
    [InlineData("s", Count - 1, "::1")]
    [InlineData("i", Count / 2, "10.0.0.0/33")]
    [InlineData("i", Count - 1, "not-an-address")]
    public void OneBadElementAnywhereInAPipelineLeavesTheSetUnchanged(string set, int at, string bad)
    {
        var host = Reset();
        string before = _fx.Namespace.NftListRuleset();
        host.SetVariable("count", Count);
        host.SetVariable("at", at);
        host.SetVariable("bad", bad);
        host.SetVariable("set", set);
        var r = host.Run(Generate + "$list | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set $set");
        var e = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Contains(bad.Split(' ')[0], e.Exception.Message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void AHundredThousandGoodElementsGoInTogether()
    {
        var host = Reset();
        host.SetVariable("count", Count);
        host.SetVariable("at", -1);
        host.SetVariable("bad", "");
        var r = host.Run(Generate + "$list | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s");
        Assert.False(r.HadErrors, r.Describe());
        string json = _fx.Namespace.Nft("-j", "list", "set", "inet", "t", "s").EnsureSuccess("nft -j list set").StdOut;
        Assert.Equal(Count, System.Text.RegularExpressions.Regex.Matches(json, "\"10\\.").Count);
        Assert.Contains("\"9.9.9.9\"", json);
    }

    [KernelFact]
    public void WhenTheKernelRefusesAnyPartNothingRemains()
    {
        var host = Reset();
        string before = _fx.Namespace.NftListRuleset();
        host.SetVariable("count", Count);
        host.SetVariable("at", -1);
        host.SetVariable("bad", "");
        // The set holds at most 1,000 elements: the kernel refuses a message well into the batch.
        var r = host.Run(Generate + "$list | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set small");
        Assert.True(r.HadErrors, "the kernel should refuse 100,000 elements in a set of size 1000");
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void OverlappingIntervalsInOneCallAreRefusedAsNftRefusesThem()
    {
        var host = Reset();
        string before = _fx.Namespace.NftListRuleset();
        var nft = _fx.Namespace.Nft("add", "element", "inet", "t", "i", "{ 10.0.0.0/8, 10.1.0.0/16 }");
        Assert.NotEqual(0, nft.ExitCode);
        Assert.Contains("conflicting intervals specified", nft.StdErr);

        foreach (string script in new[]
        {
            "Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set i -Element '10.0.0.0/8', '10.1.0.0/16'",
            "'10.0.0.0/8', '10.0.0.5-10.0.0.9' | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set i",
            "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name x -Type ipv4_addr -Flags interval -Element '10.0.0.0/8', '10.1.0.0/16'",
        })
        {
            var r = host.Run(script);
            var e = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("conflicting intervals specified", e.Exception.Message);
            Assert.Contains("10.0.0.0/8", e.Exception.Message);
            Assert.Equal(before, _fx.Namespace.NftListRuleset());
        }

        // Identical intervals are one element, as in nft.
        Assert.False(host.Run("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set i -Element '10.0.0.0/8', '10.0.0.0/8'").HadErrors);
    }

    [KernelTheory]
    [InlineData("10.1.0.0/16")]
    [InlineData("192.168.3.3")]
    [InlineData("9.0.0.0-10.0.0.5")]
    [InlineData("10.255.255.255-11.0.0.0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("11.0.0.0/8")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0-192.169.0.9")]
    [InlineData("0.0.0.0/5")]
    [InlineData("200.0.0.0-255.255.255.255")]
    public void AnIntervalOverlappingOneTheSetHoldsIsRefusedAsNftRefusesIt(string element)
    {
        const string held = "{ 10.0.0.0/8, 192.168.0.0/16, 250.0.0.0/8 }";
        var host = Reset();
        _fx.Namespace.Nft("add", "element", "inet", "t", "i", held).EnsureSuccess("nft add element");
        var nft = _fx.Namespace.Nft("add", "element", "inet", "t", "i", "{ " + element + " }");
        string theirs = _fx.Namespace.NftListRuleset();

        Reset();
        _fx.Namespace.Nft("add", "element", "inet", "t", "i", held).EnsureSuccess("nft add element");
        host.SetVariable("e", element);
        var r = host.Run("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set i -Element $e");
        Assert.Equal(nft.ExitCode != 0, r.HadErrors);
        if (r.HadErrors)
        {
            Assert.Contains("interval overlaps with an existing one", nft.StdErr);
            var e = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("interval overlaps with an existing one", e.Exception.Message);
        }
        Assert.Equal(theirs, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void AutoMergeMergesWhatNftMerges()
    {
        var host = Reset();
        var r = host.Run("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set am -Element '10.0.0.0/8', '10.1.0.0/16', '11.0.0.0/8', '12.0.0.1-12.0.0.9'");
        Assert.False(r.HadErrors, r.Describe());
        string ours = _fx.Namespace.NftListRuleset();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Sets).EnsureSuccess("nft -f");
        _fx.Namespace.Nft("add", "element", "inet", "t", "am", "{ 10.0.0.0/8, 10.1.0.0/16, 11.0.0.0/8, 12.0.0.1-12.0.0.9 }").EnsureSuccess("nft add element");
        Assert.Equal(_fx.Namespace.NftListRuleset(), ours);
    }
}
