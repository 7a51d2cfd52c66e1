using System.Management.Automation;

namespace NftPS.Cmdlets;

/// <summary>ValidateSet that lets a null through: a regular chain piped to New-NftChain has no type, hook or policy,
/// and binding its nulls by property name must leave those parameters unset rather than fail the input
/// (ValidateSet refuses null before the cmdlet sees it). Pair it with [ArgumentCompletions] for tab completion.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateSetOrNullAttribute : ValidateArgumentsAttribute
{
    public ValidateSetOrNullAttribute(params string[] validValues) => ValidValues = validValues;

    public IReadOnlyList<string> ValidValues { get; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object? value = arguments is PSObject p ? p.BaseObject : arguments;
        if (value is null) return;
        string text = value.ToString() ?? "";
        if (!ValidValues.Contains(text, StringComparer.OrdinalIgnoreCase))
            throw new ValidationMetadataException(
                $"The argument \"{text}\" does not belong to the set \"{string.Join(",", ValidValues)}\". Supply an argument that is in the set and then try the command again.");
    }
}

/// <summary>Tab completion of fixed keywords (what ValidateSet gives for free).</summary>
public abstract class KeywordCompleter : IArgumentCompleter
{
    private readonly string[] _values;
    protected KeywordCompleter(params string[] values) => _values = values;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        _values.Where(v => v.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
}

public sealed class ChainTypeCompleter : KeywordCompleter { public ChainTypeCompleter() : base("filter", "nat", "route") { } }
public sealed class ChainHookCompleter : KeywordCompleter { public ChainHookCompleter() : base("prerouting", "input", "forward", "output", "postrouting", "ingress", "egress") { } }
public sealed class ChainPolicyCompleter : KeywordCompleter { public ChainPolicyCompleter() : base("accept", "drop") { } }
public sealed class SetPolicyCompleter : KeywordCompleter { public SetPolicyCompleter() : base("performance", "memory") { } }
