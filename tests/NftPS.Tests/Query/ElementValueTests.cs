using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Query;

/// <summary>Set elements carry their key as a typed value next to the nft text they are added and removed by.</summary>
public class ElementValueTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ElementValueTests(ScriptFixture fx) => _fx = fx;

    [KernelFact]
    public void ElementsHaveTypedValuesAndKeepTheirText()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("""
            table inet t {
              set a { type ipv4_addr; elements = { 10.10.0.10 } }
              set p { type inet_service; elements = { 465, 587 } }
              set b { type ipv4_addr; flags interval; elements = { 192.0.2.0/24, 203.0.113.7, 10.9.0.1-10.9.0.9 } }
              set pairs { type ipv4_addr . inet_service; flags interval; elements = { 10.0.0.0/8 . 22-25, 192.0.2.1 . 80 } }
              set six { type ipv6_addr; flags interval; elements = { 2001:db8::/32 } }
              map m { type ifname : verdict; elements = { "eth0" : accept } }
            }
            """).EnsureSuccess("nft -f");
        var r = host.Run("""
            Get-NftSetElement -NetworkNamespace $ns -Table t | ForEach-Object {
                '{0}|{1}|{2}' -f $_.SetName, $_.Value, (@($_.TypedValue | ForEach-Object { "$_ $($_.GetType().Name)" }) -join ';')
            }
            """);
        Assert.False(r.HadErrors, r.Describe());
        var lines = r.Output.Select(o => o.BaseObject.ToString()).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "a|10.10.0.10|10.10.0.10 IPAddress",
            "b|10.9.0.1-10.9.0.9|10.9.0.1-10.9.0.9 NftAddressRange",
            "b|192.0.2.0/24|192.0.2.0/24 IPNetwork",
            "b|203.0.113.7|203.0.113.7 IPAddress",
            "m|\"eth0\" : accept|eth0 String",
            "pairs|10.0.0.0/8 . 22-25|10.0.0.0/8 IPNetwork;22-25 NftPortRange",
            "pairs|192.0.2.1 . 80|192.0.2.1 IPAddress;80 Int32",
            "p|465|465 Int32",
            "p|587|587 Int32",
            "six|2001:db8::/32|2001:db8::/32 IPNetwork",
        }, lines);
        // The text still binds to the element cmdlets: a piped element is removed by its Value.
        var remove = host.Run("Get-NftSetElement -NetworkNamespace $ns -Table t -Set b | Where-Object { $_.TypedValue -is [System.Net.IPNetwork] } | Remove-NftSetElement -NetworkNamespace $ns");
        Assert.False(remove.HadErrors, remove.Describe());
        Assert.DoesNotContain("192.0.2.0/24", _fx.Namespace.NftListRuleset());
        Assert.Contains("203.0.113.7", _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void TheSetViewShowsTypeAndElementCount()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip v { set s { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 22, 10.0.0.2 . 80, 10.0.0.3 . 443 }; }; }\n")
            .EnsureSuccess("nft -f");
        string text = host.RunText("Get-NftSet -NetworkNamespace $ns -Table v -IncludeElements");
        Assert.Matches(@"(?m)^s\s+set\s+ipv4_addr \. inet_service\s+3\s", text);
    }
}
