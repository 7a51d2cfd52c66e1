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
        Ok(host.Run("Remove-NftTable -NetworkNamespace $ns -Family inet -Name filter -Confirm:$false"));
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
    public void PassThruOfATableThatExistsReturnsItWithoutWaitingForACommit()
    {
        // Adding what exists changes nothing, so the kernel commits nothing and echoes nothing: the reply is complete
        // at the ack (this used to wait for a NEWGEN that never comes, and failed after 30 s).
        var host = Fresh("table inet t {\n chain c {\n }\n}\n");
        var r = host.Run("""
            New-NftTable -NetworkNamespace $ns -Family inet -Name t -PassThru
            New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -PassThru
            """);
        Ok(r);
        Assert.Equal("t", Assert.Single(r.Objects<NftTable>()).Name);
        Assert.Equal("c", Assert.Single(r.Objects<NftChain>()).Name);
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

    [KernelFact]
    public void ElementsInEveryFormAndALongPipelineStreamIn()
    {
        var host = Fresh("table inet t {\n}\n");
        var r = host.Run("""
            $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 't' }
            New-NftSet @p -Name nets -Type ipv4_addr -Flags interval -Element '10.0.0.0/8', '192.168.1.1-192.168.1.9'
            New-NftSet @p -Name pairs -Type 'ipv4_addr . inet_service' -Element @('10.1.1.1', 22), '10.1.1.2 . 443'
            New-NftMap @p -Name ports -Type inet_service -DataType verdict -Element @{ Key = 22; Value = 'accept' }, '80 : drop'
            New-NftSet @p -Name tmp -Type ipv4_addr -Flags timeout
            Add-NftSetElement @p -Set tmp -Element ([ipaddress]'1.2.3.4') -Timeout ([timespan]::FromHours(1)) -Comment 'probe'
            New-NftSet @p -Name big -Type ipv4_addr
            0..19999 | ForEach-Object { "10.{0}.{1}.{2}" -f ($_ -shr 16), (($_ -shr 8) -band 255), ($_ -band 255) } |
                Add-NftSetElement @p -Set big
            """);
        Assert.False(r.HadErrors, r.Describe());
        string listing = Listing();
        foreach (string element in new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.9", "10.1.1.1 . 22", "10.1.1.2 . 443", "22 : accept", "80 : drop" })
            Assert.Contains(element, listing);
        Assert.Contains("1.2.3.4 timeout 1h", listing);
        Assert.Contains("comment \"probe\"", listing);
        var count = host.Run("(Get-NftSetElement -NetworkNamespace $ns -Table t -Set big).Count");
        Assert.Equal(20000, (int)count.Output.Single().BaseObject);

        Ok(host.Run("""
            $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 't' }
            Remove-NftSetElement @p -Set nets -Element '10.0.0.0/8'
            Get-NftSetElement -NetworkNamespace $ns -Table t -Set pairs | Remove-NftSetElement
            Clear-NftSet @p -Name big
            Remove-NftSet @p -Name tmp
            """));
        listing = Listing();
        Assert.Contains("elements = { 192.168.1.1-192.168.1.9 }", listing);
        Assert.DoesNotContain("10.1.1.1 . 22", listing);
        Assert.DoesNotContain("set tmp", listing);
        Assert.Equal(0, (int)host.Run("(Get-NftSetElement -NetworkNamespace $ns -Table t -Set big).Count").Output.Single().BaseObject);
    }

    [KernelFact]
    public void NamedObjectsAndCountersAreCreatedResetAndRemoved()
    {
        var host = Fresh("table inet t {\n\tchain c {\n\t\ttcp dport 22 counter packets 7 bytes 420 accept\n\t}\n}\n");
        Ok(host.Run("""
            $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 't' }
            New-NftObject @p -Name hits -Type counter
            New-NftObject @p -Name cap -Type quota -Quota 'over 100 mbytes'
            New-NftObject @p -Name slow -Type limit -Rate '10/second'
            """));
        string listing = Listing();
        Assert.Contains("counter hits {", listing);
        Assert.Contains("quota cap {", listing);
        Assert.Contains("over 100 mbytes", listing);
        Assert.Contains("limit slow {", listing);
        var reset = host.Run("Get-NftRule -NetworkNamespace $ns -Table t | Reset-NftCounter -PassThru");
        Assert.False(reset.HadErrors, reset.Describe());
        Assert.Equal(7UL, Assert.Single(reset.Objects<NftRule>()).Counter);
        Assert.Contains("tcp dport 22 counter packets 0 bytes 0 accept", Listing());
        Ok(host.Run("Reset-NftCounter -NetworkNamespace $ns -Family inet -Table t -Name hits"));
        Ok(host.Run("Get-NftObject -NetworkNamespace $ns -Table t | Remove-NftObject"));
        Assert.DoesNotContain("hits", Listing());
        Ok(host.Run("Clear-NftRuleset -NetworkNamespace $ns -Confirm:$false"));
        Assert.Equal("", Listing());
    }

    /// <summary>A file may change a base chain's policy and rename a chain the kernel holds (nft's own text for both,
    /// as -WhatIf shows it); the rename finds the chain's handle in the namespace the file is imported into.</summary>
    [KernelFact]
    public void AnImportedFileChangesAPolicyAndRenamesAChain()
    {
        var host = Fresh("table inet t {\n chain base {\n type filter hook input priority 0; policy accept;\n }\n chain old {\n }\n}\n");
        string file = Path.Combine(Path.GetTempPath(), $"nftps-rename-{Guid.NewGuid():N}.nft");
        File.WriteAllText(file, "chain inet t base { policy drop; }\nrename chain inet t old renamed\n");
        try
        {
            host.SetVariable("file", file);
            Ok(host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file"));
            string listing = Listing();
            Assert.Contains("policy drop;", listing);
            Assert.Contains("chain renamed {", listing);
            Assert.DoesNotContain("chain old", listing);
            var missing = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file");
            Assert.True(missing.HadErrors);
            Assert.Contains("No such file or directory", missing.Errors[0].Exception.Message);
        }
        finally { File.Delete(file); }
    }

    /// <summary>Reset-NftCounter asks with the reset's nft command, every name quoted as nft needs.</summary>
    [KernelFact]
    public void ResetAsksWithItsCommandText()
    {
        var host = Fresh("table inet t {\n counter hits { packets 5 bytes 50 }\n}\n");
        string whatIf = host.RunText("Reset-NftCounter -NetworkNamespace $ns -Family inet -Table t -Name hits -WhatIf; Reset-NftCounter -NetworkNamespace $ns -Family ip -Table 'my t' -Chain 'c 1' -Handle 3 -WhatIf");
        Assert.Contains("\"reset counter inet t hits\"", whatIf);
        Assert.Contains("reset rule ip \"my t\" \"c 1\" handle 3", whatIf);
        Assert.Contains("packets 5 bytes 50", Listing());
    }
}
