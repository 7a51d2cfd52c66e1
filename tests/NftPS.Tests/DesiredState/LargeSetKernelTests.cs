using System.Diagnostics;
using System.Text;
using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Operations;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;
using static NftPS.Tests.DesiredState.DesiredStateKernel;

namespace NftPS.Tests.DesiredState;

/// <summary>Only the difference of a big set is sent: one element less is one element operation; ten changes are
/// at most twenty. Also reports (never asserts) how long the identical comparison takes.</summary>
public class LargeSetKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public LargeSetKernelTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    private static string Address(int i) => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";

    private static string Policy(IEnumerable<int> elements, int rules = 50)
    {
        var sb = new StringBuilder("table inet big {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { ");
        sb.AppendJoin(", ", elements.Select(Address));
        sb.Append(" }\n\t}\n\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n\t\tip saddr @s counter drop\n");
        for (int r = 0; r < rules; r++) sb.Append($"\t\ttcp dport {1000 + r} ip saddr 192.168.{r / 250}.{r % 250 + 1} counter accept\n");
        sb.Append("\t}\n}\n");
        return sb.ToString();
    }

    [KernelFact]
    public void One_element_less_of_100000_is_one_element_operation_and_ten_changes_at_most_twenty()
    {
        _ns.Require();
        _ns.Flush();
        var all = Enumerable.Range(1, 100_000).ToArray();
        string full = Policy(all);
        _ns.NftLoad(full).EnsureSuccess("nft -f");
        using INftBackend backend = NfTablesConnection.Open(_ns.Name);

        var timer = Stopwatch.StartNew();
        var identical = Compare(backend, DesiredRuleset.FromText(full));
        _out.WriteLine($"identical 100,000 elements + 51 rules: read, compile and compare {timer.ElapsedMilliseconds} ms");
        Assert.True(identical.InDesiredState);

        var less = Compare(backend, DesiredRuleset.FromText(Policy(all.Where(i => i != 4242))));
        var op = Assert.IsType<ElementOperation>(Assert.Single(less.Operations));
        Assert.Equal(NftVerb.Delete, op.Verb);
        Assert.Single(op.Elements);
        Assert.Equal(NftDifferenceChange.Remove, Assert.Single(less.Differences).Change);

        var changed = all.Where(i => i % 20_000 != 7).Concat(Enumerable.Range(200_001, 5)).ToArray();
        var ten = Compare(backend, DesiredRuleset.FromText(Policy(changed)));
        Assert.True(ten.Operations.Count <= 20, string.Join("\n", ten.Operations));
        Assert.Equal(10, ten.Operations.OfType<ElementOperation>().Sum(e => e.Elements.Count));
        Apply(backend, ten);
        Assert.True(Compare(backend, DesiredRuleset.FromText(Policy(changed))).InDesiredState);
    }
}
