using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>The four policies of ../shared/scenarios built from cmdlets (structured parameters where they exist,
/// rule text otherwise) and imported from their files: each lists exactly expected/NAME.txt.</summary>
public class ScenarioCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ScenarioCmdletTests(ScriptFixture fx) => _fx = fx;

    private static readonly Dictionary<string, string> Scripts = new()
    {
        ["egress-allowlist"] = """
            $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'filter' }
            New-NftTable -NetworkNamespace $ns -Family inet -Name filter
            New-NftSet @p -Name allowed_ipv4 -Type ipv4_addr -Element 10.10.0.10, 10.10.0.20, 198.51.100.40
            New-NftChain @p -Name output -Hook output -Priority 0 -Policy drop
            $r = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'filter'; Chain = 'output' }
            New-NftRule @r -ConnectionState established, related -Action Accept
            New-NftRule @r -OutputInterface lo -Action Accept
            New-NftRule @r -Protocol udp -DestinationPort 53 -DestinationAddress 10.10.0.10 -Action Accept
            New-NftRule @r -Protocol udp -DestinationPort 123 -DestinationAddress 10.10.0.20 -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 443, 9418 -DestinationAddress '@allowed_ipv4' -Action Accept
            New-NftRule @r -User appuser -Protocol tcp -DestinationPort 443 -DestinationAddress 198.51.100.40 -Action Accept
            New-NftRule @r -Counter -LogPrefix 'NFT-EGRESS-DROP ' -LogLevel info -Action Drop
            """,
        ["mail-inbound"] = """
            New-NftTable -NetworkNamespace $ns -Family ip -Name filter
            New-NftChain -NetworkNamespace $ns -Family ip -Table filter -Name input -Type filter -Hook input -Priority filter -Policy accept
            $r = @{ NetworkNamespace = $ns; Family = 'ip'; Table = 'filter'; Chain = 'input' }
            New-NftRule @r -InputInterface lo -Action Accept
            New-NftRule @r -ConnectionState established, related -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 22 -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 25 -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 143, 993 -Action Accept
            New-NftRule @r -Action Drop
            """,
        ["mail-outbound"] = """
            New-NftTable -NetworkNamespace $ns -Family ip -Name filter
            New-NftChain -NetworkNamespace $ns -Family ip -Table filter -Name output -Hook output -Policy accept
            $r = @{ NetworkNamespace = $ns; Family = 'ip'; Table = 'filter'; Chain = 'output' }
            New-NftRule @r -OutputInterface lo -Action Accept
            New-NftRule @r -ConnectionState established, related -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 22 -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 25 -DestinationAddress 1.2.3.0/24, 5.6.7.8 -Action Accept
            New-NftRule @r -Protocol udp -DestinationPort 53 -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 53 -Action Accept
            New-NftRule @r -Protocol tcp -DestinationPort 25 -Action Drop
            """,
        ["mail-ratelimit"] = """
            $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'mailguard' }
            New-NftTable -NetworkNamespace $ns -Family inet -Name mailguard
            New-NftSet @p -Name auth_ports -Type inet_service -Element 465, 587, 993
            New-NftSet @p -Name offenders -Type ipv4_addr -Size 65535 -Flags dynamic, timeout -Timeout ([timespan]::FromMinutes(10))
            New-NftChain @p -Name input -Hook input -Priority 'filter - 10' -Policy accept
            $r = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'mailguard'; Chain = 'input' }
            New-NftRule @r -SourceAddress '@offenders' -Action Drop
            New-NftRule @r -Rule 'tcp dport @auth_ports ct state new add @offenders { ip saddr limit rate over 10/minute } counter drop'
            New-NftRule @r -Protocol tcp -DestinationPort '@auth_ports' -ConnectionState new -Limit '50/second burst 20 packets' -Action Accept
            New-NftRule @r -Limit 5/minute -LogPrefix 'mailguard: ' -LogLevel warn
            """,
    };

    public static TheoryData<string> Names => new() { "egress-allowlist", "mail-inbound", "mail-outbound", "mail-ratelimit" };

    private static string Expected(string name) => ScenarioUsers.ExpectedListing(name);

    [KernelTheory]
    [MemberData(nameof(Names))]
    public void BuiltFromCmdletsListsExactlyTheExpectedRuleset(string name)
    {
        string expected = Expected(name);
        var host = _fx.Require();
        _fx.Namespace.Flush();
        var r = host.Run(Scripts[name]);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(expected, _fx.Namespace.NftListRuleset());
    }

    [KernelTheory]
    [MemberData(nameof(Names))]
    public void BuiltInOneTransactionListsExactlyTheExpectedRuleset(string name)
    {
        string expected = Expected(name);
        var host = _fx.Require();
        _fx.Namespace.Flush();
        var r = host.Run("Invoke-NftTransaction -NetworkNamespace $ns {\n" + Scripts[name] + "\n}");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(expected, _fx.Namespace.NftListRuleset());
    }

    [KernelTheory]
    [MemberData(nameof(Names))]
    public void ImportedFromTheFileListsExactlyTheExpectedRuleset(string name)
    {
        string expected = Expected(name);
        var host = _fx.Require();
        _fx.Namespace.Flush();
        host.SetVariable("file", Path.Combine(TestEnvironment.RequireShared(), "scenarios", name + ".nft"));
        var check = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file -Validate");
        Assert.False(check.HadErrors, check.Describe());
        Assert.Equal("", _fx.Namespace.NftListRuleset());
        var r = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $file");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(expected, _fx.Namespace.NftListRuleset());
    }
}
