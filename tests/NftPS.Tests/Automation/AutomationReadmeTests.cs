using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>The README's DSC and Ansible examples are the files the kernel tests run (DscExampleTests,
/// AnsibleModuleTests), so what the README shows is what is tested: each file, without its leading comment lines,
/// is a fenced block of its README section.</summary>
public sealed class AutomationReadmeTests
{
    [Theory]
    [InlineData("## DSC v3: the NftPS/Ruleset resource", "examples/dsc/egress.dsc.config.yaml", "yaml")]
    [InlineData("## Ansible: the nftps.nftables collection", "examples/ansible/egress.yml", "yaml")]
    public void The_README_example_is_the_tested_file(string heading, string file, string language)
    {
        string readme = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "README.md"));
        int start = readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section '{heading}'");
        int end = readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        string section = end < 0 ? readme[start..] : readme[start..end];
        var blocks = new List<string>();
        string fence = "```" + language + "\n";
        for (int at = section.IndexOf(fence, StringComparison.Ordinal); at >= 0; at = section.IndexOf(fence, at + 1, StringComparison.Ordinal))
        {
            int body = at + fence.Length;
            blocks.Add(section[body..section.IndexOf("```\n", body, StringComparison.Ordinal)]);
        }
        string text = string.Concat(File.ReadAllLines(Path.Combine(TestEnvironment.RepoRoot, file))
            .SkipWhile(l => l.StartsWith('#')).Select(l => l + "\n"));
        Assert.Contains(text, blocks);
    }
}
