using System.Management.Automation;
using System.Text.RegularExpressions;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Help;

/// <summary>Get-Help in a runspace that imported the built module (out/NftPS) finds en-US/NftPS.dll-Help.xml and
/// shows what docs/cmdlets says — not the stub PowerShell generates from the syntax when there is no help.</summary>
public class GetHelpTests : IClassFixture<HelpFixture>
{
    private readonly HelpFixture _fx;

    public GetHelpTests(HelpFixture fx) => _fx = fx;

    private static string Flat(string? text) => Regex.Replace(text ?? "", @"\s+", " ").Trim();

    /// <summary>Rendered help wraps at the host's width, in the middle of words: compare without any white space.</summary>
    private static string Squash(string? text) => Regex.Replace(text ?? "", @"\s+", "");

    [Fact]
    public void TheBuildWritesMamlHelpNextToTheModule()
    {
        string maml = Path.Combine(PowerShellHost.ModuleDirectory, "en-US", "NftPS.dll-Help.xml");
        Assert.True(File.Exists(maml), $"{maml} is missing: `dotnet build` writes it from docs/cmdlets");
        var doc = System.Xml.Linq.XDocument.Load(maml);
        System.Xml.Linq.XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var names = doc.Descendants(command + "details").Select(d => d.Element(command + "name")!.Value).Order(StringComparer.Ordinal);
        Assert.Equal(HelpDocs.CmdletNames, names);
    }

    /// <summary>Runs script text and returns its output as strings (help objects are PSObjects all the way down).</summary>
    private List<string> Strings(string script)
    {
        var r = _fx.Host.Run(script);
        Assert.False(r.HadErrors, r.Describe());
        return r.Output.Select(o => o.BaseObject?.ToString() ?? "").ToList();
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void GetHelpFullShowsThePage(string name)
    {
        var page = HelpDocs.Read(name);
        string get = $"$h = Get-Help {name} -Full; ";
        Assert.Equal(Flat(page.Synopsis), Flat(Assert.Single(Strings(get + "$h.Synopsis"))));
        Assert.Equal(page.Description.Select(Flat), Strings(get + "$h.description | ForEach-Object { $_.Text }").Select(Flat));
        Assert.Equal(page.Parameters.Select(p => p.Name), Strings(get + "$h.parameters.parameter | ForEach-Object { [string]$_.name }"));
        Assert.Equal(page.Syntax.Count.ToString(), Assert.Single(Strings(get + "@($h.syntax.syntaxItem).Count")));
        Assert.Equal(page.Examples.Count.ToString(), Assert.Single(Strings(get + "@($h.examples.example).Count")));
        Assert.Equal(page.Outputs.Select(o => o.TypeName), Strings(get + "$h.returnValues.returnValue | ForEach-Object { [string]$_.type.name }"));

        // What pwsh prints, through PowerShell's own help views: the synopsis, the syntax and the description.
        string text = Squash(_fx.Host.RunText($"Get-Help {name} -Full"));
        Assert.Contains(Squash(page.Synopsis), text);
        // Every cmdlet that talks to the kernel has -NetworkNamespace; pure converters (ConvertFrom-NftJson) do not.
        if (page.Parameters.Any(p => p.Name == "NetworkNamespace")) Assert.Contains(Squash("[-NetworkNamespace <String>]"), text);
        Assert.Contains("[<CommonParameters>]", text);
        Assert.Contains(Squash(page.Description[0]), text);
        Assert.Contains(Squash(page.Examples[0].Code), text);
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void GetHelpExamplesShowsEveryExample(string name)
    {
        var page = HelpDocs.Read(name);
        var codes = Strings($"(Get-Help {name} -Examples).examples.example | ForEach-Object {{ [string]$_.code }}");
        Assert.Equal(page.Examples.Select(e => Flat(e.Code)), codes.Select(Flat));

        string text = Squash(_fx.Host.RunText($"Get-Help {name} -Examples"));
        Assert.Contains(Squash(page.Synopsis), text);
        foreach (var example in page.Examples)
        {
            Assert.Contains(Squash(example.Title), text);
            Assert.Contains(Squash(example.Code), text);
            foreach (string remark in example.Remarks) Assert.Contains(Squash(remark), text);
        }
    }

    [Fact]
    public void GetHelpParameterDescribesOneParameter()
    {
        var values = Strings("$p = Get-Help Get-NftTable -Parameter Name; [string]$p.name; [string]$p.globbing; [string]$p.position; [string]$p.required");
        Assert.Equal(new[] { "Name", "true", "0", "false" }, values);
    }

    [Fact]
    public void GetHelpAboutNftPSShowsTheTopic()
    {
        Assert.True(File.Exists(Path.Combine(PowerShellHost.ModuleDirectory, "en-US", "about_NftPS.help.txt")), "the build writes en-US/about_NftPS.help.txt from docs/about_NftPS.md");
        string text = _fx.Host.RunText("Get-Help about_NftPS");
        Assert.Contains("about_nftps", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SHORT DESCRIPTION", text);
        Assert.Contains("Invoke-NftTransaction", text);
    }
}
