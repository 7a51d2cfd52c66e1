using System.IO.Compression;
using System.Management.Automation;
using System.Xml.Linq;
using NftPS.Package;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Packaging;

/// <summary>The gallery package `dotnet run --project tools/NftPS.Package` (and build.ps1 Package) writes from out/NftPS:
/// the module at the package root, and a nuspec that says what the manifest says.</summary>
public class ModulePackageTests : IDisposable
{
    private readonly string _dist = Directory.CreateTempSubdirectory("nftps-dist-").FullName;

    public void Dispose() => Directory.Delete(_dist, recursive: true);

    [Fact]
    public void PackageHoldsTheModuleAndGalleryMetadata()
    {
        string nupkg = ModulePackager.Pack(PowerShellHost.ModuleDirectory, _dist);
        var manifest = ModuleManifest.Read(PowerShellHost.ModuleManifest);
        Assert.Equal($"NftPS.{manifest.Version}.nupkg", Path.GetFileName(nupkg));

        using var zip = ZipFile.OpenRead(nupkg);
        var parts = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string file in new[] { "NftPS.psd1", "NftPS.dll", "NftPS.format.ps1xml", "NftPS.types.ps1xml",
                     "en-US/NftPS.dll-Help.xml", "en-US/about_NftPS.help.txt",
                     "runtimes/linux-x64/Tmds.LibC.dll", "runtimes/linux-arm64/Tmds.LibC.dll",
                     "NftPS.nuspec", "[Content_Types].xml", "_rels/.rels" })
            Assert.Contains(file, parts);
        Assert.DoesNotContain(parts, p => p.EndsWith(".pdb", StringComparison.Ordinal));

        XNamespace ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
        XDocument nuspec;
        using (var s = zip.GetEntry("NftPS.nuspec")!.Open()) nuspec = XDocument.Load(s);
        var meta = nuspec.Root!.Element(ns + "metadata")!;
        Assert.Equal("NftPS", meta.Element(ns + "id")!.Value);
        Assert.Equal(manifest.Version, meta.Element(ns + "version")!.Value);
        Assert.Equal(manifest.Description, meta.Element(ns + "description")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(meta.Element(ns + "releaseNotes")?.Value), "the manifest's ReleaseNotes should reach the package");
        var tags = meta.Element(ns + "tags")!.Value.Split(' ');
        Assert.Contains("PSModule", tags);
        Assert.Contains("PSEdition_Core", tags);
        Assert.Contains("PSIncludes_Cmdlet", tags);
        foreach (string cmdlet in manifest.CmdletsToExport) Assert.Contains("PSCmdlet_" + cmdlet, tags);
    }

    /// <summary>The gallery lists a module's commands from CmdletsToExport: it must name every cmdlet the assembly
    /// defines, explicitly, with the minimum PowerShell and the edition the module needs.</summary>
    [Fact]
    public void ManifestExportsEveryCmdletExplicitly()
    {
        var manifest = ModuleManifest.Read(PowerShellHost.ModuleManifest);
        var defined = typeof(NftPS.Cmdlets.NftCmdletBase).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().SingleOrDefault())
            .Where(a => a is not null)
            .Select(a => $"{a!.VerbName}-{a.NounName}")
            .OrderBy(s => s, StringComparer.Ordinal);
        Assert.Equal(defined, manifest.CmdletsToExport.OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal("7.4", manifest.PowerShellVersion);
        Assert.Equal(new[] { "Core" }, manifest.CompatiblePSEditions);
        Assert.Contains("nftables", manifest.Tags);
    }

    [Fact]
    public void ModuleFolderWithoutManifestIsAClearError()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dist, "NftPS"));
        var e = Assert.Throws<FileNotFoundException>(() => ModulePackager.Pack(empty.FullName, _dist));
        Assert.Contains("dotnet build", e.Message);
    }
}
