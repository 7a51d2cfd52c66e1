using NftPS.HelpGen;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Help;

/// <summary>docs/cmdlets as the help build reads it, and the repository's PowerShell script files.</summary>
internal static class HelpDocs
{
    public static string CmdletDocsDirectory => Path.Combine(TestEnvironment.RepoRoot, "docs", "cmdlets");

    public static IEnumerable<string> CmdletNames =>
        Directory.Exists(CmdletDocsDirectory)
            ? Directory.GetFiles(CmdletDocsDirectory, "*.md").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal)!
            : Enumerable.Empty<string>();

    public static TheoryData<string> CmdletNameData()
    {
        var data = new TheoryData<string>();
        foreach (string name in CmdletNames) data.Add(name);
        return data;
    }

    /// <summary>Reads one cmdlet's page; a page the help build would refuse fails the test with its diagnostics.</summary>
    public static CommandHelp Read(string cmdlet)
    {
        var diagnostics = new List<HelpDiagnostic>();
        var help = MarkdownHelpReader.Read(Path.Combine(CmdletDocsDirectory, cmdlet + ".md"), diagnostics);
        Assert.True(diagnostics.Count == 0, string.Join(Environment.NewLine, diagnostics));
        return help;
    }

    /// <summary>Every .ps1 under tests/pester/ and examples/, plus build.ps1 and tools/*.ps1, relative to the repository root.</summary>
    public static IEnumerable<string> ScriptFiles =>
        new[] { Path.Combine("tests", "pester"), "examples" }
            .Select(d => Path.Combine(TestEnvironment.RepoRoot, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.ps1", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(TestEnvironment.RepoRoot, "*.ps1"))
            .Concat(Directory.GetFiles(Path.Combine(TestEnvironment.RepoRoot, "tools"), "*.ps1"))
            .Select(f => Path.GetRelativePath(TestEnvironment.RepoRoot, f))
            .OrderBy(f => f, StringComparer.Ordinal);

    public static TheoryData<string> ScriptFileData()
    {
        var data = new TheoryData<string>();
        foreach (string file in ScriptFiles) data.Add(file);
        return data;
    }
}

/// <summary>One runspace with the built module imported (no namespace: these tests only read metadata and help).</summary>
public sealed class HelpFixture : IDisposable
{
    private readonly Lazy<PowerShellHost> _host = new(() => new PowerShellHost());

    public PowerShellHost Host => _host.Value;

    public void Dispose()
    {
        if (_host.IsValueCreated) _host.Value.Dispose();
    }
}
