using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("NftPS.Tests.Infrastructure.ModuleResolvingTestFramework", "NftPS.Tests")]

namespace NftPS.Tests.Infrastructure;

/// <summary>The test project references NftPS without copying it, and this resolver loads it from
/// out/NftPS/ — so C# tests and `Import-Module out/NftPS/NftPS.psd1` in a hosted runspace share one assembly
/// (no second copy with types that merely look the same), and the tests exercise the assembled module.</summary>
internal static class ModuleAssemblyResolver
{
    private static int _registered;

    [ModuleInitializer]
    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) AssemblyLoadContext.Default.Resolving += Resolve;
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "NftPS") return null;
        string path = Path.Combine(TestEnvironment.RepoRoot, "out", "NftPS", "NftPS.dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}

/// <summary>xunit builds its test framework before it reflects over the test types; a type whose layout needs an
/// NftPS type (an enum field, say) would otherwise fail to load before the module initializer ever runs.</summary>
public sealed class ModuleResolvingTestFramework : XunitTestFramework
{
    public ModuleResolvingTestFramework(IMessageSink messageSink) : base(messageSink) => ModuleAssemblyResolver.Register();
}
