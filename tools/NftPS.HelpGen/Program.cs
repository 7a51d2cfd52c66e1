using System.Text;
using System.Xml;
using NftPS.HelpGen;

// NftPS.HelpGen <docs folder> <help output folder>
// Reads <docs>/cmdlets/*.md into <out>/NftPS.dll-Help.xml and <docs>/about_*.md into <out>/about_*.help.txt.
// Mistakes in the markdown are reported as file(line): error lines and fail the build.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: NftPS.HelpGen <docs folder> <help output folder>");
    return 2;
}
string docs = Path.GetFullPath(args[0]), output = Path.GetFullPath(args[1]);
string cmdletDocs = Path.Combine(docs, "cmdlets");
var diagnostics = new List<HelpDiagnostic>();
var commands = Directory.Exists(cmdletDocs)
    ? Directory.GetFiles(cmdletDocs, "*.md").OrderBy(f => f, StringComparer.Ordinal).Select(f => MarkdownHelpReader.Read(f, diagnostics)).ToList()
    : new List<CommandHelp>();
foreach (var d in diagnostics) Console.Error.WriteLine(d);
if (diagnostics.Count > 0) return 1;

Directory.CreateDirectory(output);
var xml = new StringBuilder();
using (var writer = XmlWriter.Create(new StringWriter(xml), new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
    MamlWriter.Write(commands).Save(writer);
WriteIfChanged(Path.Combine(output, "NftPS.dll-Help.xml"), xml.ToString().Replace("utf-16", "utf-8"));
foreach (string about in Directory.Exists(docs) ? Directory.GetFiles(docs, "about_*.md") : Array.Empty<string>())
{
    string topic = Path.GetFileNameWithoutExtension(about);
    WriteIfChanged(Path.Combine(output, topic + ".help.txt"), AboutTopicWriter.Write(File.ReadAllText(about), topic));
}
Console.WriteLine($"NftPS help -> {output} ({commands.Count} cmdlets)");
return 0;

// Leaves an unchanged file alone so incremental builds stay incremental.
static void WriteIfChanged(string path, string text)
{
    if (File.Exists(path) && File.ReadAllText(path) == text) return;
    File.WriteAllText(path, text, new UTF8Encoding(false));
}
