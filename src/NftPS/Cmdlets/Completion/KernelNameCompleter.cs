using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets.Completion;

/// <summary>Completes names read from the live kernel of the namespace the command would act on (see
/// <see cref="CompletionNamespace"/>), narrowed by -Family and -Table when those are already on the command line. Completion must never fail loudly: any error means no results.</summary>
public abstract class KernelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            // The word being completed may already sit in fakeBoundParameters under its own parameter: ignore it.
            string? Other(string name) => string.Equals(name, parameterName, StringComparison.OrdinalIgnoreCase) ? null : Bound(fakeBoundParameters, name);
            if (!CompletionNamespace.TryResolve(commandName, commandAst, fakeBoundParameters, out string? ns))
                return Array.Empty<CompletionResult>();
            NftFamily? family = NftFamilyNames.TryParse(Other("Family"), out var f) ? f : null;
            string? table = Other("Table");
            var pattern = WildcardPattern.Get(Unquote(wordToComplete) + "*", WildcardOptions.IgnoreCase);
            var tableFilter = NameFilter.Create(table);
            var query = Query(family, tableFilter) with { DescribeRules = false };
            var ruleset = ConnectionCache.Use(ns, c => RulesetSource.Read(c, query, CancellationToken.None));
            return Candidates(ruleset, fakeBoundParameters)
                .Where(c => NameFilter.Matches(tableFilter, c.Table) && pattern.IsMatch(c.Name))
                .GroupBy(c => c.Name, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new CompletionResult(Quote(g.Key), g.Key, CompletionResultType.ParameterValue,
                    string.Join(", ", g.Select(c => c.Description).Distinct())))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>What to read: as little as the names need.</summary>
    private protected abstract RulesetQuery Query(NftFamily? family, NameFilter? table);

    /// <summary>(table the name lives in, the name, a tooltip).</summary>
    protected abstract IEnumerable<(string Table, string Name, string Description)> Candidates(NftRuleset ruleset, IDictionary fakeBoundParameters);

    protected static string? Bound(IDictionary parameters, string name)
    {
        if (!parameters.Contains(name)) return null;
        object? value = parameters[name];
        if (value is PSObject pso) value = pso.BaseObject;
        if (value is Array { Length: > 0 } array) value = array.GetValue(0);
        string? text = value?.ToString();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string Unquote(string word) => word.Trim('\'', '"');

    // A name from the kernel goes into the user's command line: anything but a plain word (not starting with '-',
    // which would read as a parameter) is single-quoted with
    // PowerShell's own escaping, which also doubles the typographic quotes (‘ ’ ‚ ‛) PowerShell reads as quotes.
    private static string Quote(string name) =>
        name.Length > 0 && name[0] != '-' && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' or '-' or '/' or ':') ? name
        : "'" + System.Management.Automation.Language.CodeGeneration.EscapeSingleQuotedStringContent(name) + "'";
}

/// <summary>Table names, across families unless -Family is given.</summary>
public sealed class TableNameCompleter : KernelNameCompleter
{
    private protected override RulesetQuery Query(NftFamily? family, NameFilter? table) => RulesetSource.Query(family, null);

    protected override IEnumerable<(string, string, string)> Candidates(NftRuleset ruleset, IDictionary bound) =>
        ruleset.Tables.Select(t => ("", t.Name, $"table {t.Family.ToKeyword()} {t.Name}"));
}

/// <summary>Chain names, in the -Table given (all tables otherwise).</summary>
public sealed class ChainNameCompleter : KernelNameCompleter
{
    private protected override RulesetQuery Query(NftFamily? family, NameFilter? table) => RulesetSource.Query(family, table, chains: true);

    protected override IEnumerable<(string, string, string)> Candidates(NftRuleset ruleset, IDictionary bound) =>
        ruleset.Chains.Select(c => (c.Table, c.Name, $"chain {c.Family.ToKeyword()} {c.Table} {c.Name}"));
}

/// <summary>Named set and map names, in the -Table given (all tables otherwise).</summary>
public sealed class SetNameCompleter : KernelNameCompleter
{
    private protected override RulesetQuery Query(NftFamily? family, NameFilter? table) => RulesetSource.Query(family, table, sets: true);

    protected override IEnumerable<(string, string, string)> Candidates(NftRuleset ruleset, IDictionary bound) =>
        ruleset.Sets.Where(s => !s.IsAnonymous)
            .Select(s => (s.Table, s.Name, $"{(s.IsMap ? "map" : "set")} {s.Family.ToKeyword()} {s.Table} {s.Name}"));
}
