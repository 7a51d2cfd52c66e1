using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using NftPS.Cmdlets;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>PowerShell's member enumeration (`$list.Name`) asks the collection first: a property of ours that shares a
/// name with a member of System.Array (or PowerShell's intrinsic Count, Length, ForEach, Where) silently returns the
/// array's member instead, as `$elements.Set` returned System.Array.Set(int, object). No output type may have one.</summary>
public class MemberCollisionTests
{
    private static readonly string[] Intrinsic = { "Count", "Length", "ForEach", "Where", "PSObject", "PSTypeNames" };

    private static IEnumerable<Type> OutputTypes() =>
        typeof(NftCmdletBase).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null)
            .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>())
            .SelectMany(a => a.Type.Select(p => p.Type))
            .Where(t => t is not null && t.Assembly == typeof(NftCmdletBase).Assembly)
            .Distinct()!;

    private static HashSet<string> Reserved() =>
        typeof(Array).GetMembers(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name)
            .Concat(typeof(object).GetMembers(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name))
            .Concat(Intrinsic).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void No_output_property_shares_a_name_with_an_array_member()
    {
        var reserved = Reserved();
        var types = OutputTypes().ToList();
        Assert.Contains(types, t => t.Name == "NftSetElement");
        var clashes = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => reserved.Contains(p.Name)).Select(p => $"{t.Name}.{p.Name}"))
            .ToList();
        Assert.True(clashes.Count == 0, "properties that collide with System.Array members: " + string.Join(", ", clashes));
    }

    [Fact]
    public void No_type_data_alias_shares_a_name_with_an_array_member()
    {
        var reserved = Reserved();
        var doc = XDocument.Load(Path.Combine(PowerShellHost.ModuleDirectory, "NftPS.types.ps1xml"));
        var names = doc.Descendants("Members").Elements().Select(m => (string?)m.Element("Name")).OfType<string>().ToList();
        Assert.NotEmpty(names);
        Assert.DoesNotContain(names, n => reserved.Contains(n));
    }

    [Fact]
    public void Member_enumeration_of_elements_gives_their_set()
    {
        using var host = new PowerShellHost();
        var r = host.Run("""
            $e = [NftPS.NfTables.Model.NftSetElement]@{ Table = 't'; SetName = 'blocked' }
            $f = [NftPS.NfTables.Model.NftSetElement]@{ Table = 't'; SetName = 'blocked' }
            @($e, $f).SetName
            """);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(new[] { "blocked", "blocked" }, r.Output.Select(o => o.ToString()));
    }
}
