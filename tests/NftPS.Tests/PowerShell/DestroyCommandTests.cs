using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>nft 1.1's `destroy` commands in a file (NFT_MSG_DESTROY*, kernel 6.3+): they delete what exists and, unlike
/// `delete`, are no error where the object is missing. nft 1.0.6 cannot parse them, so the kernel is the oracle here:
/// the listing after the import is compared with what nft 1.0.6 lists after the equivalent `delete` commands.</summary>
public class DestroyCommandTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public DestroyCommandTests(ScriptFixture fx) => _fx = fx;

    private const string Setup = "table ip t {\n\tcounter k { }\n\tquota q { 10 mbytes }\n\tset s { type ipv4_addr; elements = { 192.0.2.1, 192.0.2.2 } }\n"
        + "\tchain c {\n\t\tcounter\n\t}\n\tchain d {\n\t}\n}\ntable ip gone {\n}\n";

    private const string Destroys = "destroy element ip t s { 192.0.2.1 }\ndestroy counter ip t k\ndestroy quota ip t q\n"
        + "destroy chain ip t d\ndestroy table ip gone\n";

    private const string Deletes = "delete element ip t s { 192.0.2.1 }\ndelete counter ip t k\ndelete quota ip t q\n"
        + "delete chain ip t d\ndelete table ip gone\n";

    private PowerShellResult Import(PowerShellHost host, string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nftps-destroy-{Guid.NewGuid():N}.nft");
        try
        {
            File.WriteAllText(path, text);
            host.SetVariable("path", path);
            return host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $path");
        }
        finally { File.Delete(path); }
    }

    [KernelFact]
    public void Destroy_deletes_what_exists_as_delete_does()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Setup).EnsureSuccess("nft -f setup");
        _fx.Namespace.NftLoad(Deletes).EnsureSuccess("nft -f deletes");
        string want = _fx.Namespace.NftListRuleset();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Setup).EnsureSuccess("nft -f setup");
        var r = Import(host, Destroys);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(want, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void Destroy_of_what_is_missing_is_no_error_where_delete_is()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip t {\n\tset s { type ipv4_addr; }\n\tchain c {\n\t}\n}\n").EnsureSuccess("nft -f");
        string before = _fx.Namespace.NftListRuleset();
        var r = Import(host, "destroy element ip t s { 192.0.2.9 }\ndestroy counter ip t none\ndestroy chain ip t none\ndestroy set ip t none\n"
            + "destroy table ip none\n");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
        Assert.True(Import(host, "delete chain ip t none\n").HadErrors);
    }
}
