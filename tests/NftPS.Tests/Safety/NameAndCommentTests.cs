using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 1: names, comments and declaration fragments given to the change cmdlets are values,
/// never nft syntax. Every string parameter gets the injection strings; whatever the outcome, nothing else runs,
/// a refused value leaves the ruleset as it was (InvalidArgument, the value named), and an accepted one exports
/// and imports back to the same ruleset.</summary>
public class NameAndCommentTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public NameAndCommentTests(ScriptFixture fx) => _fx = fx;

    /// <summary>One cmdlet call per string parameter; $v is the hostile value.</summary>
    public static readonly string[] Calls =
    {
        "New-NftTable -NetworkNamespace $ns -Name $v",
        "New-NftTable -NetworkNamespace $ns -Name t1 -Comment $v",
        "New-NftTable -NetworkNamespace $ns -Name $v -WhatIf",
        "New-NftChain -NetworkNamespace $ns -Table sentinel -Name $v",
        "New-NftChain -NetworkNamespace $ns -Table sentinel -Name c1 -Comment $v",
        "New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c1 -Hook ingress -Priority 0 -Device $v",
        "New-NftSet -NetworkNamespace $ns -Table sentinel -Name $v -Type ipv4_addr",
        "New-NftSet -NetworkNamespace $ns -Table sentinel -Name s1 -Type ipv4_addr -Comment $v",
        "New-NftSet -NetworkNamespace $ns -Table sentinel -Name s1 -Type $v",
        "New-NftSet -NetworkNamespace $ns -Table sentinel -Name s1 -Typeof $v",
        "New-NftMap -NetworkNamespace $ns -Table sentinel -Name $v -Type ipv4_addr -DataType mark",
        "New-NftMap -NetworkNamespace $ns -Table sentinel -Name m1 -Type ipv4_addr -DataType $v",
        "New-NftObject -NetworkNamespace $ns -Table sentinel -Name $v -Type counter",
        "New-NftObject -NetworkNamespace $ns -Table sentinel -Name o1 -Type counter -Comment $v",
        "New-NftObject -NetworkNamespace $ns -Table sentinel -Name q1 -Type quota -Quota $v",
        "New-NftObject -NetworkNamespace $ns -Table sentinel -Name l1 -Type limit -Rate $v",
        "Rename-NftChain -NetworkNamespace $ns -Table sentinel -Name keep -NewName $v",
    };

    public static IEnumerable<object[]> Cases() =>
        from call in Enumerable.Range(0, Calls.Length)
        from value in Enumerable.Range(0, SafetyHarness.Injections.Length)
        select new object[] { call, value };

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void InjectionStringsNeverRunAsCommands(int call, int value)
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string before = ns.NftListRuleset();
        string v = SafetyHarness.Injections[value];
        var r = SafetyHarness.RunGuarded(host, ns, "$v = " + SafetyHarness.Literal(v) + "; " + Calls[call] + "");
        Assert.Null(r.Terminating);
        bool cannotBeQuoted = v.Contains('"') || v.Contains('\n') || v.Contains('\0');
        if (cannotBeQuoted || r.HadErrors)
        {
            var error = SafetyHarness.AssertRefused(r, before, ns,
                cannotBeQuoted ? ErrorCategory.InvalidArgument : r.Errors[0].CategoryInfo.Category);
            if (cannotBeQuoted) Assert.Contains("not allowed", error.ErrorDetails?.Message ?? error.Exception.Message);
            return;
        }
        if (Calls[call].Contains("-WhatIf"))
        {
            Assert.Equal(before, ns.NftListRuleset());
            return;
        }
        AssertExportImportRoundTrip(host, ns);
    }

    /// <summary>Names nft has no bare form for, but that a quoted string holds, are kept exactly and survive
    /// Export-NftRuleset → Import-NftRuleset; nothing else is created on the way.</summary>
    [KernelTheory]
    [InlineData("with space")]
    [InlineData("dots.and-dashes_1")]
    [InlineData("ünïcödé-名前")]
    [InlineData("1starts-with-digit")]
    [InlineData("semi;colon}brace{")]
    [InlineData("add table ip evil")]
    [InlineData("255")]
    public void OddButValidNamesRoundTrip(string name)
    {
        if (name == "255") name = new string('n', 250) + "ü.b_"; // 255 bytes in UTF-8
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        host.SetVariable("n", name);
        var r = SafetyHarness.RunGuarded(host, ns, """
            New-NftTable -NetworkNamespace $ns -Name $n -Comment $n.Substring(0, [Math]::Min(40, $n.Length))
            New-NftChain -NetworkNamespace $ns -Table $n -Name $n -Comment 'c'
            New-NftSet -NetworkNamespace $ns -Table $n -Name $n -Type ipv4_addr -Comment 's' -Element 10.0.0.1
            New-NftObject -NetworkNamespace $ns -Table $n -Name $n -Type counter -Comment 'o'
            """);
        Assert.False(r.HadErrors, r.Describe());
        string json = ns.Nft("-j", "list", "tables").EnsureSuccess("nft -j list tables").StdOut;
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(name, new System.Text.Json.JsonSerializerOptions
            { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), json);
        AssertExportImportRoundTrip(host, ns);
    }

    [KernelFact]
    public void NameOf256BytesAndCommentOf129BytesAreRefusedNamingTheLimit()
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string before = ns.NftListRuleset();
        var e = SafetyHarness.AssertRefused(SafetyHarness.RunGuarded(host, ns,
            "New-NftTable -NetworkNamespace $ns -Name ('n' * 256)"), before, ns);
        Assert.Contains("255", e.ErrorDetails!.Message);
        e = SafetyHarness.AssertRefused(SafetyHarness.RunGuarded(host, ns,
            "New-NftChain -NetworkNamespace $ns -Table sentinel -Name c -Comment ('ü' * 65)"), before, ns);
        Assert.Contains("128", e.ErrorDetails!.Message);
        // 128 bytes is nft's own maximum and is kept.
        var ok = SafetyHarness.RunGuarded(host, ns, "New-NftChain -NetworkNamespace $ns -Table sentinel -Name c -Comment ('ü' * 64)");
        Assert.False(ok.HadErrors, ok.Describe());
    }

    private static void AssertExportImportRoundTrip(PowerShellHost host, PrivateNetworkNamespace ns)
    {
        string listed = ns.NftListRuleset();
        string file = Path.Combine(Path.GetTempPath(), "nftps-safety-" + Guid.NewGuid().ToString("N")[..8] + ".nft");
        try
        {
            host.SetVariable("exportFile", file);
            var export = host.Run("Export-NftRuleset -NetworkNamespace $ns -Path $exportFile -Stateless");
            Assert.False(export.HadErrors, export.Describe());
            ns.Flush();
            var import = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $exportFile");
            Assert.False(import.HadErrors, import.Describe() + "\n" + File.ReadAllText(file));
            Assert.Equal(Stateless(listed), Stateless(ns.NftListRuleset()));
            SafetyHarness.AssertSentinelAndNoEvil(ns);
        }
        finally { File.Delete(file); }
    }

    // Counters restart at zero after the import.
    private static string Stateless(string listing) =>
        System.Text.RegularExpressions.Regex.Replace(listing, @"packets \d+ bytes \d+", "packets 0 bytes 0");
}
