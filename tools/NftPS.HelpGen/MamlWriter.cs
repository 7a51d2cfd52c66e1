using System.Xml.Linq;

namespace NftPS.HelpGen;

/// <summary>Writes cmdlet help as MAML, the XML Get-Help reads for binary modules (&lt;Assembly&gt;.dll-Help.xml),
/// laid out as PlatyPS's New-ExternalHelp lays it out.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description(new[] { help.Synopsis })),
            Description(help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(s => SyntaxItem(help, s))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Blocks[0], inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select((e, i) => Example(e, i))),
            new XElement(Command + "relatedLinks", Links(help)));

    /// <summary>The parameters of one set in the order its syntax line shows them; a parameter the line leaves
    /// out but whose yaml puts it in the set still belongs to it.</summary>
    private static XElement SyntaxItem(CommandHelp help, SyntaxHelp syntax)
    {
        var inSet = help.Parameters
            .Select(p => (Parameter: p, Block: syntax.SetName is null ? p.Blocks[0] : p.For(syntax.SetName)))
            .Where(x => x.Block is not null)
            .ToList();
        var ordered = syntax.ParameterNames
            .Select(n => inSet.FirstOrDefault(x => string.Equals(x.Parameter.Name, n, StringComparison.OrdinalIgnoreCase)))
            .Where(x => x.Parameter is not null)
            .Concat(inSet)
            .DistinctBy(x => x.Parameter.Name);
        return new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            ordered.Select(x => Parameter(x.Parameter, x.Block!, inSyntax: true)));
    }

    private static XElement Parameter(ParameterHelp parameter, ParameterBlock block, bool inSyntax)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", block.Required ? "true" : "false"),
            new XAttribute("variableLength", block.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", block.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", block.PipelineInput),
            new XAttribute("position", block.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : block.Position),
            new XAttribute("aliases", block.Aliases.Count == 0 || block.Aliases is ["None"] ? "none" : string.Join(", ", block.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));
        if (block.AcceptedValues.Count > 0)
            element.Add(new XElement(Command + "parameterValueGroup", block.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"),
                    new XAttribute(Command + "variableLength", "false"), v))));
        if (!(inSyntax && block.IsSwitch))
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", block.IsSwitch ? "false" : "true"),
                new XAttribute("variableLength", "false"), block.Type));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", block.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", block.DefaultValue));
        return element;
    }

    private static XElement TypeElement(string kind, TypeHelp type) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example, int index)
    {
        string title = example.Title.StartsWith("Example", StringComparison.OrdinalIgnoreCase) ? example.Title : $"Example {index + 1}: {example.Title}";
        return new XElement(Command + "example",
            new XElement(Maml + "title", $"-------------------------- {title} --------------------------"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paras(example.Remarks)));
    }

    private static IEnumerable<XElement> Links(CommandHelp help)
    {
        if (help.OnlineVersion is { } online)
            yield return Link("Online Version:", online);
        foreach (var link in help.RelatedLinks)
            yield return Link(link.Text, link.Uri.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "" : link.Uri);
    }

    private static XElement Link(string text, string uri) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
