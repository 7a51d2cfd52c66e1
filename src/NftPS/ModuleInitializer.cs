using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using NftPS.Cmdlets;

namespace NftPS;

/// <summary>Runs when PowerShell imports the module. PowerShell ignores deps.json, so Tmds.LibC — which has
/// one assembly per architecture — is resolved here from runtimes/&lt;rid&gt;/ next to NftPS.dll. Nothing in this
/// file may touch a Tmds.LibC type: the resolver has to be registered before the first one is needed.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => NativeDependencyResolver.Register();

    /// <summary>Remove-Module: close the cached netlink sockets.</summary>
    public void OnRemove(PSModuleInfo module) => ConnectionCache.DisposeAll();
}

internal static class NativeDependencyResolver
{
    private const string TmdsLibC = "Tmds.LibC";
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    /// <summary>The runtime identifier whose Tmds.LibC matches this process; null where none is shipped.</summary>
    public static string? RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        _ => null,
    };

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, TmdsLibC, StringComparison.OrdinalIgnoreCase)) return null;
        string? rid = RuntimeIdentifier;
        string? moduleDir = Path.GetDirectoryName(typeof(NativeDependencyResolver).Assembly.Location);
        if (rid is null || string.IsNullOrEmpty(moduleDir)) return null;
        string path = Path.Combine(moduleDir, "runtimes", rid, TmdsLibC + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
