using System.Management.Automation;
using System.Text;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 4 at the cmdlets, in a private namespace: each hostile input is one PowerShell error with
/// the right category and id (never a .NET exception's own message as NotSpecified), the ruleset is unchanged, and the
/// process lives. Cases that once killed the process run in a child (tools/NftPS.Run) that must print 'alive' after.</summary>
public sealed class CmdletRobustnessTests : IClassFixture<ScriptFixture>, IDisposable
{
    private readonly ScriptFixture _fx;
    private readonly string _dir = Directory.CreateTempSubdirectory("nftps-robust-").FullName;

    public CmdletRobustnessTests(ScriptFixture fx) => _fx = fx;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PowerShellHost Sentinel()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.Nft("add", "table", "ip", "keep").EnsureSuccess("sentinel");
        _fx.Namespace.Nft("add", "chain", "ip", "keep", "c").EnsureSuccess("sentinel chain");
        return host;
    }

    private string File(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the script and expects exactly one error of the category and id, with the ruleset unchanged.</summary>
    private ErrorRecord Refused(PowerShellHost host, string script, ErrorCategory category, string id, string mentions)
    {
        string before = _fx.Namespace.NftListRuleset();
        var r = host.Run(script);
        string after = _fx.Namespace.NftListRuleset();
        var error = Assert.Single(r.Errors);
        Assert.True(category == error.CategoryInfo.Category, $"{error.CategoryInfo.Category} {error.FullyQualifiedErrorId}: {error.Exception.Message}");
        Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
        Assert.Contains(mentions, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.Equal(before, after);
        return error;
    }

    [KernelFact]
    public void A_directory_as_path_is_invalid_argument_naming_it()
    {
        var host = Sentinel();
        var e = Refused(host, $"Import-NftRuleset -NetworkNamespace $ns -Path '{_dir}'", ErrorCategory.InvalidArgument, "NftFileIsDirectory", _dir);
        Assert.Equal(_dir, e.TargetObject);
        Refused(host, $"ConvertFrom-NftJson -Path '{_dir}'", ErrorCategory.InvalidArgument, "NftFileIsDirectory", _dir);
    }

    [KernelFact]
    public void A_missing_file_is_object_not_found()
    {
        var host = Sentinel();
        string path = Path.Combine(_dir, "missing.nft");
        Refused(host, $"Import-NftRuleset -NetworkNamespace $ns -Path '{path}'", ErrorCategory.ObjectNotFound, "NftFileNotFound", path);
    }

    [KernelFact]
    public void A_define_cycle_is_a_syntax_error_with_the_position()
    {
        var host = Sentinel();
        string path = File("cycle.nft", "define a = $b\ndefine b = $a\nadd rule ip keep c ip ttl $a\n");
        Refused(host, $"Import-NftRuleset -NetworkNamespace $ns -Path '{path}'", ErrorCategory.InvalidArgument, "NftSyntaxError",
            "cycle.nft:1:12-13: Error: unknown identifier 'b'");
    }

    [KernelFact]
    public void Include_nesting_deeper_than_nfts_16_is_refused()
    {
        var host = Sentinel();
        for (int i = 0; i < 17; i++) File($"inc{i}.nft", $"include \"inc{i + 1}.nft\"\n");
        File("inc17.nft", "add table ip evil\n");
        Refused(host, $"Import-NftRuleset -NetworkNamespace $ns -Path '{Path.Combine(_dir, "inc0.nft")}'", ErrorCategory.InvalidArgument,
            "NftSyntaxError", "Include nested too deeply, max 16 levels");
    }

    [KernelFact]
    public void Priorities_that_overflow_or_wrap_are_invalid_arguments()
    {
        var host = Sentinel();
        Refused(host, "New-NftChain -NetworkNamespace $ns -Table keep -Name x -Type filter -Hook input -Priority 'filter + 99999999999'",
            ErrorCategory.InvalidArgument, "NftInvalidArgument", "out of range");
        Refused(host, "New-NftChain -NetworkNamespace $ns -Table keep -Name x -Type filter -Hook input -Priority 'raw - 2147483647'",
            ErrorCategory.InvalidArgument, "NftInvalidArgument", "out of range");
        Refused(host, "New-NftChain -NetworkNamespace $ns -Table keep -Name x -Type filter -Hook input -Priority '99999999999'",
            ErrorCategory.InvalidArgument, "NftInvalidArgument", "out of range");
    }

    [KernelFact]
    public void A_negative_set_timeout_is_invalid_argument()
    {
        var host = Sentinel();
        Refused(host, "New-NftSet -NetworkNamespace $ns -Table keep -Name s -Type ipv4_addr -Timeout ([timespan]::FromSeconds(-5))",
            ErrorCategory.InvalidArgument, "NftInvalidTimeout", "-Timeout");
    }

    [KernelFact]
    public void A_rule_too_large_to_send_is_limits_exceeded()
    {
        var host = Sentinel();
        Refused(host, "New-NftRule -NetworkNamespace $ns -Table keep -Chain c -Rule ('counter ' * 131072)",
            ErrorCategory.LimitsExceeded, "NftMessageTooLarge", "65,535");
    }

    [KernelFact]
    public void Compiler_fuzz_findings_are_invalid_arguments_with_a_caret()
    {
        var host = Sentinel();
        foreach (string rule in new[] { "ip ttl 33-44/1", "@th,0,2147483648 1", "ct expiration 18446744073709551616", "ct expiration \"\"" })
        {
            var e = Refused(host, $"New-NftRule -NetworkNamespace $ns -Table keep -Chain c -Rule '{rule}'", ErrorCategory.InvalidArgument,
                rule.StartsWith("ip ttl") ? "NftSyntaxError" : "NftInvalidRule", "^");
            Assert.DoesNotContain("input string", e.Exception.Message);
        }
        // nft accepts this one: the range 1-3.
        Assert.False(host.Run("New-NftRule -NetworkNamespace $ns -Table keep -Chain c -Rule 'ip ttl 1-2 | 3'").HadErrors);
        Assert.Contains("ip ttl 1-3", _fx.Namespace.NftListRuleset());
    }

    /// <summary>In a child process: these killed pwsh (stack overflow, exit 134) or ran it out of memory.</summary>
    [KernelFact]
    public void Deep_and_endless_input_leaves_the_process_alive()
    {
        Sentinel();
        string before = _fx.Namespace.NftListRuleset();
        string deep = File("deep.nft", "add rule ip keep c ip ttl " + new string('(', 100_000) + "1" + new string(')', 100_000) + "\n");
        string braces = File("braces.nft", "add rule ip keep c ip ttl " + new StringBuilder().Insert(0, "{ ", 100_000) + "1" +
            new StringBuilder().Insert(0, " }", 100_000) + "\n");
        string cycle = File("cycle2.nft", "define a = $b\ndefine b = $a\nadd rule ip keep c ip ttl $a\n");
        string self = File("self.nft", "define a = $a\nadd rule ip keep c ip ttl $a\n");
        string zero = File("zero.nft", "include \"/dev/zero\"\n");
        string script = string.Join("\n", new[] { deep, braces, cycle, self, "/dev/zero", zero }.Select(p =>
            $"try {{ Import-NftRuleset -NetworkNamespace {_fx.Namespace.Name} -Path '{p}' -ErrorAction Stop; 'accepted {p}' }} " +
            "catch { '[' + $_.CategoryInfo.Category + '] ' + $_.FullyQualifiedErrorId }")) + "\n'alive'";
        var r = RunnerProcess.Run(script);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}");
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("alive", lines[^1]);
        Assert.Equal(6, lines.Count(l => l.StartsWith("[InvalidArgument] NftSyntaxError") || l.StartsWith("[LimitsExceeded] NftFileTooLarge")));
        Assert.Contains("[LimitsExceeded] NftFileTooLarge,NftPS.Cmdlets.ImportNftRulesetCommand", lines);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }
}
