using NftPS.Language.Evaluate;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Language.Linearize;

/// <summary>nft rule text to kernel expressions: parse, evaluate, linearize.</summary>
public static class RuleCompiler
{
    public static CompiledRule Compile(string ruleText, CompileContext context, Definitions? definitions = null) =>
        Compile(Parser.ParseRule(new SourceText(ruleText), definitions), context);

    public static CompiledRule Compile(RuleNode rule, CompileContext context)
    {
        var statements = new RuleEvaluator(context).Evaluate(rule);
        var linearizer = new RuleLinearizer(context);
        var (expressions, sets) = linearizer.Linearize(statements);
        return new CompiledRule { Expressions = expressions, AnonymousSets = sets, Comment = rule.Comment, Text = rule.Text,
            ExpressionSpans = linearizer.ExpressionSpans };
    }

    /// <summary>Queues the rule's anonymous sets (NEWSET, NEWSETELEM) and then the NEWRULE.</summary>
    public static BatchOperation QueueRule(this NftBatch batch, CompiledRule rule, NftFamily family, string table, string chain,
        RulePlacement? placement = null, uint? ruleId = null)
    {
        foreach (var (set, elements) in rule.AnonymousSets)
        {
            batch.AddSet(family, table, set, "anonymous");
            if (elements.Count > 0)
                batch.AddElements(family, table, set.Name, elements, e => e.Key is { } k ? Convert.ToHexString(k) : "*", set.SetId);
        }
        string text = rule.Comment is null ? rule.Text : System.Text.RegularExpressions.Regex.Replace(rule.Text, @"\s*comment\s+(""[^""]*""|\S+)\s*$", "");
        var op = batch.AddRule(family, table, chain, rule.Expressions, text, placement, rule.Comment, ruleId);
        op.LocateRefusal = KernelRefusalLocator.For(op, rule);
        return op;
    }
}
