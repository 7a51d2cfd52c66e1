using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>A refused element operation is named as nft prints the set's elements, from the set's key and data types:
/// an interval set's range as `a-b` (not its start and end element in hex), a map element with its data.</summary>
public class RefusedElementTextTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public RefusedElementTextTests(ScriptFixture fx) => _fx = fx;

    private string RefusalOf(string command)
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("""
            table ip t {
            	set s {
            		type ipv4_addr
            		flags interval
            		elements = { 10.0.0.0/8 }
            	}
            	map services {
            		type inet_service : ipv4_addr
            		elements = { 22 : 127.0.0.1 }
            	}
            }
            """).EnsureSuccess("nft -f");
        var r = host.Run("$p = @{ NetworkNamespace = $ns; Table = 't' }\n" + command);
        Assert.True(r.HadErrors, r.Describe());
        return r.Errors[0].Exception.Message;
    }

    [KernelFact]
    public void ARangeMissingFromAnIntervalSetIsNamedAsARange()
    {
        string message = RefusalOf("Remove-NftSetElement @p -Set s -Element '203.0.113.25-203.0.113.26'");
        Assert.Contains("(delete element ip t s { 203.0.113.25-203.0.113.26 })", message);
        Assert.DoesNotContain("0x", message);
    }

    [KernelFact]
    public void AMapElementThatExistsIsNamedWithItsData()
    {
        string message = RefusalOf("Add-NftSetElement @p -Set services -Element '22 : 127.0.0.2'");
        Assert.Contains("(add element ip t services { 22 : 127.0.0.2 })", message);
        Assert.DoesNotContain("0x", message);
    }
}
