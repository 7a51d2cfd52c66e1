using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Netlink;

public class ConnectionKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public ConnectionKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static void AddTable(NftBatch batch, string name) =>
        batch.AddTable(NftFamily.Ip, name);

    [KernelFact]
    public void BatchCreatesTableVisibleToNftAndDump()
    {
        _ns.Require();
        using var conn = NfTablesConnection.Open(_ns.Name);
        uint before = conn.GetGeneration();
        var batch = new NftBatch();
        AddTable(batch, "conn1");
        var result = conn.ExecuteBatch(batch, new BatchOptions());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Describe())));
        Assert.True(conn.GetGeneration() > before);
        Assert.Contains("table ip conn1", _ns.NftListRuleset());

        var names = new List<string>();
        conn.Dump(NfTablesMessageType.GetTable, NftFamily.Unspecified, null, (in NetlinkMessage m) =>
        {
            var r = m.GetAttributes();
            while (r.TryRead(out var a)) if (a.Type == 1) names.Add(a.GetString());
        }, "list tables");
        Assert.Contains("conn1", names);
    }

    [KernelFact]
    public void FailedBatchAppliesNothingAndNamesTheOperation()
    {
        _ns.Require();
        using var conn = NfTablesConnection.Open(_ns.Name);
        var batch = new NftBatch();
        AddTable(batch, "atomic1");
        batch.AddChain(NftFamily.Ip, "nope", "c");
        var result = conn.ExecuteBatch(batch, new BatchOptions());
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Index);
        Assert.Equal(Errors.ENOENT, error.Errno);
        Assert.Equal(20, error.Offset);
        Assert.Contains("add chain ip nope c", error.Describe());
        Assert.DoesNotContain("atomic1", _ns.NftListRuleset());
    }

    [KernelFact]
    public void StaleGenerationIsRefused()
    {
        _ns.Require();
        using var conn = NfTablesConnection.Open(_ns.Name);
        uint gen = conn.GetGeneration();
        _ns.Nft("add", "table", "ip", "concurrent1").EnsureSuccess("nft add table");
        var batch = new NftBatch();
        AddTable(batch, "stale1");
        var result = conn.ExecuteBatch(batch, new BatchOptions { GenerationId = gen });
        Assert.Contains(result.Errors, e => e.Errno == Errors.ERESTART);
        Assert.DoesNotContain("stale1", _ns.NftListRuleset());
    }

    [KernelFact]
    public void CheckOnlyBatchValidatesWithoutCommitting()
    {
        _ns.Require();
        using var conn = NfTablesConnection.Open(_ns.Name);
        var batch = new NftBatch();
        AddTable(batch, "checkonly1");
        var result = conn.ExecuteBatch(batch, new BatchOptions { CheckOnly = true });
        Assert.True(result.Succeeded);
        Assert.DoesNotContain("checkonly1", _ns.NftListRuleset());
    }

    [KernelFact]
    public void MissingNamespaceIsReportedByName()
    {
        var ex = Assert.Throws<NetworkNamespaceNotFoundException>(() => NfTablesConnection.Open("nftps-does-not-exist"));
        Assert.Contains("nftps-does-not-exist", ex.Message);
    }
}
