namespace NftPS.HelpGen;

/// <summary>One cmdlet's help as a PlatyPS markdown file states it (schema 2.0.0).</summary>
public sealed class CommandHelp
{
    public string SourcePath { get; init; } = "";
    public Dictionary<string, string> FrontMatter { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string Name { get; set; } = "";
    public string Synopsis { get; set; } = "";
    public List<SyntaxHelp> Syntax { get; } = new();
    public List<string> Description { get; } = new();
    public List<ExampleHelp> Examples { get; } = new();
    public List<ParameterHelp> Parameters { get; } = new();
    public List<TypeHelp> Inputs { get; } = new();
    public List<TypeHelp> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<LinkHelp> RelatedLinks { get; } = new();

    public string Verb => Name.Split('-', 2)[0];
    public string Noun => Name.Contains('-') ? Name.Split('-', 2)[1] : "";
    public string? OnlineVersion => FrontMatter.TryGetValue("online version", out var v) && v.Length > 0 ? v : null;
}

/// <summary>One parameter set's syntax block: "### Name (Default)" and the syntax line(s) under it.
/// <see cref="SetName"/> is null when the file has a single block with no heading.</summary>
public sealed record SyntaxHelp(string? SetName, bool IsDefault, string Text, IReadOnlyList<string> ParameterNames);

/// <summary>"### Example N: title", its code blocks and the text around them.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>"### -Name", its description and one or more yaml blocks (PlatyPS writes one per distinct set of
/// attributes when they differ between parameter sets).</summary>
public sealed class ParameterHelp
{
    public string Name { get; init; } = "";
    public List<string> Description { get; } = new();
    public List<ParameterBlock> Blocks { get; } = new();

    /// <summary>The block that applies in <paramref name="setName"/>, or null when the parameter is not in it.</summary>
    public ParameterBlock? For(string setName) =>
        Blocks.FirstOrDefault(b => b.Sets.Contains(setName, StringComparer.OrdinalIgnoreCase)) ??
        Blocks.FirstOrDefault(b => b.InAllSets);
}

public sealed record ParameterBlock(
    string Type,
    IReadOnlyList<string> Sets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    public bool InAllSets => Sets.Count == 1 && Sets[0] == "(All)";
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
    public bool ByValue => PipelineInput.Contains("ByValue", StringComparison.OrdinalIgnoreCase);
    public bool ByPropertyName => PipelineInput.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase);
}

public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

public sealed record LinkHelp(string Text, string Uri);

/// <summary>A mistake in a markdown file, with its line (1-based; 0 when it concerns the whole file).</summary>
public sealed record HelpDiagnostic(string Path, int Line, string Message)
{
    /// <summary>The canonical form MSBuild shows as an error in the file.</summary>
    public override string ToString() => $"{Path}({Math.Max(Line, 1)}): error NFTHELP: {Message}";
}
