namespace NftPS.Tests.Infrastructure;

/// <summary>A private network namespace plus a hosted runspace with the module imported and <c>$ns</c> set to
/// that namespace: the fixture for PowerShell script tests (one per test class, so classes run in parallel).</summary>
public sealed class ScriptFixture : IDisposable
{
    private readonly Lazy<PowerShellHost> _host;

    public ScriptFixture()
    {
        Namespace = new PrivateNetworkNamespace();
        _host = new Lazy<PowerShellHost>(() => new PowerShellHost(Namespace.Name));
    }

    public PrivateNetworkNamespace Namespace { get; }

    /// <summary>Skips (fails under CI=true) where namespaces or nft are unavailable, then returns the runspace.</summary>
    public PowerShellHost Require()
    {
        Namespace.Require();
        return _host.Value;
    }

    public void Dispose()
    {
        if (_host.IsValueCreated) _host.Value.Dispose();
        Namespace.Dispose();
    }
}
