using System.Management.Automation;
using System.Reflection;
using NftPS.Cmdlets;

namespace NftPS.Tests.Architecture;

/// <summary>-Family, -Table, -Name and -Handle of the Get-* cmdlets are declared once (NftGetCommandBase and the two
/// bases below it), so their binding, completion and validation cannot drift apart from one cmdlet to the next.</summary>
public sealed class GetCmdletParameterTests
{
    private static readonly string[] SharedParameters = ["Family", "Table", "Name", "Handle"];

    /// <summary>Parameters of the same name that are a different thing and so are declared apart.</summary>
    private static readonly HashSet<(string Cmdlet, string Parameter)> DeclaredApart =
    [
        ("Get-NftRuleset", "Family"),   // positional there: `Get-NftRuleset inet`
        ("Get-NftTable", "Name"),       // the table's own name, position 0
        ("Get-NftTable", "Handle"),     // tables have no -Table to sit beside
        ("Get-NftRule", "Handle"),      // rules have no -Name
    ];

    public static IEnumerable<object[]> GetCmdlets() =>
        typeof(NftCmdletBase).Assembly.GetExportedTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(c => c.Attribute is { VerbName: VerbsCommon.Get })
            .Select(c => new object[] { $"{c.Attribute!.VerbName}-{c.Attribute.NounName}", c.Type.FullName! })
            .OrderBy(c => (string)c[0], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(GetCmdlets))]
    public void SharedParametersComeFromTheGetBases(string cmdlet, string typeName)
    {
        Type type = typeof(NftCmdletBase).Assembly.GetType(typeName, throwOnError: true)!;
        foreach (string parameter in SharedParameters)
        {
            if (type.GetProperty(parameter) is not { } property || DeclaredApart.Contains((cmdlet, parameter))) continue;
            Assert.True(property.DeclaringType!.IsAbstract && typeof(NftGetCommandBase).IsAssignableFrom(property.DeclaringType),
                $"{cmdlet} declares -{parameter} itself ({property.DeclaringType}); take it from NftGetCommandBase or the bases below it");
        }
    }

    [Fact]
    public void EveryGetCmdletIsChecked() =>
        Assert.Contains(GetCmdlets(), c => (string)c[0] == "Get-NftChain");
}
