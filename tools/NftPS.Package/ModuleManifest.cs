using System.Collections;
using System.Management.Automation.Language;

namespace NftPS.Package;

/// <summary>The fields of a module manifest (.psd1) that a gallery package needs, read the way
/// Import-PowerShellDataFile reads it: parsed, and only constant data accepted.</summary>
public sealed class ModuleManifest
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Author { get; init; }
    public string? CompanyName { get; init; }
    public string? Copyright { get; init; }
    public required string Description { get; init; }
    public string? PowerShellVersion { get; init; }
    public IReadOnlyList<string> CompatiblePSEditions { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> CmdletsToExport { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public string? ReleaseNotes { get; init; }
    public string? ProjectUri { get; init; }
    public string? LicenseUri { get; init; }

    public static ModuleManifest Read(string path)
    {
        var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
            throw new InvalidDataException($"{path}:{errors[0].Extent.StartLineNumber}: {errors[0].Message}");
        var hashtable = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst
            ?? throw new InvalidDataException($"{path}: not a module manifest (no hashtable)");
        var data = (Hashtable)hashtable.SafeGetValue();
        var psData = (data["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();

        string Required(string key) => data[key] as string is { Length: > 0 } s
            ? s : throw new InvalidDataException($"{path}: the manifest has no {key}, which the PowerShell Gallery requires");
        return new ModuleManifest
        {
            Name = Path.GetFileNameWithoutExtension(path),
            Version = Required("ModuleVersion"),
            Author = Required("Author"),
            CompanyName = data["CompanyName"] as string,
            Copyright = data["Copyright"] as string,
            Description = Required("Description"),
            PowerShellVersion = data["PowerShellVersion"] as string,
            CompatiblePSEditions = Strings(data["CompatiblePSEditions"]),
            CmdletsToExport = Strings(data["CmdletsToExport"]),
            Tags = Strings(psData["Tags"]),
            ReleaseNotes = psData["ReleaseNotes"] as string,
            ProjectUri = psData["ProjectUri"] as string,
            LicenseUri = psData["LicenseUri"] as string,
        };
    }

    private static IReadOnlyList<string> Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        IEnumerable e => e.Cast<object>().Select(o => o.ToString()!).ToList(),
        _ => new[] { value.ToString()! },
    };
}
