using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NftPS.NfTables;
using PS = System.Management.Automation.PowerShell;

namespace NftPS.Bench;

/// <summary>What a PowerShell session that has imported NftPS holds: a runspace with out/NftPS/NftPS.psd1 imported
/// and (for the core-API workloads, until the change cmdlets exist) one open connection per namespace, as the
/// cmdlets' connection cache keeps one.</summary>
public sealed class NftPsSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly Dictionary<string, NfTablesConnection> _connections = new();

    public NftPsSession()
    {
        if (!File.Exists(BenchPaths.ModuleManifest))
            throw new InvalidOperationException($"{BenchPaths.ModuleManifest} is missing: run `dotnet build` at the repository root.");
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { BenchPaths.ModuleManifest });
        iss.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
    }

    /// <summary>The namespace every call of the current workload goes to.</summary>
    public string NetworkNamespace { get; set; } = "";

    public NfTablesConnection Connection
    {
        get
        {
            if (!_connections.TryGetValue(NetworkNamespace, out var c))
                _connections[NetworkNamespace] = c = NfTablesConnection.Open(NetworkNamespace);
            return c;
        }
    }

    /// <summary>Runs script text with $ns set to the namespace; throws on any error so a failed run never counts as fast.</summary>
    public Collection<PSObject> Invoke(string script, IReadOnlyDictionary<string, object>? variables = null)
    {
        _runspace.SessionStateProxy.SetVariable("ns", NetworkNamespace);
        if (variables is not null) foreach (var kv in variables) _runspace.SessionStateProxy.SetVariable(kv.Key, kv.Value);
        using var ps = PS.Create(_runspace);
        ps.AddScript(script);
        var output = ps.Invoke();
        if (ps.Streams.Error.Count > 0)
            throw new InvalidOperationException("NftPS script failed: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        return output;
    }

    /// <summary>Runs a batch and throws with the kernel's errors when it did not commit.</summary>
    public void Execute(NftBatch batch)
    {
        var result = Connection.ExecuteBatch(batch, new BatchOptions());
        if (!result.Succeeded)
            throw new InvalidOperationException("batch failed: " + string.Join("; ", result.Errors.Select(e => e.Describe())));
    }

    public void Dispose()
    {
        foreach (var c in _connections.Values) c.Dispose();
        _runspace.Dispose();
    }
}
