using System.Collections;
using System.Management.Automation;
using System.Reflection;

namespace NftPS.Cmdlets;

/// <summary>Two facts about a cmdlet invocation that PowerShell knows but does not publish, read by reflection:
/// the pipeline object being processed, and whether a parameter's value came from $PSDefaultParameterValues.
/// Both decide which network namespace a command acts on, so when a PowerShell version hides them the answers
/// are "unknown" and the callers take the cautious path (a default is then treated as if typed explicitly).</summary>
internal static class InvocationIntrospection
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    private static readonly PropertyInfo? CurrentPipelineObjectProperty =
        typeof(Cmdlet).BaseType?.GetProperty("CurrentPipelineObject", Any);

    /// <summary>The input object this ProcessRecord call is for (null outside the pipeline or when unknown).</summary>
    public static PSObject? CurrentPipelineObject(Cmdlet cmdlet)
    {
        try
        {
            return CurrentPipelineObjectProperty?.GetValue(cmdlet) as PSObject;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="parameter"/> was bound from $PSDefaultParameterValues, false when it was
    /// given on the command line, null when this PowerShell does not let us tell.</summary>
    public static bool? IsBoundFromDefaults(Cmdlet cmdlet, string parameter)
    {
        try
        {
            var runtime = cmdlet.CommandRuntime;
            var pipeline = runtime?.GetType().GetProperty("PipelineProcessor", Any)?.GetValue(runtime);
            if (pipeline?.GetType().GetProperty("Commands", Any)?.GetValue(pipeline) is not IEnumerable commands) return null;
            foreach (var processor in commands)
            {
                if (processor is null || !ReferenceEquals(Find(processor.GetType(), "Command")?.GetValue(processor), cmdlet)) continue;
                var binder = Find(processor.GetType(), "CmdletParameterBinderController")?.GetValue(processor);
                if (binder is null || Find(binder.GetType(), "BoundDefaultParameters")?.GetValue(binder) is not IEnumerable names) return null;
                foreach (var name in names)
                    if (string.Equals(name?.ToString(), parameter, StringComparison.OrdinalIgnoreCase)) return true;
                return false;
            }
            return null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static PropertyInfo? Find(Type? type, string name)
    {
        for (; type is not null; type = type.BaseType)
            if (type.GetProperty(name, Any | BindingFlags.DeclaredOnly) is { } p) return p;
        return null;
    }
}
