using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11, defect 1: structured parameters of New-NftRule were spliced into rule text, so a port or an
/// address could carry statements. Each value is now one value of its kind in the rule's syntax tree; -Rule stays
/// rule text but is exactly one rule.</summary>
public class RuleParameterInjectionTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public RuleParameterInjectionTests(ScriptFixture fx) => _fx = fx;

    private const string New = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c";

    public static IEnumerable<object[]> Cases() => InjectionCases.Cross(new (string, Outcome)[]
    {
        ($"{New} -Protocol tcp -DestinationPort $v -Action Accept", Outcome.Refused),
        ($"{New} -Protocol tcp -DestinationPort 22, $v -Action Accept", Outcome.Refused),
        ($"{New} -Protocol tcp -SourcePort $v -Action Accept", Outcome.Refused),
        ($"{New} -SourceAddress $v -Action Accept", Outcome.Refused),
        ($"{New} -SourceAddress '10.0.0.1', $v -Action Accept", Outcome.Refused),
        ($"{New} -DestinationAddress $v -Action Accept", Outcome.Refused),
        ($"{New} -Protocol $v -Action Accept", Outcome.Refused),
        ($"{New} -Protocol $v -DestinationPort 22 -Action Accept", Outcome.Refused),
        ($"{New} -InputInterface $v -Action Accept", Outcome.RefusedOrLiteral),
        ($"{New} -OutputInterface $v -Action Accept", Outcome.RefusedOrLiteral),
        ($"{New} -User $v -Action Accept", Outcome.Refused),
        ($"{New} -LogPrefix $v", Outcome.RefusedOrLiteral),
        ($"{New} -Limit $v -Action Accept", Outcome.Refused),
        ($"{New} -Action Jump -Target $v", Outcome.Refused),
        ($"{New} -Action Accept -Comment $v", Outcome.RefusedOrLiteral),
        ($"{New} -Rule $v", Outcome.Refused),
        ($"{New} -Rule \"accept$v\"", Outcome.RefusedOrOneRule),
        ($"{New} -Rule \"counter $v\"", Outcome.RefusedOrOneRule),
        ($"New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain $v -Rule accept", Outcome.Refused),
        ($"Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c | Set-NftRule -Rule $v", Outcome.Refused),
        ($"Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c | Set-NftRule -Rule \"drop$v\"", Outcome.RefusedOrOneRule),
        ($"Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c | Set-NftRule -Rule drop -Comment $v", Outcome.RefusedOrLiteral),
    });

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void HostileParameterValuesChangeNothingTheyWereNotAskedTo(string script, Outcome outcome, int injection) =>
        InjectionCases.Run(_fx, script, outcome, injection);

    [KernelTheory]
    [InlineData("-Protocol tcp -DestinationPort '22 meta mark set 5' -Action Accept", "expected one port and nothing after it: unexpected meta")]
    [InlineData("-SourceAddress '10.0.0.1 counter meta mark set 5' -Action Accept", "expected one address and nothing after it: unexpected counter")]
    [InlineData("-Limit '10/second; add table ip evil'", "expected one limit and nothing after it: unexpected semicolon")]
    [InlineData("-Limit 'limit rate 10/second meta mark set 5'", "expected one limit and nothing after it: unexpected meta")]
    [InlineData("-Protocol tcp -DestinationPort 10.0.0.0/8 -Action Accept", "is not a port")]
    public void TheIssuesHeadlineCasesAreRefusedNamingTheValue(string parameters, string message)
    {
        var host = SafetyBaseline.Reset(_fx);
        string before = _fx.Namespace.NftListRuleset();
        var r = host.Run($"{New} {parameters}");
        var e = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Contains(message, e.Exception.Message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
        Assert.DoesNotContain("mark", _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void StringValuesAreKeptAsValuesAndWhatIfShowsWhatIsSent()
    {
        var host = SafetyBaseline.Reset(_fx);
        const string parameters = "-Protocol tcp -DestinationPort 22, '8000-8080', 'https' -SourceAddress '10.0.0.0/8', '192.168.1.1' " +
                                  "-InputInterface 'we;rd}', 'eth*' -LogPrefix 'x;} add table ip evil' -Limit 'over 10/minute burst 5 packets' -Counter -Action Accept";
        string whatIf = host.RunText($"{New} {parameters} -WhatIf");
        const string expected = "iifname { \"we;rd}\", \"eth*\" } tcp dport { 22, 8000-8080, https } ip saddr { 10.0.0.0/8, 192.168.1.1 } " +
                                "limit rate over 10/minute burst 5 packets counter log prefix \"x;} add table ip evil\" accept";
        Assert.Contains("add rule inet t c " + expected, whatIf.Replace("\n", "").Replace("\r", ""));
        var r = host.Run($"{New} {parameters}");
        Assert.False(r.HadErrors, r.Describe());
        string ours = _fx.Namespace.NftListRuleset();
        SafetyBaseline.AssertTablesIntact(_fx, "parameters");

        // The -WhatIf text is nft text that means the same rule: nft loads it and lists the same ruleset.
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(SafetyBaseline.Ruleset + "\nadd rule inet t c " + expected + "\n").EnsureSuccess("nft -f");
        Assert.Equal(_fx.Namespace.NftListRuleset(), ours);
    }

    [KernelFact]
    public void AStringNftCannotWriteIsRefused()
    {
        var host = SafetyBaseline.Reset(_fx);
        string before = _fx.Namespace.NftListRuleset();
        foreach (string parameter in new[] { "-LogPrefix", "-InputInterface", "-OutputInterface" })
            foreach (string value in new[] { "a\"b", "a\nb", "a\0b" })
            {
                host.SetVariable("v", value);
                var r = host.Run($"{New} {parameter} $v");
                var e = Assert.Single(r.Errors);
                Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
                Assert.Contains("nft cannot express", e.Exception.Message);
                Assert.Equal(before, _fx.Namespace.NftListRuleset());
            }
        host.SetVariable("v", "0123456789abcdef");
        var tooLong = host.Run($"{New} -InputInterface $v");
        Assert.Contains("longer than 15 bytes", Assert.Single(tooLong.Errors).Exception.Message);
    }

    [KernelFact]
    public void RuleTextIsOneRule()
    {
        var host = SafetyBaseline.Reset(_fx);
        string before = _fx.Namespace.NftListRuleset();
        foreach (string text in new[] { "accept; add table ip evil", "counter\nflush ruleset", "accept;delete table ip keepme", "accept }" })
        {
            host.SetVariable("v", text);
            var r = host.Run($"{New} -Rule $v");
            Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(r.Errors).CategoryInfo.Category);
            Assert.Equal(before, _fx.Namespace.NftListRuleset());
        }
    }
}
