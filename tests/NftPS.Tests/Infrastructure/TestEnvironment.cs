namespace NftPS.Tests.Infrastructure;

/// <summary>Where the repository and ../shared are, and whether kernel tests may run here.</summary>
public static class TestEnvironment
{
    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared next to the repository; null where it is absent.</summary>
    public static string? SharedDir
    {
        get
        {
            string dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>Returns ../shared, or skips the test (fails under CI=true) when it is absent.</summary>
    public static string RequireShared()
    {
        string? dir = SharedDir;
        if (dir is not null) return dir;
        Skip.Because("../shared is not present next to the repository");
        return "";
    }

    private static string FindRepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "NftPS.psd1")) || File.Exists(Path.Combine(dir, "NftPS.slnx"))) return dir;
            dir = Path.GetDirectoryName(dir);
        }
        throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
