using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace NftPS.Bench;

/// <summary>NftPS is referenced without being copied: it loads from out/NftPS/, the module the hosted runspace imports,
/// so core calls and cmdlets in one process use one assembly.</summary>
internal static class ModuleAssemblyResolver
{
    [ModuleInitializer]
    internal static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "NftPS") return null;
        string path = Path.Combine(BenchPaths.ModuleDirectory, "NftPS.dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}

/// <summary>Where the repository, the assembled module and this harness's own executable are.</summary>
public static class BenchPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string ModuleDirectory => Path.Combine(RepoRoot, "out", "NftPS");
    public static string ModuleManifest => Path.Combine(ModuleDirectory, "NftPS.psd1");

    /// <summary>NftPS.Bench.dll, run as `dotnet NftPS.Bench.dll --child …` for whole-process measurements.</summary>
    public static string BenchAssembly => typeof(BenchPaths).Assembly.Location;

    private static string FindRepoRoot()
    {
        string? env = Environment.GetEnvironmentVariable("NFTPS_REPO");
        if (!string.IsNullOrEmpty(env)) return env;
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "NftPS.psd1")) && File.Exists(Path.Combine(dir, "NftPS.slnx"))) return dir;
        throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
