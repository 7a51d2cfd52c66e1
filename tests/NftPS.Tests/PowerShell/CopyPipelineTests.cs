using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Issue 12 item 6: objects read in one namespace pipe into the New-* cmdlets of another as templates
/// (`Get-NftTable -NetworkNamespace A | New-NftTable -NetworkNamespace B`); a deserialized copy works the same, and
/// the cmdlets that change an object still refuse one from another namespace.</summary>
public class CopyPipelineTests : IClassFixture<TwoNamespacesFixture>
{
    private readonly TwoNamespacesFixture _fx;

    public CopyPipelineTests(TwoNamespacesFixture fx) => _fx = fx;

    /// <summary>Tables and chains of every kind the copy must carry: dormant flag, comments, a base chain with a
    /// named priority and offset, a drop policy, a netdev chain with a device, a regular chain.</summary>
    private const string Skeleton = """
        table ip filter {
        	chain input {
        		type filter hook input priority filter; policy accept;
        	}
        }
        table inet mailguard {
        	comment "guard"
        	chain input {
        		type filter hook input priority filter - 10; policy drop;
        		comment "in"
        	}
        	chain helper {
        		comment "jumped to"
        	}
        }
        table ip off {
        	flags dormant
        	chain nat_out {
        		type nat hook postrouting priority srcnat; policy accept;
        	}
        }
        table netdev edge {
        	chain ingress {
        		type filter hook ingress device "lo" priority -500; policy accept;
        	}
        }

        """;

    internal const string RoundTrip = """
        function Copy-Deserialized { process {
            [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_, 3))
        } }
        """;

    [KernelTheory]
    [InlineData("Get-NftTable -NetworkNamespace $A | New-NftTable -NetworkNamespace $B; Get-NftChain -NetworkNamespace $A | New-NftChain -NetworkNamespace $B")]
    [InlineData("Get-NftTable -NetworkNamespace $A | Copy-Deserialized | New-NftTable -NetworkNamespace $B; Get-NftChain -NetworkNamespace $A | Copy-Deserialized | New-NftChain -NetworkNamespace $B")]
    [InlineData("$t = Get-NftTable -NetworkNamespace $A; $c = Get-NftChain -NetworkNamespace $A; Invoke-NftTransaction -NetworkNamespace $B { $t | New-NftTable; $c | New-NftChain }")]
    [InlineData("$PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $B; Get-NftTable -NetworkNamespace $A | New-NftTable; Get-NftChain -NetworkNamespace $A | New-NftChain")]
    public void TablesAndChainsCopyToTheNamedNamespace(string script)
    {
        var host = _fx.Fresh(Skeleton);
        string a = _fx.A.NftListRuleset("-s");
        var r = host.Run(RoundTrip + "\n" + script);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal(a, _fx.A.NftListRuleset("-s"));
        Assert.Equal(a, _fx.B.NftListRuleset("-s"));
    }

    /// <summary>Sets and maps of every declaration form: type and typeof keys, concatenations, flags, timeout, size,
    /// policy, comment; verdict, typed, typeof, interval and object maps.</summary>
    private const string Declarations = """
        table inet m {
        	set tset {
        		typeof ip saddr . tcp dport
        		flags interval
        		comment "tc"
        	}
        	set mem {
        		type ipv4_addr
        		policy memory
        		size 100
        	}
        	set offenders {
        		type ipv4_addr
        		size 65535
        		flags dynamic,timeout
        		timeout 10m
        	}
        	set ports {
        		type inet_service . ifname
        		flags constant
        	}
        	map vm {
        		type ipv4_addr : verdict
        	}
        	map dm {
        		typeof ip saddr : meta mark
        	}
        	map pm {
        		type inet_service : ipv4_addr
        		flags interval
        	}
        	map om {
        		type ipv4_addr : counter
        	}
        }

        """;

    [KernelTheory]
    [InlineData("")]
    [InlineData(" | Copy-Deserialized")]
    public void SetsAndMapsCopyWithTheirDeclaration(string copy)
    {
        var host = _fx.Fresh(Declarations);
        string a = _fx.A.NftListRuleset("-s");
        var r = host.Run(RoundTrip + "\n" + """
            Get-NftTable -NetworkNamespace $A{copy} | New-NftTable -NetworkNamespace $B
            Get-NftSet -NetworkNamespace $A{copy} | Where-Object { -not ($_.IsMap -or $_.IsObjectMap) } | New-NftSet -NetworkNamespace $B
            Get-NftSet -NetworkNamespace $A{copy} | Where-Object { $_.IsMap -or $_.IsObjectMap } | New-NftMap -NetworkNamespace $B
            """.Replace("{copy}", copy));
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal(a, _fx.B.NftListRuleset("-s"));
    }

    [KernelFact]
    public void AMapPipedToNewNftSetIsRefusedNotMadeASet()
    {
        var host = _fx.Fresh(Declarations);
        host.Run("New-NftTable -NetworkNamespace $B -Family inet -Name m");
        var r = host.Run("Get-NftSet -NetworkNamespace $A -Name vm, om | New-NftSet -NetworkNamespace $B");
        Assert.True(r.Errors.Count == 2, r.Describe());
        Assert.All(r.Errors, e => Assert.StartsWith("NftMapPipedToNewSet", e.FullyQualifiedErrorId));
        Assert.Equal("table inet m {\n}\n", _fx.B.NftListRuleset());
    }

    [KernelFact]
    public void ATemplateIsCreatedWhereTheCommandSaysEvenInItsOwnNamespace()
    {
        var host = _fx.Fresh(Skeleton);
        var r = host.Run("Get-NftTable -NetworkNamespace $A -Name filter | New-NftTable -NetworkNamespace $A -NoClobber");
        // Typed -NetworkNamespace A for a template read in A: created in A, where it exists already (create fails):
        // the template's origin never decides and never refuses.
        Assert.True(r.Errors.Count == 1, r.Describe());
        Assert.Contains("exist", r.Errors[0].ToString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A copy read in another namespace with no target named (no -NetworkNamespace, default or transaction)
    /// would land in the caller's own namespace, which nobody asked for: refused, nothing created anywhere. The script
    /// runs in a child whose own namespace is B, so even a regression never touches the host's ruleset.</summary>
    [KernelTheory]
    [InlineData("Get-NftTable -NetworkNamespace $A -Name filter | New-NftTable")]
    [InlineData("Get-NftChain -NetworkNamespace $A -Table filter | New-NftChain")]
    public void ACopyFromAnotherNamespaceWithNoTargetNamedIsRefused(string script)
    {
        _fx.Fresh(Skeleton);
        string a = _fx.A.NftListRuleset();
        var r = RunnerProcess.RunInside(_fx.B.Name, $"$A = '{_fx.A.Name}'; {script}");
        Assert.Contains("NftTemplateTargetUnnamed", r.StdOut + r.StdErr);
        Assert.Equal(a, _fx.A.NftListRuleset());
        Assert.Equal("", _fx.B.NftListRuleset());
    }

    internal const string CopyAll = """
        Get-NftTable -NetworkNamespace $A{copy} | New-NftTable -NetworkNamespace $B
        Get-NftObject -NetworkNamespace $A{copy} | New-NftObject -NetworkNamespace $B
        Get-NftSet -NetworkNamespace $A -IncludeElements{copy} | Where-Object { -not ($_.IsMap -or $_.IsObjectMap) } | New-NftSet -NetworkNamespace $B
        Get-NftSet -NetworkNamespace $A -IncludeElements{copy} | Where-Object { $_.IsMap -or $_.IsObjectMap } | New-NftMap -NetworkNamespace $B
        Get-NftChain -NetworkNamespace $A{copy} | New-NftChain -NetworkNamespace $B
        Get-NftRule -NetworkNamespace $A{copy} | New-NftRule -NetworkNamespace $B
        """;

    /// <summary>Each scenario copied with Get-… | New-… pipelines lists as the original does (`nft -s`, so the
    /// counters are not compared: they are not copied), set elements included.</summary>
    [KernelTheory]
    [InlineData("mail-inbound", "")]
    [InlineData("mail-outbound", "")]
    [InlineData("egress-allowlist", "")]
    [InlineData("mail-ratelimit", "")]
    [InlineData("mail-inbound", " | Copy-Deserialized")]
    [InlineData("mail-outbound", " | Copy-Deserialized")]
    [InlineData("egress-allowlist", " | Copy-Deserialized")]
    [InlineData("mail-ratelimit", " | Copy-Deserialized")]
    public void ScenariosCopyWithPipelines(string scenario, string copy)
    {
        string shared = TestEnvironment.RequireShared();
        ScenarioUsers.Ensure();
        var host = _fx.Fresh(File.ReadAllText(Path.Combine(shared, "scenarios", scenario + ".nft")));
        var r = host.Run(RoundTrip + "\n" + CopyAll.Replace("{copy}", copy));
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        string a = _fx.A.NftListRuleset("-s");
        Assert.Contains("accept", a);
        Assert.Equal(a, _fx.B.NftListRuleset("-s"));
    }

    [KernelTheory]
    [InlineData("")]
    [InlineData(" | Copy-Deserialized")]
    public void ElementsOfEveryKindAreCopied(string copy)
    {
        var host = _fx.Fresh("""
            table inet m {
            	set iv { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1-192.168.1.9, 1.2.3.4 comment "c" }; }
            	set cc { type ipv4_addr . inet_service; elements = { 1.1.1.1 . 22, 2.2.2.2 . 443 }; }
            	set ts { typeof ip saddr; elements = { 5.5.5.5 }; }
            	map vm { type ipv4_addr : verdict; elements = { 1.1.1.1 : accept, 2.2.2.2 : drop }; }
            	map pm { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.1 }; }
            }
            """);
        var r = host.Run(RoundTrip + "\n" + CopyAll.Replace("{copy}", copy));
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        string a = _fx.A.NftListRuleset("-s");
        Assert.Contains("comment \"c\"", a);
        Assert.Equal(a, _fx.B.NftListRuleset("-s"));
    }

    /// <summary>Each piped limit or quota keeps its own rate or quota: the first one's used to stay for the rest.</summary>
    [KernelFact]
    public void SeveralLimitsAndQuotasCopyEachWithItsOwnValue()
    {
        var host = _fx.Fresh("""
            table inet m {
            	limit a { rate over 30/minute burst 10 packets; }
            	limit b { rate over 10/minute burst 8 packets; }
            	quota q1 { over 10 mbytes; }
            	quota q2 { 20 mbytes; }
            }
            """);
        var r = host.Run(RoundTrip + "\n" + CopyAll.Replace("{copy}", ""));
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        string a = _fx.A.NftListRuleset("-s");
        Assert.Contains("rate over 10/minute burst 8 packets", a);
        Assert.Equal(a, _fx.B.NftListRuleset("-s"));
    }

    [KernelFact]
    public void RulesAreCopiedWithoutTheirCountersAndWithTheirComments()
    {
        var host = _fx.Fresh("table ip t {\n\tchain c {\n\t\tcounter packets 5 bytes 300 accept comment \"x\"\n\t\tquota 10 mbytes used 1 mbytes drop\n\t}\n}\n");
        var r = host.Run(RoundTrip + "\n" + CopyAll.Replace("{copy}", ""));
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal("table ip t {\n\tchain c {\n\t\tcounter packets 0 bytes 0 accept comment \"x\"\n\t\tquota 10 mbytes drop\n\t}\n}\n", _fx.B.NftListRuleset());
    }

    /// <summary>Set-NftRule changes only what it is given: it used to drop the comment when only -Rule was given.</summary>
    [KernelTheory]
    [InlineData("Get-NftRule -NetworkNamespace $A -Table t -Chain c | Set-NftRule -Rule 'tcp dport 2222 accept'", "tcp dport 2222 accept comment \"ssh\"")]
    [InlineData("$h = (Get-NftRule -NetworkNamespace $A -Table t -Chain c).Handle; Set-NftRule -NetworkNamespace $A -Table t -Chain c -Handle $h -Rule 'tcp dport 2222 accept'", "tcp dport 2222 accept comment \"ssh\"")]
    [InlineData("Get-NftRule -NetworkNamespace $A -Table t -Chain c | Set-NftRule -Rule 'tcp dport 2222 accept' -Comment 'new'", "tcp dport 2222 accept comment \"new\"")]
    [InlineData("Get-NftRule -NetworkNamespace $A -Table t -Chain c | Set-NftRule -Rule 'tcp dport 2222 accept comment \"own\"'", "tcp dport 2222 accept comment \"own\"")]
    public void SetNftRuleKeepsTheCommentUnlessGivenOne(string script, string expected)
    {
        var host = _fx.Fresh("table ip t {\n\tchain c {\n\t\ttcp dport 22 accept comment \"ssh\"\n\t}\n}\n");
        var r = host.Run(script);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal("table ip t {\n\tchain c {\n\t\t" + expected + "\n\t}\n}\n", _fx.A.NftListRuleset());
    }

    [KernelTheory]
    [InlineData("Get-NftTable -NetworkNamespace $A -Name filter | Remove-NftTable -NetworkNamespace $B")]
    [InlineData("Get-NftTable -NetworkNamespace $A -Name filter | Copy-Deserialized | Remove-NftTable -NetworkNamespace $B")]
    [InlineData("Get-NftChain -NetworkNamespace $A -Table filter | Copy-Deserialized | Remove-NftChain -NetworkNamespace $B")]
    public void TheChangeCmdletsStillRefuseAnObjectFromAnotherNamespace(string script)
    {
        var host = _fx.Fresh(Skeleton);
        _fx.B.NftLoad(Skeleton).EnsureSuccess("nft -f");
        var before = (_fx.A.NftListRuleset(), _fx.B.NftListRuleset());
        var r = host.Run(RoundTrip + "\n" + script);
        Assert.Equal(before, (_fx.A.NftListRuleset(), _fx.B.NftListRuleset()));
        Assert.True(r.Errors.Count >= 1, r.Describe());
        Assert.All(r.Errors, e => Assert.StartsWith("NftObjectFromOtherNamespace", e.FullyQualifiedErrorId));
    }
}
