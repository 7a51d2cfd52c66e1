using System.ComponentModel;
using NftPS.NfTables.Rollback;

namespace NftPS;

/// <summary>Not for use: the rollback agent's entry point. The agent is a detached PowerShell that loads NftPS.dll by
/// path and calls <see cref="Run"/> (see AgentLauncher.Script); it replays a pending change's restore batch at the
/// deadline unless the change was confirmed.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RollbackAgentEntryPoint
{
    public static int Run(string storeRoot, string id)
    {
        // Loaded by Add-Type, not Import-Module: the module initializer did not run, so Tmds.LibC is resolved here.
        NativeDependencyResolver.Register();
        if (!PendingChangeStore.IsValidId(id) || string.IsNullOrEmpty(storeRoot)) return 2;
        return PendingChanges.RunAgent(new PendingChangeStore(storeRoot), id);
    }
}
