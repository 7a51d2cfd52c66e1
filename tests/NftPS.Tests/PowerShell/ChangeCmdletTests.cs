using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>The change cmdlets one by one against the nft oracle, in a private namespace.</summary>
public class ChangeCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ChangeCmdletTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Fresh(string? ruleset = null)
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        if (ruleset is not null) _fx.Namespace.NftLoad(ruleset).EnsureSuccess("nft -f");
        return host;
    }

    private static void Ok(PowerShellResult r) => Assert.False(r.HadErrors, r.Describe());

    private string Listing() => _fx.Namespace.NftListRuleset();

    [KernelFact]
    public void TablesAndChainsAreCreatedAndRemoved()
    {
        var host = Fresh();
        Ok(host.Run("""
            New-NftTable -NetworkNamespace $ns -Family inet -Name filter
            New-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name input -Hook input -Priority 'filter - 10' -Policy drop
            New-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name tcp_in
            """));
        Assert.Equal("""
            table inet filter {
            	chain input {
            		type filter hook input priority filter - 10; policy drop;
            	}

            	chain tcp_in {
            	}
            }

            """.Replace("\r", ""), Listing());

        Ok(host.Run("""
            Set-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name input -Policy accept
            Rename-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name tcp_in -NewName tcp_allowed
            """));
        string listing = Listing();
        Assert.Contains("policy accept;", listing);
        Assert.Contains("chain tcp_allowed", listing);

        Ok(host.Run("Get-NftChain -NetworkNamespace $ns -Table filter -Name tcp_allowed | Remove-NftChain"));
        Assert.DoesNotContain("tcp_allowed", Listing());
        Ok(host.Run("Remove-NftTable -NetworkNamespace $ns -Family inet -Name filter"));
        Assert.Equal("", Listing());
    }

    [KernelFact]
    public void PassThruReturnsObjectsWithKernelHandles()
    {
        var host = Fresh();
        var r = host.Run("""
            New-NftTable -NetworkNamespace $ns -Family inet -Name t -PassThru
            New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -PassThru
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 22 counter accept' -PassThru
            """);
        Ok(r);
        var table = Assert.Single(r.Objects<NftTable>());
        var chain = Assert.Single(r.Objects<NftChain>());
        var rule = Assert.Single(r.Objects<NftRule>());
        Assert.Equal("t", table.Name);
        Assert.Equal(_fx.Namespace.Name, rule.NetworkNamespace);
        Assert.Contains($"tcp dport 22 counter packets 0 bytes 0 accept # handle {rule.Handle}", _fx.Namespace.NftListRuleset("-a"));
        Assert.Contains($"chain c {{ # handle {chain.Handle}", _fx.Namespace.NftListRuleset("-a"));
        Assert.Equal("tcp dport 22 counter packets 0 bytes 0 accept", rule.Text);
    }

    [KernelFact]
    public void WhatIfShowsTheNftCommandsAndChangesNothing()
    {
        var host = Fresh("table inet t {\n chain c {\n tcp dport 22 accept\n }\n}\n");
        string before = _fx.Namespace.NftListRuleset("-j");
        string text = host.RunText("""
            New-NftTable -NetworkNamespace $ns -Family inet -Name other -WhatIf
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Protocol tcp -DestinationPort 80,443 -Action Accept -WhatIf
            Get-NftRule -NetworkNamespace $ns -Table t | Remove-NftRule -WhatIf
            Remove-NftTable -NetworkNamespace $ns -Family inet -Name t -WhatIf
            """);
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
        Assert.Contains("add table inet other", text);
        Assert.Contains("add rule inet t c tcp dport { 80, 443 } accept", text);
        Assert.Contains("delete rule inet t c handle", text);
        Assert.Contains("delete table inet t", text);
    }

    [KernelFact]
    public void RemoveNftRuleTakesFilteredPipelineInput()
    {
        var host = Fresh("""
            table inet filter {
            	chain c {
            		tcp dport 22 counter packets 5 bytes 300 accept
            		tcp dport 80 counter accept
            		tcp dport 443 counter packets 1 bytes 60 accept
            	}
            }
            """);
        Ok(host.Run("Get-NftRule -NetworkNamespace $ns -Table filter | Where-Object Counter -gt 0 | Remove-NftRule"));
        string listing = Listing();
        Assert.DoesNotContain("dport 22", listing);
        Assert.DoesNotContain("dport 443", listing);
        Assert.Contains("tcp dport 80 counter", listing);
    }
}
