using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>Runs ansible-playbook for real, inside a private namespace (`ip netns exec NS ansible-playbook -i
/// localhost, -c local ...`), with the repository's collection and the built nftps. Everything Ansible writes (its
/// local and remote temp, its home, retry files) goes to a temp folder of the test's own, never into the repository
/// or $HOME.</summary>
public sealed class AnsiblePlaybook : IDisposable
{
    public AnsiblePlaybook()
    {
        Folder = Path.Combine(Path.GetTempPath(), "nftps-ansible-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public static string? UnavailableReason =>
        !ProcessRunner.Exists("ansible-playbook") ? "ansible-playbook is not installed (tools/prerequisites.sh installs ansible-core)"
        : !File.Exists(Nftps) ? $"{Nftps} is not built (dotnet build)"
        : null;

    public static string Nftps => Path.Combine(PowerShellHost.ModuleDirectory, "nftps");

    public string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public ProcessResult Run(string netns, string playbook, params string[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["ANSIBLE_COLLECTIONS_PATH"] = Path.Combine(TestEnvironment.RepoRoot, "ansible"),
            ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(Folder, "local"),
            ["ANSIBLE_REMOTE_TEMP"] = Path.Combine(Folder, "remote"),
            ["ANSIBLE_HOME"] = Path.Combine(Folder, "home"),
            ["HOME"] = Folder,
            ["ANSIBLE_RETRY_FILES_ENABLED"] = "false",
            ["ANSIBLE_NOCOLOR"] = "1",
            ["ANSIBLE_FORCE_COLOR"] = "0",
            ["ANSIBLE_PYTHON_INTERPRETER"] = "/usr/bin/python3",
            ["ANSIBLE_STDOUT_CALLBACK"] = "default",
            ["ANSIBLE_CONFIG"] = Path.Combine(Folder, "none.cfg"), // no ansible.cfg from the working directory
            ["NFTPS_PATH"] = Nftps,
        };
        return ProcessRunner.Run("ip", new[] { "netns", "exec", netns, "ansible-playbook", "-i", "localhost,", "-c", "local", playbook }.Concat(extra), env: env);
    }

    /// <summary>The PLAY RECAP numbers of localhost: "ok=2 changed=1 unreachable=0 failed=0 ...".</summary>
    public static (int Changed, int Failed) Recap(ProcessResult run)
    {
        var line = run.StdOut.Split('\n').LastOrDefault(l => l.StartsWith("localhost", StringComparison.Ordinal) && l.Contains("changed="))
                   ?? throw new Xunit.Sdk.XunitException($"no PLAY RECAP in:\n{run.StdOut}\n{run.StdErr}");
        int Number(string key)
        {
            int at = line.IndexOf(key + "=", StringComparison.Ordinal) + key.Length + 1;
            return int.Parse(new string(line[at..].TakeWhile(char.IsDigit).ToArray()));
        }
        return (Number("changed"), Number("failed"));
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
