namespace NftPS.Tests.Infrastructure;

/// <summary>The user the egress scenario names (`meta skuid "appuser"`), created once per test run the way .ci/run
/// creates it (`useradd -M -r`), and the scenarios' expected listings with its uid as this machine gave it: they were
/// made where appuser is uid 999, and nft lists the number, so every comparison must use the local uid.</summary>
public static class ScenarioUsers
{
    private static readonly Lazy<string> Uid = new(() =>
    {
        if (ProcessRunner.Run("id", new[] { "appuser" }).ExitCode != 0)
            ProcessRunner.Run("useradd", new[] { "-M", "-r", "appuser" }).EnsureSuccess("useradd appuser");
        return ProcessRunner.Run("id", new[] { "-u", "appuser" }).StdOut.Trim();
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Ensure() => _ = Uid.Value;

    /// <summary>The uid appuser has on this machine.</summary>
    public static string AppUserUid => Uid.Value;

    /// <summary>shared/scenarios/expected/NAME.txt with appuser's uid as this machine has it.</summary>
    public static string ExpectedListing(string name) =>
        Localize(File.ReadAllText(Path.Combine(TestEnvironment.RequireShared(), "scenarios", "expected", name + ".txt")));

    /// <summary>A listing made where appuser is uid 999, with the local uid instead.</summary>
    public static string Localize(string listing) => listing.Replace("meta skuid 999 ", $"meta skuid {AppUserUid} ");
}
