using NftPS.Language.Evaluate;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Language.Linearize;

/// <summary>nft rule text to kernel expressions: parse, evaluate, linearize.</summary>
internal static class RuleCompiler
{
    public static CompiledRule Compile(string ruleText, CompileContext context, Definitions? definitions = null) =>
        Compile(Parser.ParseRule(new SourceText(ruleText), definitions), context);

    public static CompiledRule Compile(RuleNode rule, CompileContext context)
    {
        var statements = new RuleEvaluator(context).Evaluate(rule);
        var linearizer = new RuleLinearizer(context);
        var (expressions, sets) = linearizer.Linearize(statements);
        return new CompiledRule
        {
            Expressions = expressions, AnonymousSets = sets, BoundChains = linearizer.BoundChains.ToList(),
            Comment = rule.Comment, Text = rule.Text, ExpressionSpans = linearizer.ExpressionSpans,
        };
    }

    /// <summary>Queues the rule's anonymous sets (NEWSET, NEWSETELEM) and then the NEWRULE.</summary>
    public static BatchOperation QueueRule(this NftBatch batch, CompiledRule rule, NftFamily family, string table, string chain,
        RulePlacement? placement = null, uint? ruleId = null) =>
        QueueRule(batch, rule, family, table, chain, null, placement, ruleId);

    /// <summary>A rule of a bound chain (<paramref name="chainId"/>) or of a named one; bound chains of its own
    /// `jump { }` verdicts are queued first, chain then rules, as nft does.</summary>
    private static BatchOperation QueueRule(NftBatch batch, CompiledRule rule, NftFamily family, string table, string chain,
        uint? chainId, RulePlacement? placement, uint? ruleId)
    {
        foreach (var (set, elements) in rule.AnonymousSets)
        {
            batch.AddSet(family, table, set, "anonymous");
            if (elements.Count > 0)
                batch.AddElements(family, table, set.Name, elements, e => e.Key is { } k ? Convert.ToHexString(k) : "*", set.SetId, ofAnonymousSet: true);
        }
        foreach (var bound in rule.BoundChains)
        {
            batch.AddBoundChain(family, table, bound.ChainId);
            foreach (var inner in bound.Rules)
                QueueRule(batch, inner, family, table, $"(chain bound to: {rule.Text})", bound.ChainId, null, null);
        }
        string text = rule.Comment is null ? rule.Text : System.Text.RegularExpressions.Regex.Replace(rule.Text, @"\s*comment\s+(""[^""]*""|\S+)\s*$", "");
        var op = batch.AddRule(family, table, chain, rule.Expressions, text, placement, rule.Comment, ruleId, chainId);
        op.LocateRefusal = KernelRefusalLocator.For(op, rule);
        return op;
    }
}
