using System.Text.Json.Nodes;

namespace NftPS.Tests.Automation;

/// <summary>The DSC and Ansible entry points of nftps in-process, on the paths that never reach the kernel: refusals
/// and compile errors come back in each engine's own form (DSC: a JSON error line on stderr and nftps's exit code;
/// Ansible: a failed result with the message), with nft's caret line for a bad rule.</summary>
public sealed class AutomationAdapterTests
{
    private const string BadRule = "table inet filter {\n\tchain output {\n\t\ttcp dport 99999 accept\n\t}\n}\n";

    [Fact]
    public void Dsc_validate_reports_a_bad_rule_with_its_caret_and_a_good_one_as_valid()
    {
        var bad = Nftps.Run(new JsonObject { ["tables"] = BadRule }.ToJsonString(), "dsc", "validate").Expect(ExitCodesOk);
        var result = JsonNode.Parse(bad.StdOut)!;
        Assert.False((bool)result["valid"]!);
        Assert.Contains("^^^^^", (string)result["reason"]!);
        var good = Nftps.Run(new JsonObject { ["tables"] = "table inet filter {\n}\n" }.ToJsonString(), "dsc", "validate").Expect(ExitCodesOk);
        Assert.True((bool)JsonNode.Parse(good.StdOut)!["valid"]!);
    }

    private const int ExitCodesOk = NftPS.Automation.ExitCodes.Success;

    [Theory]
    [InlineData(null, "dsc")]
    [InlineData("{\"tables\": \"table inet t { }\", \"purg\": false}", "dsc", "get")]
    [InlineData("[1]", "dsc", "test")]
    [InlineData("{\"tables\": \"table inet t { }\"}", "dsc", "delete")]
    public void Dsc_refusals_are_usage_errors_written_as_DSC_error_lines(string? stdin, params string[] args)
    {
        var r = Nftps.Run(stdin, args).Expect(NftPS.Automation.ExitCodes.Usage);
        Assert.Empty(r.StdOut);
        var line = JsonNode.Parse(r.StdErr.Trim())!;
        Assert.False(string.IsNullOrEmpty((string?)line["error"]));
    }

    [Fact]
    public void Dsc_set_of_a_bad_rule_exits_3_with_the_caret_message_before_touching_the_kernel()
    {
        var r = Nftps.Run(new JsonObject { ["tables"] = BadRule, ["netns"] = "nftps-never-created" }.ToJsonString(), "dsc", "set")
            .Expect(NftPS.Automation.ExitCodes.InvalidDesiredState);
        Assert.Contains("^^^^^", (string)JsonNode.Parse(r.StdErr.Trim())!["error"]!);
    }

    [Theory]
    [InlineData("{\"params\": {\"content\": \"" + "table inet filter { chain output { tcp dport 99999 accept; }; }" + "\"}, \"check_mode\": false, \"diff\": false}", "^^^^^")]
    [InlineData("{\"params\": {}, \"check_mode\": false, \"diff\": false}", "src, content or tables")]
    [InlineData("{\"params\": {\"tables\": \"{not json\"}}", "not libnftables JSON")]
    [InlineData("not json", "not valid JSON")]
    public void Ansible_failures_are_failed_results_with_the_message(string stdin, string message)
    {
        var r = Nftps.Run(stdin, "ansible", "ruleset").Expect(ExitCodesOk);
        var result = JsonNode.Parse(r.StdOut)!;
        Assert.True((bool)result["failed"]!);
        Assert.False((bool)result["changed"]!);
        Assert.Contains(message, (string)result["msg"]!);
    }
}
