namespace NftPS.Tests.Infrastructure;

/// <summary>Two private namespaces, A and B, and a hosted runspace where $A and $B name them. The namespace-safety
/// tests start both with the same table (a change that lands in the wrong one shows in nft's listing of that one);
/// the copy tests start A with a policy and B empty.</summary>
public sealed class TwoNamespacesFixture : IDisposable
{
    private readonly ScriptFixture _script = new();
    private PrivateNetworkNamespace? _b;

    public PrivateNetworkNamespace A => _script.Namespace;
    public PrivateNetworkNamespace B => _b ??= new PrivateNetworkNamespace();

    public const string Same = "table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1 }\n\t}\n\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n";

    /// <summary>A fresh runspace state: both namespaces hold <see cref="Same"/>, no defaults set.</summary>
    public PowerShellHost Fresh() => Fresh(Same, Same);

    /// <summary>A holds <paramref name="a"/>, B is empty, no defaults set.</summary>
    public PowerShellHost Fresh(string a) => Fresh(a, null);

    /// <summary>A holds <paramref name="a"/> and B holds <paramref name="b"/> (nft -f; null leaves it empty), no defaults set.</summary>
    public PowerShellHost Fresh(string a, string? b)
    {
        var host = _script.Require();
        B.Require();
        foreach (var (ns, policy) in new[] { (A, a), (B, b) })
        {
            ns.Flush();
            if (policy is not null) ns.NftLoad(policy).EnsureSuccess("nft -f");
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
