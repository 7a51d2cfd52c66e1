using System.Reflection;
using NetArchTest.Rules;

namespace NftPS.Tests.Architecture;

/// <summary>The layers of NftPS.dll point one way: Interop ← Netlink ← NfTables ← Language ← DesiredState ← Automation ← Cmdlets, each using
/// only the layers to its left, and the core (all but Cmdlets) has no PowerShell in it, so the native command, the
/// DSC resource and the Ansible module can call the same code. Each rule is one row of <see cref="Rules"/>: the
/// namespace it constrains, the namespace it must not use, and why.</summary>
public sealed class LayerTests
{
    /// <summary>Left to right: a layer may use the ones before it, never the ones after it.</summary>
    private static readonly string[] LayerOrder =
        ["NftPS.Interop", "NftPS.Netlink", "NftPS.NfTables", "NftPS.Language", "NftPS.DesiredState", "NftPS.Automation", "NftPS.Cmdlets"];

    private const string PowerShell = "System.Management.Automation";

    private static readonly string[] LanguageStages =
    [
        "NftPS.Language.Syntax", "NftPS.Language.Evaluate", "NftPS.Language.Linearize", "NftPS.Language.Script",
        "NftPS.Language.Delinearize", "NftPS.Language.Printing", "NftPS.Language.Json",
    ];

    /// <summary>Every rule the test checks. The layer order gives most of them; the rest are written out.</summary>
    public static IEnumerable<object[]> Rules()
    {
        for (int low = 0; low < LayerOrder.Length; low++)
            for (int high = low + 1; high < LayerOrder.Length; high++)
                yield return Rule(LayerOrder[low], LayerOrder[high], "layers point one way");
        foreach (string core in LayerOrder[..^1])
            yield return Rule(core, PowerShell, "the core has no PowerShell in it");

        // Inside Language the data flows parse → evaluate → linearize: the evaluator resolves the parser's tree
        // into the typed tree, and the linearizer turns the typed tree into kernel expressions.
        yield return Rule("NftPS.Language.Syntax", "NftPS.Language.Evaluate", "the parser leaves symbols unresolved");
        yield return Rule("NftPS.Language.Syntax", "NftPS.Language.Linearize", "parse → evaluate → linearize");
        yield return Rule("NftPS.Language.Evaluate", "NftPS.Language.Linearize", "parse → evaluate → linearize");
        // A whole script (Script) is parsed, evaluated and linearized command by command: the stages know no script.
        yield return Rule("NftPS.Language.Syntax", "NftPS.Language.Script", "the script drives the stages");
        yield return Rule("NftPS.Language.Evaluate", "NftPS.Language.Script", "the script drives the stages");
        yield return Rule("NftPS.Language.Linearize", "NftPS.Language.Script", "the script drives the stages");
        // Data types and protocol header fields are data that every stage reads; they call none of the stages.
        foreach (string data in (string[])["NftPS.Language.DataTypes", "NftPS.Language.Protocols"])
            foreach (string stage in LanguageStages)
                yield return Rule(data, stage, "types and protocols are data the stages read");
        yield return Rule("NftPS.Language.DataTypes", "NftPS.Language.Protocols", "protocol fields are typed, not the reverse");
        // Kernel → text flows decode → delinearize → print: the typed tree (Model) is data; the delinearizer builds it
        // and the text and JSON printers read it, so neither of those is called back by what they read.
        foreach (string printer in (string[])["NftPS.Language.Printing", "NftPS.Language.Json", "NftPS.Language.Query"])
        {
            yield return Rule("NftPS.Language.Delinearize", printer, "delinearize builds the typed tree, printers read it");
            yield return Rule("NftPS.Language.Model", printer, "the typed tree is data the printers read");
        }
        yield return Rule("NftPS.Language.Model", "NftPS.Language.Delinearize", "the typed tree is data the delinearizer builds");
        yield return Rule("NftPS.Language.Printing", "NftPS.Language.Json", "JSON may print nft text, not the reverse");
    }

    private static object[] Rule(string from, string mustNotUse, string why) => [from, mustNotUse, why];

    [Theory]
    [MemberData(nameof(Rules))]
    public void NamespaceDoesNotUse(string from, string mustNotUse, string why)
    {
        IReadOnlyList<string> offenders = Offenders(typeof(NftPS.Netlink.NetlinkSocket).Assembly, from, mustNotUse);
        Assert.True(offenders.Count == 0,
            $"{from} must not use {mustNotUse} ({why}); these types do:\n  " + string.Join("\n  ", offenders));
    }

    /// <summary>A Language type outside every stage namespace is seen by none of the rules above (the rule and set
    /// element printers once sat in the Printing folder but the root namespace). Only the describer lives there: it
    /// wires the stages onto the reader and is constrained as the whole of Language is.</summary>
    [Fact]
    public void LanguageTypesLiveInAStageNamespace()
    {
        string[] loose = typeof(NftPS.Netlink.NetlinkSocket).Assembly.GetTypes()
            .Where(t => t.Namespace == "NftPS.Language" && t.DeclaringType is null && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["NftPS.Language.RulesetDescriber"], loose);
    }

    /// <summary>The types in <paramref name="from"/> (sub-namespaces and nested, compiler-made types included) that
    /// reference anything in <paramref name="mustNotUse"/>: in a signature, a field, an attribute or a method body.</summary>
    internal static IReadOnlyList<string> Offenders(Assembly assembly, string from, string mustNotUse)
    {
        TestResult result = Types.InAssembly(assembly)
            .That().ResideInNamespace(from)
            .ShouldNot().HaveDependencyOn(mustNotUse)
            .GetResult();
        return result.IsSuccessful ? [] : result.FailingTypeNames.Order(StringComparer.Ordinal).ToList();
    }
}
