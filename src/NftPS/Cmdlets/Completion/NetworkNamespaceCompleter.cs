using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace NftPS.Cmdlets.Completion;

/// <summary>Completes the named network namespaces `ip netns` keeps under /run/netns.</summary>
public sealed class NetworkNamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if (!Directory.Exists("/run/netns")) return Array.Empty<CompletionResult>();
            string prefix = wordToComplete.Trim('\'', '"');
            return Directory.EnumerateFileSystemEntries("/run/netns")
                .Select(Path.GetFileName)
                .Where(n => n is not null && n.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(n => n, StringComparer.Ordinal)
                .Select(n => new CompletionResult(n!, n!, CompletionResultType.ParameterValue, "/run/netns/" + n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
