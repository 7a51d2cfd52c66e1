using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>The nftps.nftables collection run by ansible-playbook for real in a private namespace, with the egress
/// scenario as the desired state, through the README's example playbook (examples/ansible/egress.yml): check mode
/// with diff first (nothing changes, the change and the nft lines are reported), then a real run (changed), then the
/// same again (not changed), then a bad rule (the task fails with nft's caret message). A table the playbook does not
/// name stays as it was throughout.</summary>
public sealed class AnsibleModuleTests : IClassFixture<PrivateNetworkNamespace>, IDisposable
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly AnsiblePlaybook _ansible = new();

    public AnsibleModuleTests(PrivateNetworkNamespace ns) => _ns = ns;

    public void Dispose() => _ansible.Dispose();

    private const string Other = "table ip other {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n";

    private void Require()
    {
        _ns.Require();
        if (AnsiblePlaybook.UnavailableReason is { } reason) Skip.Because(reason);
    }

    [KernelFact]
    public void The_example_playbook_converges_the_egress_scenario_once_and_reports_check_and_diff_truthfully()
    {
        Require();
        ScenarioUsers.Ensure();
        _ns.Flush();
        _ns.NftLoad(Other).EnsureSuccess("load other table");
        string playbook = Path.Combine(TestEnvironment.RepoRoot, "examples", "ansible", "egress.yml");
        string scenario = Path.Combine(TestEnvironment.RequireShared(), "scenarios", "egress-allowlist.nft");
        string[] policy = { "-e", "egress_policy=" + scenario };
        string before = _ns.NftListRuleset();

        var check = _ansible.Run(_ns.Name, playbook, policy.Concat(new[] { "--check", "--diff" }).ToArray());
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Equal((1, 0), AnsiblePlaybook.Recap(check));
        Assert.Equal(before, _ns.NftListRuleset());
        // Check mode's diff: the nft commands the run would send.
        Assert.Contains("+ add rule inet filter output counter log prefix \"NFT-EGRESS-DROP \" level info drop", check.StdOut);
        Assert.Contains("+ add table inet filter", check.StdOut);

        var first = _ansible.Run(_ns.Name, playbook, policy.Concat(new[] { "--diff" }).ToArray());
        Assert.True(first.ExitCode == 0, first.StdOut + first.StdErr);
        Assert.Equal((1, 0), AnsiblePlaybook.Recap(first));
        // A real run's diff: the managed tables before and after, as nft prints them.
        Assert.Contains("+\t\tcounter log prefix \"NFT-EGRESS-DROP \" level info drop", first.StdOut);
        Assert.Contains("+table inet filter {", first.StdOut);
        Assert.Equal(ScenarioUsers.ExpectedListing("egress-allowlist"), _ns.Nft("list", "table", "inet", "filter").EnsureSuccess("list").StdOut);
        Assert.Contains("meta skuid " + ScenarioUsers.AppUserUid, first.StdOut); // nftables_info's facts, shown by the debug task

        var second = _ansible.Run(_ns.Name, playbook, policy);
        Assert.True(second.ExitCode == 0, second.StdOut + second.StdErr);
        Assert.Equal((0, 0), AnsiblePlaybook.Recap(second));
        Assert.Contains("table ip other", _ns.NftListRuleset());
        Assert.StartsWith(before, _ns.NftListRuleset());
    }

    [KernelFact]
    public void A_bad_rule_fails_the_task_with_the_caret_message_and_changes_nothing()
    {
        Require();
        _ns.Flush();
        _ns.NftLoad(Other).EnsureSuccess("load other table");
        string before = _ns.NftListRuleset();
        string play = _ansible.Write("bad.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - nftps.nftables.nftables_ruleset:
                    content: |
                      table inet filter {
                        chain output {
                          type filter hook output priority 0; policy accept;
                          tcp dport 99999 accept
                        }
                      }
            """);
        var run = _ansible.Run(_ns.Name, play);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal((0, 1), AnsiblePlaybook.Recap(run));
        Assert.Contains("99999", run.StdOut);
        Assert.Contains("^^^^^", run.StdOut);
        Assert.Equal(before, _ns.NftListRuleset());
    }

    [KernelFact]
    public void The_modules_are_documented_for_ansible_doc()
    {
        Require();
        foreach (var module in new[] { "nftps.nftables.nftables_ruleset", "nftps.nftables.nftables_info" })
        {
            var doc = ProcessRunner.Run("ansible-doc", new[] { module }, env: new Dictionary<string, string>
            {
                ["ANSIBLE_COLLECTIONS_PATH"] = Path.Combine(TestEnvironment.RepoRoot, "ansible"),
                ["ANSIBLE_HOME"] = Path.Combine(_ansible.Folder, "home"),
                ["HOME"] = _ansible.Folder,
                ["ANSIBLE_CONFIG"] = Path.Combine(_ansible.Folder, "none.cfg"),
            });
            Assert.True(doc.ExitCode == 0, doc.StdErr);
            Assert.Contains("OPTIONS", doc.StdOut);
            Assert.Contains("netns", doc.StdOut);
        }
    }
}
