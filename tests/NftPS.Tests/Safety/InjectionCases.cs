using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>What an injection string given to one parameter may lead to.</summary>
public enum Outcome
{
    /// <summary>Refused: an error, and the ruleset exactly as before.</summary>
    Refused,
    /// <summary>A string value: refused, or kept literally (the listing shows it in quotes).</summary>
    RefusedOrLiteral,
    /// <summary>A name: refused, or accepted as a name; either way no table appears or goes.</summary>
    RefusedOrName,
    /// <summary>Rule text: refused, or one rule (a trailing `;` or line break ends the rule, as in nft).</summary>
    RefusedOrOneRule,
}

/// <summary>Runs one cmdlet call with one hostile value in <c>$v</c> and checks what it did to the namespace.</summary>
internal static class InjectionCases
{
    public static IEnumerable<object[]> Cross(IEnumerable<(string Script, Outcome Outcome)> cases) =>
        from c in cases
        from i in Enumerable.Range(0, SafetyBaseline.Injections.Length)
        select new object[] { c.Script, c.Outcome, i };

    public static void Run(ScriptFixture fx, string script, Outcome outcome, int injection)
    {
        string value = SafetyBaseline.Injections[injection];
        string context = $"{script} with $v = '{SafetyBaseline.Visible(value)}'";
        var host = SafetyBaseline.Reset(fx);
        string before = fx.Namespace.NftListRuleset();
        host.SetVariable("v", value);
        var r = host.Run(script);
        SafetyBaseline.AssertTablesIntact(fx, context);
        SafetyBaseline.AssertDesignedErrors(r, context, ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound, ErrorCategory.InvalidData);
        string after = fx.Namespace.NftListRuleset();
        bool refused = r.HadErrors || r.Terminating is not null;
        if (refused)
        {
            Assert.True(before == after, $"{context}: refused ({r.Describe()}) but the ruleset changed:\n{after}");
            return;
        }
        Assert.True(outcome != Outcome.Refused, $"{context}: accepted, the ruleset is now:\n{after}");
        if (outcome == Outcome.RefusedOrOneRule)
            Assert.True(CountRules(after) - CountRules(before) is 0 or 1, $"{context}: more than one rule changed:\n{after}");
        if (outcome == Outcome.RefusedOrLiteral)
            Assert.True(after.Contains("\"" + value + "\""), $"{context}: accepted but the value was not kept as it was:\n{after}");
    }

    /// <summary>Rules in an nft listing: the lines inside chain blocks.</summary>
    private static int CountRules(string listing)
    {
        int rules = 0;
        bool inChain = false;
        foreach (string line in listing.Split('\n'))
        {
            if (line.StartsWith("\tchain ", StringComparison.Ordinal)) inChain = true;
            else if (line == "\t}") inChain = false;
            else if (inChain && line.StartsWith("\t\t", StringComparison.Ordinal) && line.Trim().Length > 0) rules++;
        }
        return rules;
    }
}
