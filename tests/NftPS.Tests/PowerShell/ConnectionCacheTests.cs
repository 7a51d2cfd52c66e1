using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>The session keeps one connection per namespace; it must follow a namespace that is re-created under the same name.</summary>
public class ConnectionCacheTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ConnectionCacheTests(ScriptFixture fx) => _fx = fx;

    [KernelFact]
    public void NamespaceRecreatedUnderTheSameNameIsReadAfresh()
    {
        var host = _fx.Require();
        string name = "nftps-t-re-" + Guid.NewGuid().ToString("N")[..8];
        void Nft(params string[] args) =>
            ProcessRunner.Run("ip", new[] { "netns", "exec", name, "nft" }.Concat(args)).EnsureSuccess("nft " + string.Join(' ', args));
        try
        {
            ProcessRunner.Run("ip", new[] { "netns", "add", name }).EnsureSuccess("ip netns add");
            Nft("add", "table", "ip", "first");
            host.SetVariable("other", name);
            Assert.Equal(new[] { "first" }, host.Run("Get-NftTable -NetworkNamespace $other").Objects<NftTable>().Select(t => t.Name));

            ProcessRunner.Run("ip", new[] { "netns", "delete", name }).EnsureSuccess("ip netns delete");
            ProcessRunner.Run("ip", new[] { "netns", "add", name }).EnsureSuccess("ip netns add again");
            Nft("add", "table", "ip", "second");
            Assert.Equal(new[] { "second" }, host.Run("Get-NftTable -NetworkNamespace $other").Objects<NftTable>().Select(t => t.Name));
        }
        finally
        {
            ProcessRunner.Run("ip", new[] { "netns", "delete", name });
        }
    }
}
