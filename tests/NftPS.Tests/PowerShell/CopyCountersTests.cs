using System.Text.RegularExpressions;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Issue 12 item 6: counters are copied only when asked. A rule, a set element or a named counter piped to
/// New-*/Add-NftSetElement is copied without its counter values (and a quota without its usage); -IncludeCounters
/// carries them over. Everything else an element or object is declared with (timeouts, comments, per-element
/// statements, gc-interval, quotas and rates) is copied either way, live or through PSSerializer.</summary>
public class CopyCountersTests : IClassFixture<TwoNamespacesFixture>
{
    private readonly TwoNamespacesFixture _fx;

    public CopyCountersTests(TwoNamespacesFixture fx) => _fx = fx;

    /// <summary>Stateful values everywhere: rule counters and quota usage, a counter-declaring set, elements with
    /// their own counters, timeouts and comments, a named counter and quota an object map refers to.</summary>
    private const string Stateful = """
        table inet x {
        	counter cnt {
        		packets 7 bytes 99
        	}
        	quota q {
        		10 mbytes used 1 mbytes
        	}
        	limit lim {
        		rate over 10/second burst 20 packets
        	}
        	set counted {
        		type ipv4_addr
        		counter
        		elements = { 1.2.3.4 counter packets 5 bytes 10 }
        	}
        	set dyn {
        		type ipv4_addr
        		size 10
        		flags dynamic
        		elements = { 3.3.3.3 counter packets 1 bytes 2, 4.4.4.4 limit rate over 10/minute }
        	}
        	set timed {
        		type ipv4_addr
        		flags timeout
        		timeout 1h
        		gc-interval 10s
        		elements = { 1.1.1.1 timeout 30m comment "own", 2.2.2.2 }
        	}
        	map m {
        		type ipv4_addr : counter
        		elements = { 1.1.1.1 : "cnt" }
        	}
        	chain c {
        		counter packets 5 bytes 300 accept comment "x"
        		quota 10 mbytes used 1 mbytes drop
        		ip saddr 9.9.9.9 counter packets 2 bytes 80 drop
        	}
        }

        """;

    // Element expiry is the kernel's clock, never copied: compared without it.
    private static string WithoutExpiry(string listing) => Regex.Replace(listing, @" expires [0-9a-z]+", "");

    [KernelTheory]
    [InlineData("")]
    [InlineData(" | Copy-Deserialized")]
    public void WithoutTheSwitchACopyStartsFromZero(string copy)
    {
        var host = _fx.Fresh(Stateful);
        var r = host.Run(CopyPipelineTests.RoundTrip + "\n" + CopyPipelineTests.CopyAll.Replace("{copy}", copy));
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        string a = _fx.A.NftListRuleset("-s"), b = _fx.B.NftListRuleset("-s");
        Assert.Contains("timeout 30m comment \"own\"", a);
        Assert.Contains("gc-interval 10s", a);
        Assert.Equal(a, b);
        // Stateless listings agree; the full one shows that nothing stateful came over.
        string full = _fx.B.NftListRuleset();
        Assert.Contains("counter cnt {\n\t\tpackets 0 bytes 0\n\t}", full);
        Assert.Contains("quota q {\n\t\t10 mbytes\n\t}", full);
        Assert.Contains("1.2.3.4 counter packets 0 bytes 0", full);
        Assert.Contains("3.3.3.3 counter packets 0 bytes 0", full);
        Assert.Contains("counter packets 0 bytes 0 accept comment \"x\"", full);
        Assert.Contains("quota 10 mbytes drop", full);
    }

    [KernelTheory]
    [InlineData("")]
    [InlineData(" | Copy-Deserialized")]
    public void IncludeCountersCarriesPacketsBytesAndQuotaUsage(string copy)
    {
        var host = _fx.Fresh(Stateful);
        string script = CopyPipelineTests.CopyAll.Replace("{copy}", copy)
            .Replace("New-NftObject -NetworkNamespace $B", "New-NftObject -NetworkNamespace $B -IncludeCounters")
            .Replace("New-NftSet -NetworkNamespace $B", "New-NftSet -NetworkNamespace $B -IncludeCounters")
            .Replace("New-NftMap -NetworkNamespace $B", "New-NftMap -NetworkNamespace $B -IncludeCounters")
            .Replace("New-NftRule -NetworkNamespace $B", "New-NftRule -NetworkNamespace $B -IncludeCounters");
        Assert.Equal(4, Regex.Matches(script, "-IncludeCounters").Count);
        var r = host.Run(CopyPipelineTests.RoundTrip + "\n" + script);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        string a = WithoutExpiry(_fx.A.NftListRuleset());
        Assert.Contains("packets 7 bytes 99", a);
        Assert.Equal(a, WithoutExpiry(_fx.B.NftListRuleset()));
    }

    [KernelTheory]
    [InlineData("", "1.2.3.4 counter packets 0 bytes 0")]
    [InlineData(" -IncludeCounters", "1.2.3.4 counter packets 5 bytes 10")]
    [InlineData(" | Copy-Deserialized", "1.2.3.4 counter packets 0 bytes 0")]
    [InlineData(" | Copy-Deserialized -IncludeCounters", "1.2.3.4 counter packets 5 bytes 10")]
    public void AddNftSetElementCopiesElementsFromAnotherNamespace(string tail, string expected)
    {
        var host = _fx.Fresh(Stateful);
        _fx.B.NftLoad("table inet x {\n\tset counted {\n\t\ttype ipv4_addr\n\t\tcounter\n\t}\n}\n").EnsureSuccess("nft -f");
        string copy = tail.Contains("Copy-Deserialized") ? " | Copy-Deserialized" : "";
        string ic = tail.Contains("-IncludeCounters") ? " -IncludeCounters" : "";
        var r = host.Run(CopyPipelineTests.RoundTrip + "\n" +
                         $"Get-NftSetElement -NetworkNamespace $A -Table x -Set counted{copy} | Add-NftSetElement -NetworkNamespace $B{ic}");
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Contains("elements = { " + expected + " }", _fx.B.NftListRuleset());
    }

    [KernelFact]
    public void AnElementFromAnotherNamespaceWithNoTargetNamedIsRefused()
    {
        _fx.Fresh(Stateful);
        string a = _fx.A.NftListRuleset("-s");
        var r = RunnerProcess.RunInside(_fx.B.Name,
            $"$A = '{_fx.A.Name}'; Get-NftSetElement -NetworkNamespace $A -Table x -Set counted | Add-NftSetElement");
        Assert.Contains("NftTemplateTargetUnnamed", r.StdOut + r.StdErr);
        Assert.Equal(a, _fx.A.NftListRuleset("-s"));
        Assert.Equal("", _fx.B.NftListRuleset());
    }

    [KernelFact]
    public void RemoveNftSetElementStillRefusesAnElementFromAnotherNamespace()
    {
        var host = _fx.Fresh(Stateful, Stateful);
        string b = _fx.B.NftListRuleset("-s");
        var r = host.Run("Get-NftSetElement -NetworkNamespace $A -Table x -Set counted | Remove-NftSetElement -NetworkNamespace $B");
        Assert.True(r.Errors.Count >= 1, r.Describe());
        Assert.All(r.Errors, e => Assert.StartsWith("NftObjectFromOtherNamespace", e.FullyQualifiedErrorId));
        Assert.Equal(b, _fx.B.NftListRuleset("-s"));
    }

    [KernelFact]
    public void ATypedRuleWinsOverIncludeCounters()
    {
        var host = _fx.Fresh(Stateful);
        host.Run("Get-NftTable -NetworkNamespace $A | New-NftTable -NetworkNamespace $B; Get-NftChain -NetworkNamespace $A | New-NftChain -NetworkNamespace $B");
        var r = host.Run("(Get-NftRule -NetworkNamespace $A -Table x -Chain c)[0] | New-NftRule -NetworkNamespace $B -IncludeCounters -Rule 'tcp dport 1 drop'");
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Contains("tcp dport 1 drop comment \"x\"", _fx.B.NftListRuleset());
    }
}
