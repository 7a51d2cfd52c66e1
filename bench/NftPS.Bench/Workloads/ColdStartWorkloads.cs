namespace NftPS.Bench.Workloads;

/// <summary>Cold start as users pay it (issue 18): a small ruleset, and pwsh started fresh for every run (the real-pwsh
/// column). The in-session and harness-process columns run the same call in a warm session / a fresh harness process.</summary>
public sealed class ColdStart : Workload
{
    public enum Kind
    {
        /// <summary>`pwsh -NoProfile -c 'Import-Module NftPS; Get-NftRule'` against bare `pwsh -NoProfile -c 1`
        /// (measured alternately in the same rounds), vs `nft list ruleset`.</summary>
        GetRule,
        /// <summary>The first New-NftRule in a fresh pwsh (timed inside it, after Import-Module), vs `nft add rule`.</summary>
        NewRule,
    }

    public const double MaxOverBarePwshMs = 80;
    public const double MaxImportMs = 100;
    public const double MaxFirstNewRuleMs = 20;

    private const string Ruleset = """
        table inet filter {
        	set allow {
        		type ipv4_addr
        		elements = { 10.0.0.1, 10.0.0.2 }
        	}
        	chain input {
        		type filter hook input priority filter; policy accept;
        		tcp dport 22 accept
        		ip saddr @allow counter accept
        		udp dport 53 accept
        	}
        }

        """;

    private readonly Kind _kind;

    public ColdStart(Kind kind) => _kind = kind;

    public override string Id => _kind == Kind.GetRule ? "cold-get-rule" : "cold-new-rule";
    public override string Description => _kind == Kind.GetRule
        ? "fresh `pwsh -NoProfile -c 'Import-Module NftPS; Get-NftRule'` on a 3-rule ruleset vs `nft list ruleset` (and bare `pwsh -NoProfile -c 1`)"
        : "the first New-NftRule in a fresh pwsh (after Import-Module) vs `nft add rule`";
    public override string NftPsVia => "cmdlet";

    public override Target? PwshTarget => _kind == Kind.GetRule
        ? new Target($"≤ bare pwsh + {MaxOverBarePwshMs:0} ms")
        : new Target($"first call ≤ {MaxFirstNewRuleMs:0} ms, Import-Module ≤ {MaxImportMs:0} ms");

    public override void Reset(BenchContext context, int run)
    {
        context.Flush();
        context.NftLoad("cold.nft", Ruleset);
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => _kind == Kind.GetRule
        ? new[] { new[] { "list", "ruleset" } }
        : new[] { new[] { "add", "rule", "inet", "filter", "input", "tcp", "dport", Port(run), "accept" } };

    public override void RunNftPs(NftPsSession session, int run) => session.Invoke(_kind == Kind.GetRule
        ? "Get-NftRule -NetworkNamespace $ns"
        : $"New-NftRule -NetworkNamespace $ns -Family inet -Table filter -Chain input -Rule 'tcp dport {Port(run)} accept'");

    /// <summary>GetRule runs exactly the command line users type (the process is already in the namespace, so no
    /// -NetworkNamespace); NewRule is a script that times its first call.</summary>
    public override PwshWork? Pwsh(BenchContext context, int run) => _kind == Kind.GetRule
        ? new PwshWork("", "", new[] { "-c", $"Import-Module '{BenchPaths.ModuleManifest}'; Get-NftRule" })
        : new PwshWork("", $"New-NftRule -Family inet -Table filter -Chain input -Rule 'tcp dport {Port(run)} accept'");

    /// <summary>The baseline the GetRule target is measured against, in the same rounds.</summary>
    public static readonly string[] BarePwsh = { "-c", "1" };

    private static string Port(int run) => (10_000 + run).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
