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

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void GetHelpFullShowsThePage(string name)
    {
        var page = HelpDocs.Read(name);
        var r = _fx.Host.Run($"Get-Help {name} -Full");
        Assert.False(r.HadErrors, r.Describe());
        dynamic help = Assert.Single(r.Output);
        Assert.Equal(Flat(page.Synopsis), Flat((string)help.Synopsis));
        Assert.Equal(Flat(page.Description[0]), Flat((string)help.description[0].Text));

        var parameters = ((IEnumerable<object>)LanguagePrimitives.GetEnumerable(help.parameters.parameter)).Cast<dynamic>().ToList();
        Assert.Equal(page.Parameters.Select(p => p.Name), parameters.Select(p => (string)p.name));
        var syntaxItems = ((IEnumerable<object>)LanguagePrimitives.GetEnumerable(help.syntax.syntaxItem)).ToList();
        Assert.Equal(page.Syntax.Count, syntaxItems.Count);
        Assert.Equal(page.Examples.Count, ((IEnumerable<object>)LanguagePrimitives.GetEnumerable(help.examples.example)).Count());

        // What pwsh prints: the synopsis and the description, through PowerShell's own help views.
        string text = _fx.Host.RunText($"Get-Help {name} -Full");
        Assert.Contains(Flat(page.Synopsis), Flat(text));
        Assert.Contains("-NetworkNamespace <String>", text);
        Assert.Contains(Flat(page.Description[0])[..Math.Min(60, Flat(page.Description[0]).Length)], Flat(text));
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void GetHelpExamplesShowsEveryExample(string name)
    {
        var page = HelpDocs.Read(name);
        var r = _fx.Host.Run($"Get-Help {name} -Examples");
        Assert.False(r.HadErrors, r.Describe());
        dynamic help = Assert.Single(r.Output);
        var examples = ((IEnumerable<object>)LanguagePrimitives.GetEnumerable(help.examples.example)).Cast<dynamic>().ToList();
        Assert.Equal(page.Examples.Count, examples.Count);
        for (int i = 0; i < examples.Count; i++)
            Assert.Equal(Flat(page.Examples[i].Code), Flat((string)examples[i].code));

        string text = _fx.Host.RunText($"Get-Help {name} -Examples");
        Assert.Contains(Flat(page.Synopsis), Flat(text));
        foreach (var example in page.Examples)
            Assert.Contains(Flat(example.Code.Split('\n')[0]), Flat(text));
    }

    [Fact]
    public void GetHelpParameterDescribesOneParameter()
    {
        var r = _fx.Host.Run("Get-Help Get-NftTable -Parameter Name");
        Assert.False(r.HadErrors, r.Describe());
        dynamic parameter = Assert.Single(r.Output);
        Assert.Equal("Name", (string)parameter.name);
        Assert.Equal("true", (string)parameter.globbing);
        Assert.Equal("0", (string)parameter.position);
    }
}
