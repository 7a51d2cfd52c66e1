using NftPS.Package;

// dotnet run --project tools/NftPS.Package [-- MODULE_DIR [OUTPUT_DIR]]
// Defaults: the assembled module out/NftPS and dist/ at the repository root.
string root = FindRepoRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
string moduleDir = args.Length > 0 ? args[0] : Path.Combine(root, "out", "NftPS");
string outputDir = args.Length > 1 ? args[1] : Path.Combine(root, "dist");
try
{
    string package = ModulePackager.Pack(moduleDir, outputDir);
    Console.WriteLine($"Package: {package}");
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"NftPS.Package: {e.Message}");
    return 1;
}

static string? FindRepoRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "NftPS.slnx"))) return dir.FullName;
    return null;
}
