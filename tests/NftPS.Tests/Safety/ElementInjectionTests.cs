using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11, defect 1: element values became nft syntax. Every string the element cmdlets take gets every
/// injection string; an element is exactly one element of the set's type or it is refused, and a refused input
/// leaves the ruleset as it was.</summary>
public class ElementInjectionTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ElementInjectionTests(ScriptFixture fx) => _fx = fx;

    private const string Add = "Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t";
    private const string Remove = "Remove-NftSetElement -NetworkNamespace $ns -Family inet -Table t";
    private const string NewSet = "New-NftSet -NetworkNamespace $ns -Family inet -Table t";
    private const string NewMap = "New-NftMap -NetworkNamespace $ns -Family inet -Table t";

    public static IEnumerable<object[]> Cases() => InjectionCases.Cross(new (string, Outcome)[]
    {
        ($"{Add} -Set s -Element $v", Outcome.Refused),
        ($"$v | {Add} -Set s", Outcome.Refused),
        // The valid elements around the bad one must not go in either: the pipeline is one transaction.
        ($"'10.0.0.1', $v, '10.0.0.2' | {Add} -Set s", Outcome.Refused),
        ($"{Add} -Set s -Element '10.0.0.1', $v", Outcome.Refused),
        ($"{Add} -Set p -Element $v", Outcome.Refused),
        ($"{Add} -Set i -Element $v", Outcome.Refused),
        ($"{Add} -Set c -Element $v", Outcome.Refused),
        ($"{Add} -Set c -Element @('10.0.0.1', $v)", Outcome.Refused),
        ($"{Add} -Set n -Element $v", Outcome.Refused),
        ($"{Add} -Set m -Element $v", Outcome.Refused),
        ($"{Add} -Set m -Element \"22 : $v\"", Outcome.Refused),
        ($"{Add} -Set m -Element @{{ Key = 22; Value = $v }}", Outcome.Refused),
        ($"{Add} -Set d -Element @{{ Key = $v; Value = '10.0.0.1' }}", Outcome.Refused),
        ($"{Add} -Set d -Element @{{ Key = '10.0.0.1'; Value = $v }}", Outcome.Refused),
        ($"{Add} -Set tm -Element @{{ Key = '10.0.0.1'; Timeout = $v }}", Outcome.Refused),
        ($"{Add} -Set s -Element '10.0.0.1' -Comment $v", Outcome.RefusedOrLiteral),
        ($"{Add} -Set s -Element @{{ Key = '10.0.0.1'; Comment = $v }}", Outcome.RefusedOrLiteral),
        ($"Add-NftSetElement -NetworkNamespace $ns -Family inet -Table $v -Set s -Element 10.0.0.1", Outcome.Refused),
        ($"{Add} -Set $v -Element 10.0.0.1", Outcome.Refused),
        ($"{Remove} -Set s -Element $v", Outcome.Refused),
        ($"$v | {Remove} -Set s", Outcome.Refused),
        ($"'9.9.9.9', $v | {Remove} -Set s", Outcome.Refused),
        ($"{Remove} -Set $v -Element 9.9.9.9", Outcome.Refused),
        ($"{NewSet} -Name x -Type ipv4_addr -Element $v", Outcome.Refused),
        ($"{NewSet} -Name x -Type ipv4_addr -Element '10.0.0.1', $v", Outcome.Refused),
        ($"{NewSet} -Name x -Type $v", Outcome.Refused),
        ($"{NewSet} -Name x -Typeof $v", Outcome.Refused),
        ($"{NewSet} -Name x -Type ipv4_addr -Comment $v", Outcome.RefusedOrLiteral),
        ($"{NewSet} -Name $v -Type ipv4_addr", Outcome.RefusedOrName),
        ($"{NewMap} -Name x -Type inet_service -DataType verdict -Element $v", Outcome.Refused),
        ($"{NewMap} -Name x -Type inet_service -DataType $v", Outcome.Refused),
        ($"{NewMap} -Name x -Type ipv4_addr -DataType ipv4_addr -Element @{{ Key = '10.0.0.1'; Value = $v }}", Outcome.Refused),
    });

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void HostileElementInputChangesNothingItWasNotAskedTo(string script, Outcome outcome, int injection) =>
        InjectionCases.Run(_fx, script, outcome, injection);

    [KernelFact]
    public void TheIssuesHeadlineCaseIsRefusedWithACaretAndKeepmeSurvives()
    {
        var host = SafetyBaseline.Reset(_fx);
        string before = _fx.Namespace.NftListRuleset();
        var r = host.Run("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s " +
                         "-Element '1.1.1.1 }; delete table ip keepme; add table ip evil; add element inet t s { 2.2.2.2'");
        var e = Assert.Single(r.Errors);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Contains("expected one set element and nothing after it: unexpected '}'", e.Exception.Message);
        Assert.Contains("1.1.1.1 }; delete table ip keepme", e.Exception.Message);
        Assert.Contains("\n        ^", e.Exception.Message); // the caret under the `}`
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void EveryElementFormStillGoesInAsTheSameElementsNftWouldAdd()
    {
        var host = SafetyBaseline.Reset(_fx);
        var r = host.Run("""
            $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 't' }
            Add-NftSetElement @p -Set s -Element '10.0.0.1', ([ipaddress]'10.0.0.2'), @{ Key = '10.0.0.3'; Comment = 'semi;colon}brace' }, '10.0.0.4 comment "x y"'
            Add-NftSetElement @p -Set p -Element 22, 'ssh', '80'
            Add-NftSetElement @p -Set i -Element '10.1.0.0/16', '10.2.0.1-10.2.0.9', ([ipaddress]'10.3.0.1')
            Add-NftSetElement @p -Set c -Element '10.0.0.1 . 22', @('10.0.0.2', 80)
            Add-NftSetElement @p -Set n -Element '"eth0"', 'lo'
            Add-NftSetElement @p -Set tm -Element @{ Key = '10.0.0.5'; Timeout = [timespan]::FromHours(2) } -Comment 'c'
            Add-NftSetElement @p -Set m -Element '443 : accept', @{ Key = 80; Value = 'jump other' }
            Add-NftSetElement @p -Set d -Element '10.0.0.1 : 10.0.0.2', @{ Key = '10.0.0.3'; Value = ([ipaddress]'10.0.0.4') }
            Remove-NftSetElement @p -Set s -Element '9.9.9.9'
            """);
        Assert.False(r.HadErrors, r.Describe());
        string ours = _fx.Namespace.NftListRuleset();

        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(SafetyBaseline.Ruleset + """

            add element inet t s { 10.0.0.1, 10.0.0.2, 10.0.0.3 comment "semi;colon}brace", 10.0.0.4 comment "x y" }
            add element inet t p { 22, ssh, 80 }
            add element inet t i { 10.1.0.0/16, 10.2.0.1-10.2.0.9, 10.3.0.1 }
            add element inet t c { 10.0.0.1 . 22, 10.0.0.2 . 80 }
            add element inet t n { "eth0", "lo" }
            add element inet t tm { 10.0.0.5 timeout 2h comment "c" }
            add element inet t m { 443 : accept, 80 : jump other }
            add element inet t d { 10.0.0.1 : 10.0.0.2, 10.0.0.3 : 10.0.0.4 }
            delete element inet t s { 9.9.9.9 }
            """).EnsureSuccess("nft -f");
        string theirs = _fx.Namespace.NftListRuleset();
        static string Steady(string s) => System.Text.RegularExpressions.Regex.Replace(s, @" expires \S+", "");
        Assert.Equal(Steady(theirs), Steady(ours));
    }

    [KernelFact]
    public void ACommentNftCannotWriteIsRefusedNotMangled()
    {
        var host = SafetyBaseline.Reset(_fx);
        string before = _fx.Namespace.NftListRuleset();
        foreach (string comment in new[] { "a\"b", "a\nb", "a\0b", new string('x', 129) })
        {
            host.SetVariable("c", comment);
            var r = host.Run("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element '10.0.0.1' -Comment $c");
            var e = Assert.Single(r.Errors);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("comment", e.Exception.Message);
            Assert.Equal(before, _fx.Namespace.NftListRuleset());
        }
        // 128 bytes is nft's limit and still fine.
        host.SetVariable("c", new string('x', 128));
        Assert.False(host.Run("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element '10.0.0.1' -Comment $c").HadErrors);
    }
}
