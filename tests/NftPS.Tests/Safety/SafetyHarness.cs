using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>The checks every hostile-input test makes: a sentinel ruleset is loaded with nft, the input runs in a
/// hosted runspace, and afterwards the sentinel is intact, no table named "evil" exists, and a refused input left
/// the ruleset exactly as it was.</summary>
internal static class SafetyHarness
{
    public const string Sentinel = "table ip sentinel {\n\tchain keep {\n\t\tcounter comment \"keep\"\n\t}\n}\ntable netdev nd {\n}\n";

    /// <summary>The strings every string parameter is tried with.</summary>
    public static readonly string[] Injections =
    {
        "}", ";", "\"", "\n", "add table ip evil", "\0",
        "x\"; add table ip evil; #", "x }\nadd table ip evil\ntable ip y {", "x\0add",
    };

    public static void Reset(PrivateNetworkNamespace ns)
    {
        ns.Flush();
        ns.NftLoad(Sentinel).EnsureSuccess("nft -f sentinel");
    }

    /// <summary>Runs <paramref name="script"/>; whatever it did, nothing it did not ask for happened.</summary>
    public static PowerShellResult RunGuarded(PowerShellHost host, PrivateNetworkNamespace ns, string script)
    {
        var r = host.Run(script);
        AssertSentinelAndNoEvil(ns);
        return r;
    }

    public static void AssertSentinelAndNoEvil(PrivateNetworkNamespace ns)
    {
        string listing = ns.NftListRuleset();
        Assert.Contains("table ip sentinel", listing);
        Assert.Contains("comment \"keep\"", listing);
        // Names from JSON, not nft's text listing: nft prints a name holding a line break raw.
        string json = ns.Nft("-j", "list", "tables").EnsureSuccess("nft -j list tables").StdOut;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
            if (item.TryGetProperty("table", out var t))
                Assert.NotEqual("evil", t.GetProperty("name").GetString());
    }

    /// <summary>The input was refused: one or more InvalidArgument-style errors, the ruleset unchanged.</summary>
    public static ErrorRecord AssertRefused(PowerShellResult r, string before, PrivateNetworkNamespace ns,
        ErrorCategory category = ErrorCategory.InvalidArgument)
    {
        Assert.True(r.HadErrors, "expected the input to be refused");
        var e = r.Errors[0];
        Assert.Equal(category, e.CategoryInfo.Category);
        Assert.DoesNotContain("   at ", e.Exception.ToString().Split('\n')[0]);
        Assert.Equal(before, ns.NftListRuleset());
        return e;
    }

    /// <summary>A PowerShell single-quoted literal of any string (NUL and newlines included).</summary>
    public static string Literal(string value) =>
        "(-join @(" + string.Join(",", value.Select(c => "[char]" + (int)c)) + "))" is var joined && value.Length > 0 ? joined : "''";
}
