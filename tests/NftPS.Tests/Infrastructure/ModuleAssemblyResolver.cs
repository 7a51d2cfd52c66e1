using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace NftPS.Tests.Infrastructure;

/// <summary>The test project references NftPS without copying it, and this resolver loads it from
/// out/NftPS/ — so C# tests and `Import-Module out/NftPS/NftPS.psd1` in a hosted runspace share one assembly
/// (no second copy with types that merely look the same), and the tests exercise the assembled module.</summary>
internal static class ModuleAssemblyResolver
{
    [ModuleInitializer]
    internal static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "NftPS") return null;
        string path = Path.Combine(TestEnvironment.RepoRoot, "out", "NftPS", "NftPS.dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
