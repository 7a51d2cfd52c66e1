using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Meters both ways, against the local nft 1.0.6 in a private namespace: the forms of the nft manual (with and
/// without size, one field and a concatenation, limit and counter, a key timeout) written by nft list identically
/// through Export-NftRuleset (text and JSON); written by New-NftRule they list as nft's own; the export re-imports
/// (and validates) to the same ruleset.</summary>
public class MeterCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public MeterCmdletTests(ScriptFixture fx) => _fx = fx;

    public static readonly string[] Rules =
    {
        "tcp dport 22 ct state new meter ssh_flood { ip saddr limit rate over 3/minute } drop",
        "meter m2 size 1024 { ip saddr . tcp dport counter }",
        "meter m3 { ip saddr timeout 10s limit rate 10/second }",
        "tcp dport 80 meter m4 size 4096 { ip saddr . ip daddr limit rate 100/second burst 10 packets } accept",
        "meter m5 { meta mark counter }",
    };

    private const string Chain = "table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n";

    private static string File() => Chain + string.Concat(Rules.Select(r => "\t\t" + r + "\n")) + "\t}\n}\n";

    private static string Text(PowerShellResult r)
    {
        Assert.False(r.HadErrors, r.Describe());
        return Assert.IsType<string>(Assert.Single(r.Output).BaseObject);
    }

    [KernelFact]
    public void Meters_nft_wrote_export_as_nft_lists_them()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(File()).EnsureSuccess("nft -f");
        string listed = _fx.Namespace.NftListRuleset();
        Assert.Contains("meter ssh_flood size 65535 { ip saddr limit rate over 3/minute } drop", listed);
        Assert.Equal(listed, Text(host.Run("Export-NftRuleset -NetworkNamespace $ns")));
        string json = _fx.Namespace.Nft("-j", "list", "ruleset").EnsureSuccess("nft -j").StdOut;
        Assert.Equal(json.TrimEnd('\n'), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson")).TrimEnd('\n'));
    }

    [KernelFact]
    public void Meters_New_NftRule_writes_list_as_nfts_own()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(File()).EnsureSuccess("nft -f");
        string byNft = _fx.Namespace.NftListRuleset();
        string setsByNft = _fx.Namespace.Nft("list", "meters").StdOut;
        _fx.Namespace.Flush();
        host.SetVariable("rules", Rules);
        var r = host.Run("New-NftTable -NetworkNamespace $ns -Family ip -Name t; "
            + "New-NftChain -NetworkNamespace $ns -Family ip -Table t -Name c -Hook input -Priority 0 -Policy accept; "
            + "foreach ($rule in $rules) { New-NftRule -NetworkNamespace $ns -Family ip -Table t -Chain c -Rule $rule }");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(byNft, _fx.Namespace.NftListRuleset());
        Assert.Equal(setsByNft, _fx.Namespace.Nft("list", "meters").StdOut);
    }

    [KernelFact]
    public void The_export_of_meters_validates_and_reimports_to_the_same_ruleset()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(File()).EnsureSuccess("nft -f");
        string before = _fx.Namespace.NftListRuleset();
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nftps-meters-{Guid.NewGuid():N}.nft");
        try
        {
            host.SetVariable("path", path);
            var r = host.Run("[System.IO.File]::WriteAllText($path, (Export-NftRuleset -NetworkNamespace $ns))");
            Assert.False(r.HadErrors, r.Describe());
            // Against the ruleset that holds them the meters exist already: the kernel refuses to declare them again,
            // for nft (`nft -c -f` of its own listing fails the same way) as for NftPS.
            Assert.NotEqual(0, _fx.Namespace.Nft("-c", "-f", path).ExitCode);
            Assert.True(host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $path -Validate").HadErrors);
            _fx.Namespace.Flush();
            r = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $path -Validate; Import-NftRuleset -NetworkNamespace $ns -Path $path");
            Assert.False(r.HadErrors, r.Describe());
            Assert.Equal(before, _fx.Namespace.NftListRuleset());
        }
        finally { System.IO.File.Delete(path); }
    }
}
