using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace NftPS.Cmdlets.Completion;

/// <summary>The network namespace a completer may read: the one the command would act on, never another. In order:
/// -NetworkNamespace on the command line; the -NetworkNamespace of an enclosing Invoke-NftTransaction block; the
/// value $PSDefaultParameterValues gives this command; the caller's own namespace only when no default applies.
/// When the answer is unclear (a script-block default, conflicting defaults, a malformed name) nothing is read.</summary>
internal static class CompletionNamespace
{
    private const string Parameter = "NetworkNamespace";

    /// <summary>False when completion must not read any namespace; otherwise the namespace (null: the caller's own).</summary>
    public static bool TryResolve(string commandName, CommandAst? commandAst, IDictionary fakeBoundParameters, out string? networkNamespace)
    {
        networkNamespace = null;
        if (fakeBoundParameters.Contains(Parameter))
            return Accept(Text(fakeBoundParameters[Parameter]), out networkNamespace);
        // Named on the command line but not evaluated (an expression): which namespace is meant is unknown.
        if (commandAst is not null && NamesParameter(commandAst)) return false;
        if (EnclosingTransaction(commandAst) is { } transaction)
            return Accept(transaction, out networkNamespace);
        switch (DefaultFor(commandName, commandAst?.GetCommandName()))
        {
            case (false, _): return true;
            case (true, string value): return Accept(value, out networkNamespace);
            default: return false;
        }
    }

    // Only a value the cmdlet itself would accept; an empty one the cmdlet refuses, so complete nothing.
    private static bool Accept(string? value, out string? networkNamespace)
    {
        networkNamespace = null;
        if (string.IsNullOrEmpty(value)) return false;
        try
        {
            Netlink.NetworkNamespace.PathOf(value);
        }
        catch (ArgumentException)
        {
            return false;
        }
        networkNamespace = value;
        return true;
    }

    private static bool NamesParameter(CommandAst command) =>
        command.CommandElements.OfType<CommandParameterAst>().Any(p =>
            p.ParameterName.Length >= 2 && Parameter.StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The literal -NetworkNamespace of the Invoke-NftTransaction whose script block holds the command.</summary>
    private static string? EnclosingTransaction(Ast? ast)
    {
        for (var node = ast?.Parent; node is not null; node = node.Parent)
        {
            if (node is not ScriptBlockExpressionAst block || block.Parent is not CommandAst outer) continue;
            if (!string.Equals(outer.GetCommandName(), "Invoke-NftTransaction", StringComparison.OrdinalIgnoreCase)) continue;
            var elements = outer.CommandElements;
            for (int i = 0; i < elements.Count; i++)
            {
                if (elements[i] is not CommandParameterAst p || p.ParameterName.Length < 2 ||
                    !Parameter.StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase)) continue;
                var argument = p.Argument ?? (i + 1 < elements.Count ? elements[i + 1] : null);
                // A variable or expression cannot be evaluated safely here: "unknown", so the caller reads nothing.
                return argument is StringConstantExpressionAst s ? s.Value : "";
            }
        }
        return null;
    }

    /// <summary>(whether a default applies, its value when it is one plain string; null value: unusable).</summary>
    private static (bool Applies, string? Value) DefaultFor(string commandName, string? typedName)
    {
        IDictionary? defaults;
        try
        {
            defaults = ScriptBlock.Create("$PSDefaultParameterValues").Invoke().FirstOrDefault()?.BaseObject as IDictionary;
        }
        catch (Exception)
        {
            return (true, null);
        }
        if (defaults is null || defaults.Count == 0) return (false, null);
        if (defaults.Contains("Disabled") && LanguagePrimitives.IsTrue(defaults["Disabled"])) return (false, null);
        var values = new List<object?>();
        foreach (DictionaryEntry entry in defaults)
        {
            if (entry.Key is not string key || key.IndexOf(':') is var colon && colon <= 0) continue;
            var command = WildcardPattern.Get(key[..colon].Trim(), WildcardOptions.IgnoreCase);
            var parameter = WildcardPattern.Get(key[(colon + 1)..].Trim(), WildcardOptions.IgnoreCase);
            if (!parameter.IsMatch(Parameter)) continue;
            if (!command.IsMatch(commandName) && (typedName is null || !command.IsMatch(typedName))) continue;
            values.Add(entry.Value is PSObject p ? p.BaseObject : entry.Value);
        }
        if (values.Count == 0) return (false, null);
        var texts = values.Select(v => v as string).Distinct(StringComparer.Ordinal).ToList();
        return texts.Count == 1 && texts[0] is not null ? (true, texts[0]) : (true, null);
    }

    private static string? Text(object? value)
    {
        if (value is PSObject pso) value = pso.BaseObject;
        return value as string;
    }
}
