using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Invoke-NftTransaction: one batch for the whole block, all or nothing, checked against the generation.</summary>
public class TransactionTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public TransactionTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Fresh(string? ruleset = null)
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        if (ruleset is not null) _fx.Namespace.NftLoad(ruleset).EnsureSuccess("nft -f");
        return host;
    }

    private const string Base = "table inet t {\n\tchain c {\n\t}\n}\n";

    [KernelFact]
    public void ThousandOperationsWithTheSeventeenHundredthInvalidApplyNothing()
    {
        var host = Fresh(Base);
        string before = _fx.Namespace.NftListRuleset("-j");
        // 699 good rules, the 700th jumps to a chain that does not exist (the kernel refuses it), 300 more good rules.
        var r = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns {
                foreach ($i in 1..1000) {
                    if ($i -eq 700) { New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'jump missing_chain' }
                    else { New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule "tcp dport $i accept" }
                }
            }
            """);
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
        var error = Assert.Single(r.Errors);
        string message = error.Exception.Message;
        Assert.Contains("operation 700 ", message);
        Assert.Contains("add rule inet t c jump missing_chain", message);
        Assert.Contains("of 1000", message);
        Assert.Equal("NftObjectNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
    }

    [KernelFact]
    public void AThrowingBlockAppliesNothing()
    {
        var host = Fresh(Base);
        string before = _fx.Namespace.NftListRuleset("-j");
        var r = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 22 accept'
                throw 'stop here'
            }
            """);
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("NftTransactionAborted") && e.Exception.Message.Contains("stop here"));
    }

    [KernelFact]
    public void BadRuleTextInsideTheBlockAppliesNothingAndShowsTheCaret()
    {
        var host = Fresh(Base);
        var r = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftTable -NetworkNamespace $ns -Family inet -Name other
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 99999 accept'
            }
            """);
        Assert.Equal(Base, _fx.Namespace.NftListRuleset());
        Assert.Contains(r.Errors, e => e.Exception.Message.Contains("^") && e.Exception.Message.Contains("out of range", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("NftTransactionAborted"));
    }

    [KernelFact]
    public void CommitsEverythingTogether()
    {
        var host = Fresh();
        var r = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftTable -NetworkNamespace $ns -Family inet -Name t
                New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -Hook input -Policy drop
                New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name allowed -Type ipv4_addr -Element 10.0.0.1, ([ipaddress]'10.0.0.2')
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Protocol tcp -DestinationPort 22 -SourceAddress '@allowed' -Action Accept -PassThru
            }
            """);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal("tcp dport 22 ip saddr @allowed accept", Assert.Single(r.Objects<NftPS.NfTables.Model.NftRule>()).Text);
        string listing = _fx.Namespace.NftListRuleset();
        Assert.Contains("elements = { 10.0.0.1, 10.0.0.2 }", listing);
        Assert.Contains("tcp dport 22 ip saddr @allowed accept", listing);
    }

    [KernelFact]
    public void WhatIfPrintsTheBatchAndChangesNothing()
    {
        var host = Fresh(Base);
        string before = _fx.Namespace.NftListRuleset("-j");
        string text = host.RunText("""
            Invoke-NftTransaction -NetworkNamespace $ns -WhatIf {
                New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name extra
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain extra -Rule 'udp dport 53 accept'
            }
            """);
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
        Assert.Contains("add chain inet t extra", text);
        Assert.Contains("add rule inet t extra udp dport 53 accept", text);
    }

    [KernelFact]
    public void ValidateChecksWithoutApplying()
    {
        var host = Fresh(Base);
        var ok = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns -Validate {
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 22 accept'
            }
            """);
        Assert.False(ok.HadErrors, ok.Describe());
        var bad = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns -Validate {
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 22 accept'
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain nope -Rule 'tcp dport 23 accept'
            }
            """);
        Assert.Contains(bad.Errors, e => e.Exception.Message.Contains("operation 2 ") && e.Exception.Message.Contains("would refuse"));
        Assert.Equal(Base, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void ConcurrentTransactionsConflictAndExactlyOneLands()
    {
        var host = Fresh(Base);
        using var other = new PowerShellHost(_fx.Namespace.Name);
        using var queued = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        host.SetVariable("queued", queued);
        host.SetVariable("go", go);
        // Session A queues, then waits while session B commits a conflicting change.
        var a = Task.Run(() => host.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 1 accept'
                $null = $queued.Set(); $null = $go.Wait(30000)
            }
            """));
        Assert.True(queued.Wait(30000));
        var b = other.Run("""
            Invoke-NftTransaction -NetworkNamespace $ns { New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 2 accept' }
            """);
        go.Set();
        var ra = a.Result;
        Assert.False(b.HadErrors, b.Describe());
        var conflict = Assert.Single(ra.Errors);
        Assert.StartsWith("NftTransactionConflict", conflict.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, conflict.CategoryInfo.Category);
        string listing = _fx.Namespace.NftListRuleset();
        Assert.Contains("tcp dport 2 accept", listing);
        Assert.DoesNotContain("tcp dport 1 accept", listing);
    }

    [KernelFact]
    public void RetryOnConflictRunsTheBlockAgain()
    {
        var host = Fresh(Base);
        using var other = new PowerShellHost(_fx.Namespace.Name);
        using var queued = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        host.SetVariable("queued", queued);
        host.SetVariable("go", go);
        var a = Task.Run(() => host.Run("""
            $script:runs = 0
            Invoke-NftTransaction -NetworkNamespace $ns -RetryOnConflict {
                $script:runs++
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 1 accept'
                if ($script:runs -eq 1) { $null = $queued.Set(); $null = $go.Wait(30000) }
            }
            $script:runs
            """));
        Assert.True(queued.Wait(30000));
        Assert.False(other.Run("New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 2 accept'").HadErrors);
        go.Set();
        var ra = a.Result;
        Assert.False(ra.HadErrors, ra.Describe());
        Assert.Equal(2, (int)ra.Output.Last().BaseObject);
        string listing = _fx.Namespace.NftListRuleset();
        Assert.Contains("tcp dport 1 accept", listing);
        Assert.Contains("tcp dport 2 accept", listing);
    }

    [KernelFact]
    public void ObjectsFromAnotherNamespaceAreRefused()
    {
        var host = Fresh(Base + "table inet u {\n\tchain d {\n\t\ttcp dport 22 accept\n\t}\n}\n");
        using var second = new PrivateNetworkNamespace();
        ProcessRunner.Run("ip", new[] { "netns", "exec", second.Name, "nft", "-f", "-" },
            stdin: "table inet u {\n\tchain d {\n\t\ttcp dport 23 accept\n\t}\n}\n").EnsureSuccess("nft -f");
        host.SetVariable("other", second.Name);
        string before = _fx.Namespace.NftListRuleset("-j");
        string otherBefore = ProcessRunner.Run("ip", new[] { "netns", "exec", second.Name, "nft", "-j", "list", "ruleset" }).StdOut;
        var probe = host.Run("Get-NftRule -NetworkNamespace $other -Table u | % { '{0}|{1}|{2}' -f $_.NetworkNamespace, $_.Host, $_.Text }");
        Assert.Equal($"{second.Name}|{Environment.MachineName}|tcp dport 23 accept", string.Join(";", probe.Output) + probe.Describe());
        var r = host.Run("""
            $rules = Get-NftRule -NetworkNamespace $other -Table u
            $rules | Remove-NftRule -NetworkNamespace $ns
            Get-NftTable -NetworkNamespace $other -Name u | Remove-NftTable -NetworkNamespace $ns
            """);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("NftObjectFromOtherNamespace", e.FullyQualifiedErrorId));
        Assert.All(r.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
        Assert.Equal(otherBefore, ProcessRunner.Run("ip", new[] { "netns", "exec", second.Name, "nft", "-j", "list", "ruleset" }).StdOut);
    }
}
