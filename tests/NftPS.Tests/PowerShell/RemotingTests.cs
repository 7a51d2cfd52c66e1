using System.Management.Automation;
using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Objects cross PowerShell remoting as CLIXML at depth 1, where nested objects arrive as text: the useful
/// properties must be flat and typed so they survive, and the type names must remain so the views still apply.</summary>
public class RemotingTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;
    public RemotingTests(ScriptFixture fx) => _fx = fx;

    private static PSObject RoundTrip(object value) =>
        (PSObject)PSSerializer.Deserialize(PSSerializer.Serialize(value, depth: 1));

    [KernelFact]
    public void ReadObjectsKeepTheirPropertiesAndTypeNamesThroughSerialization()
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        var rules = host.Run("Get-NftRule -NetworkNamespace $ns -Table filter -Chain input");
        Assert.False(rules.HadErrors, rules.Describe());
        var counted = rules.Objects<NftRule>().Single(r => r.Counter == 7);
        var remote = RoundTrip(counted);
        Assert.Contains("Deserialized." + typeof(NftRule).FullName, remote.TypeNames);
        Assert.Equal("filter", remote.Properties["Table"].Value);
        Assert.Equal("input", remote.Properties["Chain"].Value);
        Assert.Equal(counted.Handle, remote.Properties["Handle"].Value);
        Assert.Equal("tcp dport 22 counter packets 7 bytes 420 accept", remote.Properties["Text"].Value);
        Assert.Equal(7UL, remote.Properties["Counter"].Value);
        Assert.Equal(420UL, remote.Properties["Bytes"].Value);
        Assert.Equal("accept", remote.Properties["Verdict"].Value);
        Assert.Equal(_fx.Namespace.Name, remote.Properties["NetworkNamespace"].Value);
        Assert.Equal(counted.Family.ToString(), remote.Properties["Family"].Value?.ToString());

        var chain = RoundTrip(host.Run("Get-NftChain -NetworkNamespace $ns -Table filter -Name input").Objects<NftChain>().Single());
        Assert.Equal("drop", chain.Properties["Policy"].Value);
        Assert.Equal("input", chain.Properties["Hook"].Value);
        Assert.Equal(0, chain.Properties["Priority"].Value);

        var element = RoundTrip(host.Run("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set ports").Objects<NftSetElement>().Single());
        Assert.Equal("22 : accept", element.Properties["Value"].Value);
    }
}
