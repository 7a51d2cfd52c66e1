using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Two private namespaces, A and B, and a hosted runspace where $A and $B name them. Both start each test
/// with the same table, so a change that lands in the wrong one shows up in nft's listing of that one.</summary>
public sealed class TwoNamespacesFixture : IDisposable
{
    private readonly ScriptFixture _script = new();
    private PrivateNetworkNamespace? _b;

    public PrivateNetworkNamespace A => _script.Namespace;
    public PrivateNetworkNamespace B => _b ??= new PrivateNetworkNamespace();

    public const string Same = "table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1 }\n\t}\n\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n";

    /// <summary>A fresh runspace state: both namespaces hold <see cref="Same"/>, no defaults set.</summary>
    public PowerShellHost Fresh()
    {
        var host = _script.Require();
        B.Require();
        foreach (var ns in new[] { A, B })
        {
            ns.Flush();
            ns.NftLoad(Same).EnsureSuccess("nft -f");
        }
        host.SetVariable("A", A.Name);
        host.SetVariable("B", B.Name);
        host.Run("$PSDefaultParameterValues.Clear()");
        return host;
    }

    public void Dispose()
    {
        _b?.Dispose();
        _script.Dispose();
    }
}
