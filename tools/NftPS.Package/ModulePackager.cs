using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace NftPS.Package;

/// <summary>Writes a module folder as the NuGet package the PowerShell Gallery takes (what Publish-Module builds):
/// the module's files at the package root, a .nuspec whose metadata comes from the manifest, and the OPC parts
/// (content types, relationships, core properties) NuGet clients expect.</summary>
public static class ModulePackager
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>Packs <paramref name="moduleDir"/> (which holds NAME.psd1) into OUTPUTDIR/NAME.VERSION.nupkg and returns
    /// its path. Debug symbols stay out of the package.</summary>
    public static string Pack(string moduleDir, string outputDir)
    {
        moduleDir = Path.GetFullPath(moduleDir);
        string name = Path.GetFileName(moduleDir.TrimEnd(Path.DirectorySeparatorChar));
        string manifestPath = Path.Combine(moduleDir, name + ".psd1");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"No module manifest in {moduleDir} (build the module first: dotnet build)", manifestPath);
        var manifest = ModuleManifest.Read(manifestPath);
        Validate(manifest, manifestPath);

        var files = Directory.GetFiles(moduleDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
            .Select(f => (Full: f, Part: Path.GetRelativePath(moduleDir, f).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Part, StringComparer.Ordinal)
            .ToList();

        Directory.CreateDirectory(outputDir);
        string package = Path.Combine(Path.GetFullPath(outputDir), $"{manifest.Name}.{manifest.Version}.nupkg");
        File.Delete(package);
        string coreProperties = $"package/services/metadata/core-properties/{StableId(manifest)}.psmdcp";
        using (var zip = ZipFile.Open(package, ZipArchiveMode.Create))
        {
            AddXml(zip, $"{manifest.Name}.nuspec", NuspecDocument(manifest));
            foreach (var (full, part) in files) zip.CreateEntryFromFile(full, part, CompressionLevel.Optimal);
            AddXml(zip, "_rels/.rels", RelationshipsDocument(manifest, coreProperties));
            AddXml(zip, coreProperties, CorePropertiesDocument(manifest));
            AddXml(zip, "[Content_Types].xml", ContentTypesDocument(files.Select(f => f.Part)));
        }
        return package;
    }

    /// <summary>The gallery refuses packages without these; say so here rather than at upload time.</summary>
    private static void Validate(ModuleManifest m, string path)
    {
        if (m.CmdletsToExport.Count == 0 || m.CmdletsToExport.Any(c => c.Contains('*')))
            throw new InvalidDataException($"{path}: CmdletsToExport must list the cmdlets explicitly (no wildcards)");
        if (!Version.TryParse(m.Version, out _)) throw new InvalidDataException($"{path}: ModuleVersion '{m.Version}' is not a version");
    }

    /// <summary>Tags as PowerShellGet writes them, so Find-Module -Command/-Includes work on the gallery.</summary>
    public static IReadOnlyList<string> GalleryTags(ModuleManifest m)
    {
        var tags = new List<string>(m.Tags) { "PSModule" };
        tags.AddRange(m.CompatiblePSEditions.Select(e => "PSEdition_" + e));
        if (m.CmdletsToExport.Count > 0) tags.Add("PSIncludes_Cmdlet");
        foreach (var c in m.CmdletsToExport) { tags.Add("PSCmdlet_" + c); tags.Add("PSCommand_" + c); }
        return tags.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static XDocument NuspecDocument(ModuleManifest m)
    {
        var metadata = new XElement(Nuspec + "metadata",
            new XElement(Nuspec + "id", m.Name),
            new XElement(Nuspec + "version", m.Version),
            new XElement(Nuspec + "authors", m.Author),
            new XElement(Nuspec + "owners", m.CompanyName ?? m.Author),
            new XElement(Nuspec + "requireLicenseAcceptance", "false"),
            new XElement(Nuspec + "description", m.Description));
        if (m.ReleaseNotes is not null) metadata.Add(new XElement(Nuspec + "releaseNotes", m.ReleaseNotes));
        if (m.Copyright is not null) metadata.Add(new XElement(Nuspec + "copyright", m.Copyright));
        if (m.ProjectUri is not null) metadata.Add(new XElement(Nuspec + "projectUrl", m.ProjectUri));
        if (m.LicenseUri is not null) metadata.Add(new XElement(Nuspec + "licenseUrl", m.LicenseUri));
        metadata.Add(new XElement(Nuspec + "tags", string.Join(' ', GalleryTags(m))));
        return new XDocument(new XElement(Nuspec + "package", metadata));
    }

    private static XDocument RelationshipsDocument(ModuleManifest m, string coreProperties) => new(
        new XElement(Relationships + "Relationships",
            new XElement(Relationships + "Relationship",
                new XAttribute("Type", "http://schemas.microsoft.com/packaging/2010/07/manifest"),
                new XAttribute("Target", $"/{m.Name}.nuspec"), new XAttribute("Id", "R" + StableId(m)[..16])),
            new XElement(Relationships + "Relationship",
                new XAttribute("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"),
                new XAttribute("Target", "/" + coreProperties), new XAttribute("Id", "C" + StableId(m)[..16]))));

    private static XDocument CorePropertiesDocument(ModuleManifest m)
    {
        XNamespace cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        return new XDocument(new XElement(cp + "coreProperties",
            new XAttribute(XNamespace.Xmlns + "dc", dc.NamespaceName),
            new XElement(dc + "creator", m.Author),
            new XElement(dc + "description", m.Description),
            new XElement(dc + "identifier", m.Name),
            new XElement(cp + "version", m.Version),
            new XElement(cp + "keywords", string.Join(' ', GalleryTags(m))),
            new XElement(cp + "lastModifiedBy", "NftPS.Package")));
    }

    private static XDocument ContentTypesDocument(IEnumerable<string> parts)
    {
        var root = new XElement(ContentTypes + "Types",
            Default("rels", "application/vnd.openxmlformats-package.relationships+xml"),
            Default("psmdcp", "application/vnd.openxmlformats-package.core-properties+xml"),
            Default("nuspec", "application/octet"));
        foreach (var ext in parts.Select(p => Path.GetExtension(p).TrimStart('.')).Where(e => e.Length > 0)
                     .Distinct(StringComparer.OrdinalIgnoreCase).Where(e => e is not ("rels" or "psmdcp" or "nuspec")))
            root.Add(Default(ext, "application/octet"));
        return new XDocument(root);

        static XElement Default(string ext, string type) =>
            new(ContentTypes + "Default", new XAttribute("Extension", ext), new XAttribute("ContentType", type));
    }

    private static void AddXml(ZipArchive zip, string part, XDocument doc)
    {
        var entry = zip.CreateEntry(part, CompressionLevel.Optimal);
        using var stream = entry.Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        doc.Save(writer);
    }

    /// <summary>Same name and version, same ids: packing twice gives the same part names.</summary>
    private static string StableId(ModuleManifest m) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(m.Name + "/" + m.Version)))[..32].ToLowerInvariant();
}
