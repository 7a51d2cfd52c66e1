using System.Management.Automation;
using System.Management.Automation.Language;
using NftPS.HelpGen;

namespace NftPS.Tests.Help;

/// <summary>docs/cmdlets against the cmdlets as PowerShell sees them in the built module: a page for every exported
/// cmdlet and none for anything else; every parameter documented and none stale; parameter sets, their syntax
/// lines and each parameter's Required/Position/pipeline/wildcard/type/alias/accepted values as the metadata says;
/// examples that parse and only use parameters the cmdlets have.</summary>
public class CmdletHelpMetadataTests : IClassFixture<HelpFixture>
{
    private readonly HelpFixture _fx;

    public CmdletHelpMetadataTests(HelpFixture fx) => _fx = fx;

    private Dictionary<string, CmdletInfo> Exported()
    {
        var r = _fx.Host.Run("Get-Command -Module NftPS -CommandType Cmdlet");
        Assert.False(r.HadErrors, r.Describe());
        return r.Objects<CmdletInfo>().ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    private CmdletInfo Cmdlet(string name)
    {
        Assert.True(Exported().TryGetValue(name, out var cmdlet), $"docs/cmdlets/{name}.md documents a cmdlet the module does not export");
        return cmdlet!;
    }

    /// <summary>The parameters help documents: all but the common ones (-WhatIf and -Confirm are documented).</summary>
    private static IEnumerable<string> DocumentedParameters(IEnumerable<string> names) =>
        names.Where(n => !System.Management.Automation.Cmdlet.CommonParameters.Contains(n));

    [Fact]
    public void EveryExportedCmdletHasAPageAndEveryPageAnExportedCmdlet()
    {
        var exported = Exported().Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(exported);
        var pages = HelpDocs.CmdletNames.ToList();
        Assert.True(exported.Except(pages).ToList() is { Count: 0 }, "no docs/cmdlets page for: " + string.Join(", ", exported.Except(pages)));
        Assert.True(pages.Except(exported).ToList() is { Count: 0 }, "pages for cmdlets the module does not export: " + string.Join(", ", pages.Except(exported)));
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void ParameterSetsAndSyntaxMatch(string name)
    {
        var help = HelpDocs.Read(name);
        var cmdlet = Cmdlet(name);
        var sets = cmdlet.ParameterSets;

        if (help.Syntax is [{ SetName: null }])
            Assert.True(sets.Count == 1, $"{name}: one unnamed syntax block, but the cmdlet has parameter sets {string.Join(", ", sets.Select(s => s.Name))}");
        else
            Assert.Equal(sets.Select(s => s.Name).Order(StringComparer.Ordinal), help.Syntax.Select(s => s.SetName!).Order(StringComparer.Ordinal));

        foreach (var syntax in help.Syntax)
        {
            var set = syntax.SetName is null ? sets[0] : sets.Single(s => s.Name == syntax.SetName);
            Assert.True(set.IsDefault == syntax.IsDefault || sets.Count == 1,
                $"{name}: parameter set {set.Name} is {(set.IsDefault ? "" : "not ")}the default, the page says otherwise");
            Assert.True(syntax.Text.StartsWith(name + " ", StringComparison.Ordinal) || syntax.Text == name, $"{name}: the {set.Name} syntax does not start with the cmdlet name");
            Assert.Contains("[<CommonParameters>]", syntax.Text);
            var expected = DocumentedParameters(set.Parameters.Select(p => p.Name)).Order(StringComparer.Ordinal).ToList();
            var shown = syntax.ParameterNames.Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(shown),
                $"{name} {set.Name}: syntax shows [{string.Join(", ", shown)}], the parameter set has [{string.Join(", ", expected)}]");
            foreach (var p in set.Parameters.Where(p => expected.Contains(p.Name)))
            {
                string positional = p.Position >= 0 ? $"[-{p.Name}]" : $"-{p.Name}";
                Assert.True(syntax.Text.Contains(positional, StringComparison.Ordinal), $"{name} {set.Name}: the syntax should show {positional}");
                bool optional = syntax.Text.Contains("[" + (p.Position >= 0 ? positional : "-" + p.Name), StringComparison.Ordinal);
                Assert.True(optional != p.IsMandatory, $"{name} {set.Name}: -{p.Name} is {(p.IsMandatory ? "mandatory" : "optional")}, the syntax shows it otherwise");
            }
        }
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void EveryParameterIsDocumentedAsTheMetadataSays(string name)
    {
        var help = HelpDocs.Read(name);
        var cmdlet = Cmdlet(name);
        var real = DocumentedParameters(cmdlet.Parameters.Keys).Order(StringComparer.Ordinal).ToList();
        var documented = help.Parameters.Select(p => p.Name).ToList();
        Assert.True(real.Except(documented).ToList() is { Count: 0 }, $"{name}: undocumented parameters: {string.Join(", ", real.Except(documented))}");
        Assert.True(documented.Except(real).ToList() is { Count: 0 }, $"{name}: documented parameters the cmdlet does not have: {string.Join(", ", documented.Except(real))}");
        Assert.True(documented.Distinct().Count() == documented.Count, $"{name}: a parameter is documented twice");

        var allSets = cmdlet.ParameterSets.Select(s => s.Name).ToList();
        foreach (var doc in help.Parameters)
        {
            var meta = cmdlet.Parameters[doc.Name];
            string where = $"{name} -{doc.Name}";

            // Parameter sets: the union of the yaml blocks' sets is exactly the sets the parameter is in.
            var realSets = meta.ParameterSets.ContainsKey(ParameterAttribute.AllParameterSets)
                ? allSets
                : meta.ParameterSets.Keys.ToList();
            var docSets = doc.Blocks.SelectMany(b => b.InAllSets ? allSets : b.Sets).Distinct().ToList();
            Assert.True(realSets.Order(StringComparer.Ordinal).SequenceEqual(docSets.Order(StringComparer.Ordinal)),
                $"{where}: documented in sets [{string.Join(", ", docSets)}], the cmdlet has it in [{string.Join(", ", realSets)}]");
            foreach (var block in doc.Blocks.Where(b => !b.InAllSets))
                foreach (string set in block.Sets)
                    Assert.True(allSets.Contains(set), $"{where}: parameter set '{set}' does not exist");

            foreach (string set in realSets)
            {
                var attr = meta.ParameterSets.TryGetValue(set, out var inSet) ? inSet : meta.ParameterSets[ParameterAttribute.AllParameterSets];
                var block = doc.For(set)!;
                Assert.True(block.Required == attr.IsMandatory, $"{where} in {set}: Required is {attr.IsMandatory}, the page says {block.Required}");
                string position = attr.Position >= 0 ? attr.Position.ToString() : "Named";
                Assert.True(string.Equals(block.Position, position, StringComparison.OrdinalIgnoreCase), $"{where} in {set}: Position is {position}, the page says {block.Position}");
                Assert.True(block.ByValue == attr.ValueFromPipeline, $"{where} in {set}: ValueFromPipeline is {attr.ValueFromPipeline}, the page says '{block.PipelineInput}'");
                Assert.True(block.ByPropertyName == attr.ValueFromPipelineByPropertyName,
                    $"{where} in {set}: ValueFromPipelineByPropertyName is {attr.ValueFromPipelineByPropertyName}, the page says '{block.PipelineInput}'");
                if (!attr.ValueFromPipeline && !attr.ValueFromPipelineByPropertyName)
                    Assert.True(block.PipelineInput == "False", $"{where} in {set}: takes no pipeline input, the page says '{block.PipelineInput}'");
            }

            foreach (var block in doc.Blocks)
            {
                Assert.True(block.Type == TypeName(meta.ParameterType), $"{where}: the type is {TypeName(meta.ParameterType)}, the page says {block.Type}");
                Assert.True(block.Aliases.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(meta.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase),
                    $"{where}: aliases are [{string.Join(", ", meta.Aliases)}], the page says [{string.Join(", ", block.Aliases)}]");
                bool wildcards = meta.Attributes.OfType<SupportsWildcardsAttribute>().Any();
                Assert.True(block.Globbing == wildcards, $"{where}: Accept wildcard characters is {wildcards}, the page says {block.Globbing}");
                var validSet = (IEnumerable<string>?)meta.Attributes.OfType<ValidateSetAttribute>().SingleOrDefault()?.ValidValues
                               ?? meta.Attributes.OfType<NftPS.Cmdlets.ValidateSetOrNullAttribute>().SingleOrDefault()?.ValidValues;
                if (validSet is not null)
                    Assert.True(block.AcceptedValues.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(validSet.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase),
                        $"{where}: accepted values are [{string.Join(", ", validSet)}], the page says [{string.Join(", ", block.AcceptedValues)}]");
                else if (block.AcceptedValues.Count > 0)
                {
                    var type = ElementType(meta.ParameterType);
                    Assert.True(type.IsEnum, $"{where}: the page lists accepted values, the parameter has no ValidateSet and is not an enum");
                    Assert.True(block.AcceptedValues.All(v => Enum.GetNames(type).Contains(v, StringComparer.OrdinalIgnoreCase)),
                        $"{where}: accepted values [{string.Join(", ", block.AcceptedValues)}] are not all names of {type.Name}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void PageHasTheContentUsersReadFirst(string name)
    {
        var help = HelpDocs.Read(name);
        var cmdlet = Cmdlet(name);
        Assert.Equal("NftPS.dll-Help.xml", help.FrontMatter.GetValueOrDefault("external help file"));
        Assert.Equal("NftPS", help.FrontMatter.GetValueOrDefault("Module Name"));
        Assert.Equal("2.0.0", help.FrontMatter.GetValueOrDefault("schema"));
        Assert.False(string.IsNullOrWhiteSpace(help.Synopsis), $"{name}: no synopsis");
        Assert.NotEmpty(help.Description);
        Assert.True(help.Examples.Count >= 2, $"{name}: {help.Examples.Count} example(s); every page has at least two");
        Assert.All(help.Examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Code), $"{name} {e.Title}: no code"));
        Assert.All(help.Examples, e => Assert.True(e.Remarks.Count > 0 || help.Examples.Count > 2, $"{name} {e.Title}: no explanation"));
        Assert.NotEmpty(help.Inputs);
        // [OutputType(typeof(void))] is written "None", as PlatyPS does.
        var declared = cmdlet.OutputType.Select(o => o.Name == "System.Void" ? "None" : o.Name).ToList();
        foreach (string output in declared)
            Assert.True(help.Outputs.Any(o => o.TypeName == output), $"{name}: OUTPUTS does not list {output}");
        foreach (var output in help.Outputs)
            Assert.True(declared.Contains(output.TypeName), $"{name}: OUTPUTS lists {output.TypeName}, which the cmdlet does not declare");
    }

    /// <summary>Examples are PowerShell that parses, and every NftPS cmdlet they call is given only parameters it
    /// has (full names, unique prefixes or aliases) — so renaming a parameter breaks this test, not the reader.</summary>
    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void ExamplesParseAndUseRealParameters(string name)
    {
        var help = HelpDocs.Read(name);
        var exported = Exported();
        foreach (var example in help.Examples)
        {
            var ast = Parser.ParseInput(example.Code, out _, out var errors);
            Assert.True(errors.Length == 0, $"{name} {example.Title}: {string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"))}");
            foreach (var command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
            {
                if (command.GetCommandName() is not { } called || !exported.TryGetValue(called, out var target)) continue;
                foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
                    Assert.True(Resolves(target, parameter.ParameterName),
                        $"{name} {example.Title}: {called} has no parameter -{parameter.ParameterName}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(HelpDocs.CmdletNameData), MemberType = typeof(HelpDocs))]
    public void RelatedLinksPointAtPagesThatExist(string name)
    {
        var help = HelpDocs.Read(name);
        foreach (var link in help.RelatedLinks.Where(l => l.Uri.EndsWith(".md", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(HelpDocs.CmdletDocsDirectory, link.Uri)), $"{name}: related link {link.Uri} does not exist");
    }

    private static bool Resolves(CmdletInfo cmdlet, string name)
    {
        var candidates = cmdlet.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
        if (candidates.Contains(name, StringComparer.OrdinalIgnoreCase)) return true;
        return cmdlet.Parameters.Keys.Count(k => k.StartsWith(name, StringComparison.OrdinalIgnoreCase)) == 1;
    }

    private static Type ElementType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? type.GetElementType()! : type;
    }

    /// <summary>The type name PlatyPS writes: no namespace, Nullable unwrapped, arrays kept ("UInt64[]").</summary>
    public static string TypeName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;
    }
}
