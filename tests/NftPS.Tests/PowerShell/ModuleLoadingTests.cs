using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>out/NftPS is a complete module: manifest, format and types files, both Tmds.LibC builds, and
/// it is the one NftPS assembly in the process, so the objects scripts get are the C# types.</summary>
public class ModuleLoadingTests : IClassFixture<ScriptFixture>
{
    private static readonly string[] Cmdlets =
    {
        "Add-NftSetElement", "Clear-NftChain", "Clear-NftRuleset", "Clear-NftSet", "Compare-NftRuleset",
        "Confirm-NftChange", "ConvertFrom-NftJson", "ConvertTo-NftJson", "Export-NftMetric", "Export-NftRuleset",
        "Get-NftChain", "Get-NftEvent", "Get-NftFlowtable", "Get-NftObject", "Get-NftPendingChange", "Get-NftRule",
        "Get-NftRuleset", "Get-NftSet", "Get-NftSetElement", "Get-NftTable", "Import-NftRuleset",
        "Invoke-NftTransaction", "Move-NftRule", "New-NftChain", "New-NftMap", "New-NftObject", "New-NftRule",
        "New-NftSet", "New-NftTable", "Receive-NftLog", "Remove-NftChain", "Remove-NftObject", "Remove-NftRule",
        "Remove-NftSet", "Remove-NftSetElement", "Remove-NftTable", "Rename-NftChain", "Reset-NftCounter",
        "Set-NftChain", "Set-NftRule", "Set-NftRuleset", "Test-NftRuleset", "Trace-NftPacket", "Undo-NftChange",
    };

    private readonly ScriptFixture _fx;

    public ModuleLoadingTests(ScriptFixture fx) => _fx = fx;

    [Fact]
    public void ModuleFolderHoldsEverythingPowerShellNeeds()
    {
        foreach (string file in new[] { "NftPS.psd1", "NftPS.dll", "NftPS.format.ps1xml", "NftPS.types.ps1xml",
                     "runtimes/linux-x64/Tmds.LibC.dll", "runtimes/linux-arm64/Tmds.LibC.dll" })
            Assert.True(File.Exists(Path.Combine(PowerShellHost.ModuleDirectory, file)), $"out/NftPS/{file} is missing");
    }

    [Fact]
    public void ManifestDeclaresTheCmdletsAndEdition()
    {
        using var host = new PowerShellHost();
        var r = host.Run($"Test-ModuleManifest -Path '{PowerShellHost.ModuleManifest}'");
        Assert.False(r.HadErrors, r.Describe());
        dynamic manifest = r.Output.Single();
        Assert.Equal(Cmdlets, ((IEnumerable<string>)manifest.ExportedCmdlets.Keys).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(new Version(7, 4), (Version)manifest.PowerShellVersion);
        Assert.Contains("Core", (IEnumerable<string>)manifest.CompatiblePSEditions);
        Assert.Equal(new[] { "NftPS.format.ps1xml" }, ((IEnumerable<string>)manifest.ExportedFormatFiles).Select(Path.GetFileName));
    }

    [Fact]
    public void ImportedModuleIsTheOneNftPSAssemblyInTheProcess()
    {
        using var host = new PowerShellHost();
        var r = host.Run("(Get-Command Get-NftTable).ImplementingType.Assembly.Location; @(Get-Command -Module NftPS).Count");
        Assert.False(r.HadErrors, r.Describe());
        string expected = Path.Combine(PowerShellHost.ModuleDirectory, "NftPS.dll");
        Assert.Equal(expected, r.Output[0].BaseObject);
        Assert.Equal(expected, typeof(NftTable).Assembly.Location);
        Assert.Single(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "NftPS");
        Assert.Equal(Cmdlets.Length, r.Output[1].BaseObject);
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputAndTakesANamespace()
    {
        using var host = new PowerShellHost();
        // Converters (ConvertFrom-NftJson) work on text alone and have no namespace; the pending-change cmdlets act on
        // state under /run/nftps, each change carrying its own namespace.
        var r = host.Run("Get-Command -Module NftPS | Where-Object { $_.OutputType.Count -eq 0 -or " +
                         "(-not $_.Parameters.ContainsKey('NetworkNamespace') -and $_.Verb -notin 'ConvertFrom', 'ConvertTo' -and " +
                         "$_.Noun -notin 'NftChange', 'NftPendingChange') } | ForEach-Object Name");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Empty(r.Output);
    }

    [KernelFact]
    public void OutputObjectsAreTheModelTypes()
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        var r = host.Run("Get-NftTable -NetworkNamespace $ns -Name filter");
        Assert.False(r.HadErrors, r.Describe());
        Assert.IsType<NftTable>(Assert.Single(r.Output).BaseObject);
    }

    [KernelFact]
    public void ModuleLoadsItsOwnTmdsLibCWherePowerShellIgnoresDepsJson()
    {
        _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        var r = RunnerProcess.Run(
            $"Get-NftTable -NetworkNamespace {_fx.Namespace.Name} -Name filter | ForEach-Object Name; " +
            "[AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'Tmds.LibC' }).Location");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        string[] lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("filter", lines[0]);
        string rid = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        Assert.Equal(Path.Combine(PowerShellHost.ModuleDirectory, "runtimes", rid, "Tmds.LibC.dll"), lines[1]);
    }
}
