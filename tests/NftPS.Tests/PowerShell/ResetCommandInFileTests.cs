using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>`reset counter(s)` / `reset quota(s)` inside a file. nft 1.0.6 sends each as its own GETOBJ_RESET request
/// while it walks the file, so before the batch is committed; a refused reset stops it before the batch is sent.
/// The oracle is nft itself: the same setup, then `nft -f FILE` against Import-NftRuleset of the same FILE, compared
/// by listing (counter and quota values included) and by whether it failed.</summary>
public class ResetCommandInFileTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ResetCommandInFileTests(ScriptFixture fx) => _fx = fx;

    private const string Setup = "table ip t {\n\tcounter c { packets 5 bytes 10 }\n\tquota q { over 100 bytes used 50 bytes }\n"
        + "\tchain ch {\n\t\tcounter packets 3 bytes 7\n\t}\n}\ntable inet w {\n\tcounter k { packets 9 bytes 9 }\n\tquota v { 1000 bytes used 20 bytes }\n}\n";

    private PowerShellResult Import(PowerShellHost host, string text, string extra = "")
    {
        string path = Path.Combine(Path.GetTempPath(), $"nftps-reset-{Guid.NewGuid():N}.nft");
        try
        {
            File.WriteAllText(path, text);
            host.SetVariable("path", path);
            return host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $path " + extra);
        }
        finally { File.Delete(path); }
    }

    private void Fresh()
    {
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Setup).EnsureSuccess("nft -f setup");
    }

    [KernelTheory]
    [InlineData("reset counter t c\nadd counter t d { packets 1 bytes 2 }\nreset quota t q\n", false)]
    [InlineData("reset counters\n", false)]
    [InlineData("reset quotas\n", false)]
    [InlineData("reset counters table t\nreset quotas inet\n", false)]
    [InlineData("reset counters table inet w\nreset counter inet w k\n", false)]
    [InlineData("reset counter inet w k\nadd counter inet w k2 { packets 4 bytes 4 }\n", false)]
    // The batch comes after the resets: a counter the file creates does not exist yet when it is reset.
    [InlineData("table ip n {\n\tcounter c { packets 5 bytes 10 }\n}\nreset counter n c\n", true)]
    // A refused reset: nothing of the file's batch is applied.
    [InlineData("add table ip u\nreset counter t nope\nadd counter t d { packets 1 bytes 2 }\n", true)]
    // A reset that worked stays done when a later one is refused.
    [InlineData("reset counter t c\nreset quota t nope\nadd table ip u\n", true)]
    // The table is the file's own: the dump finds nothing in the kernel, no error, the counter keeps its values.
    [InlineData("table ip n {\n\tcounter c { packets 5 bytes 10 }\n}\nreset counters table n\n", false)]
    [InlineData("add table ip u\nreset counters table nope\n", true)]
    [InlineData("add table ip u\nreset counters table t\n", false)]
    public void Import_resets_as_nft_does(string file, bool fails)
    {
        var host = _fx.Require();
        Fresh();
        var nft = _fx.Namespace.NftLoad(file);
        Assert.Equal(fails, nft.ExitCode != 0);
        string want = _fx.Namespace.NftListRuleset();
        Fresh();
        var r = Import(host, file);
        Assert.Equal(fails, r.HadErrors);
        Assert.Equal(want, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void The_error_is_nfts_with_the_reset_s_position()
    {
        var host = _fx.Require();
        Fresh();
        var r = Import(host, "add table ip u\nreset counter t nope\n");
        Assert.True(r.HadErrors);
        Assert.Contains("2:1-", r.Describe());
        Assert.Contains("Could not process rule: No such file or directory", r.Describe());
    }

    [KernelFact]
    public void WhatIf_shows_the_resets_and_sends_nothing()
    {
        var host = _fx.Require();
        Fresh();
        string before = _fx.Namespace.NftListRuleset();
        var r = Import(host, "reset counter t c\nreset quotas\nadd table ip u\n", "-WhatIf");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void Validate_checks_without_resetting()
    {
        var host = _fx.Require();
        Fresh();
        string before = _fx.Namespace.NftListRuleset();
        Assert.False(Import(host, "reset counter t c\nreset counters\nreset quota inet w v\n", "-Validate").HadErrors);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
        Assert.True(Import(host, "reset counter t nope\n", "-Validate").HadErrors);
        Assert.True(Import(host, "reset counters table nope\n", "-Validate").HadErrors);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void Reset_forms_nft_1_0_6_cannot_parse_are_refused_in_a_file()
    {
        var host = _fx.Require();
        Fresh();
        string before = _fx.Namespace.NftListRuleset();
        foreach (var form in new[] { "reset rule ip t ch handle 2\n", "reset ruleset\n" })
        {
            Assert.NotEqual(0, _fx.Namespace.NftLoad(form).ExitCode);
            var r = Import(host, form);
            Assert.True(r.HadErrors, form);
            Assert.Contains("expecting counter or counters or quotas or quota", r.Describe());
        }
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }
}
