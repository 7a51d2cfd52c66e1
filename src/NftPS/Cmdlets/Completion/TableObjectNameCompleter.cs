using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace NftPS.Cmdlets.Completion;

/// <summary>-Name of the cmdlets built on NftTableObjectGetCommandBase, where one declaration serves several kinds:
/// chain names for Get-NftChain, set names for Get-NftSet. A kind with no name completer (flowtables, stateful
/// objects) completes nothing, and PowerShell then falls back to its default as it does without a completer.</summary>
public sealed class TableObjectNameCompleter : IArgumentCompleter
{
    private static readonly Dictionary<string, IArgumentCompleter> ByCommand = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Get-NftChain"] = new ChainNameCompleter(),
        ["Get-NftSet"] = new SetNameCompleter(),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // A module-qualified call (NftPS\Get-NftChain) names the same command.
        string name = commandName[(commandName.LastIndexOf('\\') + 1)..];
        return ByCommand.TryGetValue(name, out var completer)
            ? completer.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters)
            : Array.Empty<CompletionResult>();
    }
}
