using System.Management.Automation.Language;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Help;

/// <summary>The Pester specs and example scripts cannot run where pwsh is missing, but they must be valid
/// PowerShell: each file parses with PowerShell's own parser without errors.</summary>
public class ScriptParseTests
{
    [Theory]
    [MemberData(nameof(HelpDocs.ScriptFileData), MemberType = typeof(HelpDocs))]
    public void ScriptParsesWithoutErrors(string file)
    {
        Parser.ParseFile(Path.Combine(TestEnvironment.RepoRoot, file), out _, out var errors);
        Assert.True(errors.Length == 0,
            string.Join(Environment.NewLine, errors.Select(e => $"{file}({e.Extent.StartLineNumber},{e.Extent.StartColumnNumber}): {e.Message}")));
    }

    [Fact]
    public void ThereArePesterSpecsAndExamplesToParse()
    {
        Assert.Contains(HelpDocs.ScriptFiles, f => f.StartsWith(Path.Combine("tests", "pester"), StringComparison.Ordinal) && f.EndsWith(".Tests.ps1", StringComparison.Ordinal));
        Assert.Contains(HelpDocs.ScriptFiles, f => f.StartsWith("examples", StringComparison.Ordinal));
    }

    [Fact]
    public void ParserReportsErrors()
    {
        // The check above is only as good as the parser's error reporting: a broken script must fail it.
        Parser.ParseInput("Describe 'x' { It 'y' { $a = ( } ", out _, out var errors);
        Assert.NotEmpty(errors);
    }
}
