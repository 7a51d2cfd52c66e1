using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Safety;

/// <summary>Every string a cmdlet takes, fed the texts that turned data into commands (issue 11): a value is never code.
/// After each call, in a private namespace: the sentinel table survives, no table appears that the call did not name,
/// nothing like the injected statement exists, and a refused call left the ruleset exactly as it was, with a designed
/// error (an ErrorCategory, and no runtime exception such as InvalidCastException) rather than a crash.</summary>
public class HostileParameterTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;
    private readonly ITestOutputHelper _out;

    public HostileParameterTests(ScriptFixture fx, ITestOutputHelper output) => (_fx, _out) = (fx, output);

    private const string Base = """
        table ip sentinel {
        	chain keep {
        	}
        }
        table inet t {
        	set s {
        		type ipv4_addr
        		flags interval
        	}
        	map m {
        		type inet_service : verdict
        	}
        	counter k {
        	}
        	chain c {
        		type filter hook input priority filter; policy accept;
        	}
        	chain d {
        		counter
        	}
        }
        table netdev nd {
        }

        """;

    /// <summary>The texts of the issue's reproductions and the acceptance's list, plus quotes that close a string early.</summary>
    public static readonly string[] Hostile =
    {
        "}", ";", "\"", "\n", "add table ip evil", "x\nadd table ip evil", "x; add table ip evil",
        "x }; add table ip evil; add element inet t s { 1.1.1.1",
        "1.1.1.1 }; add table ip evil; add element inet t s { 2.2.2.2",
        "22 meta mark set 5", "10.0.0.1 counter meta mark set 5",
        "x\" accept; add table ip evil; #", "lo\" ; add table ip evil ; \"", "x\0add table ip evil",
    };

    /// <summary>One call per case, the value under test in <c>$v</c> (the caller's string, never pasted into the script).</summary>
    public static readonly Dictionary<string, string> Cases = new()
    {
        ["New-NftTable -Name"] = "New-NftTable -NetworkNamespace $ns -Family inet -Name $v",
        ["New-NftTable -Comment"] = "New-NftTable -NetworkNamespace $ns -Family inet -Name n1 -Comment $v",
        ["New-NftChain -Table"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table $v -Name n2",
        ["New-NftChain -Name"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name $v",
        ["New-NftChain -Comment"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name n2 -Comment $v",
        ["New-NftChain -Type"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name n2 -Type $v -Hook output -Priority filter",
        ["New-NftChain -Hook"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name n2 -Type filter -Hook $v -Priority filter",
        ["New-NftChain -Priority"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name n2 -Type filter -Hook output -Priority $v",
        ["New-NftChain -Policy"] = "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name n2 -Type filter -Hook output -Priority filter -Policy $v",
        ["New-NftChain -Device"] = "New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name ing -Type filter -Hook ingress -Priority 0 -Device $v",
        ["New-NftRule -Rule"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Rule $v",
        ["New-NftRule -Table"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table $v -Chain d -Protocol tcp -DestinationPort 22 -Action Accept",
        ["New-NftRule -Chain"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain $v -Protocol tcp -DestinationPort 22 -Action Accept",
        ["New-NftRule -Protocol"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Protocol $v -Action Accept",
        ["New-NftRule -DestinationPort"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Protocol tcp -DestinationPort $v -Action Accept",
        ["New-NftRule -SourcePort"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Protocol udp -SourcePort $v -Action Accept",
        ["New-NftRule -SourceAddress"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -SourceAddress $v -Action Accept",
        ["New-NftRule -DestinationAddress"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -DestinationAddress $v -Action Drop",
        ["New-NftRule -InputInterface"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -InputInterface $v -Action Accept",
        ["New-NftRule -OutputInterface"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -OutputInterface $v -Action Accept",
        ["New-NftRule -ConnectionState"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -ConnectionState $v -Action Accept",
        ["New-NftRule -User"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -User $v -Action Accept",
        ["New-NftRule -LogPrefix"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -LogPrefix $v",
        ["New-NftRule -LogLevel"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Log -LogLevel $v",
        ["New-NftRule -Limit"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Limit $v -Action Accept",
        ["New-NftRule -Target"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Action Jump -Target $v",
        ["New-NftRule -Comment"] = "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Action Accept -Comment $v",
        ["Set-NftRule -Rule"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d | Set-NftRule -Rule $v",
        ["Set-NftRule -Comment"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d | Set-NftRule -Rule 'counter' -Comment $v",
        ["New-NftSet -Name"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name $v -Type ipv4_addr",
        ["New-NftSet -Type"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s2 -Type $v",
        ["New-NftSet -Typeof"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s2 -Typeof $v",
        ["New-NftSet -Flags"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s2 -Type ipv4_addr -Flags $v",
        ["New-NftSet -Policy"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s2 -Type ipv4_addr -Policy $v",
        ["New-NftSet -Comment"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s2 -Type ipv4_addr -Comment $v",
        ["New-NftSet -Element"] = "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s2 -Type ipv4_addr -Flags interval -Element $v",
        ["New-NftMap -DataType"] = "New-NftMap -NetworkNamespace $ns -Family inet -Table t -Name m2 -Type inet_service -DataType $v",
        ["New-NftMap -Element"] = "New-NftMap -NetworkNamespace $ns -Family inet -Table t -Name m2 -Type inet_service -DataType verdict -Element $v",
        ["New-NftObject -Name"] = "New-NftObject -NetworkNamespace $ns -Family inet -Table t -Name $v -Type counter",
        ["New-NftObject -Type"] = "New-NftObject -NetworkNamespace $ns -Family inet -Table t -Name o2 -Type $v",
        ["New-NftObject -Quota"] = "New-NftObject -NetworkNamespace $ns -Family inet -Table t -Name o2 -Type quota -Quota $v",
        ["New-NftObject -Rate"] = "New-NftObject -NetworkNamespace $ns -Family inet -Table t -Name o2 -Type limit -Rate $v",
        ["New-NftObject -Comment"] = "New-NftObject -NetworkNamespace $ns -Family inet -Table t -Name o2 -Type counter -Comment $v",
        ["Add-NftSetElement -Element"] = "Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element $v",
        ["Add-NftSetElement piped"] = "$v | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s",
        ["Add-NftSetElement -Comment"] = "Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element 10.9.9.9 -Comment $v",
        ["Add-NftSetElement -Set"] = "Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set $v -Element 10.9.9.9",
        ["Add-NftSetElement map data"] = "Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set m -Element @{ Key = 22; Value = $v }",
        ["Remove-NftSetElement -Element"] = "Remove-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element $v",
        ["Rename-NftChain -NewName"] = "Rename-NftChain -NetworkNamespace $ns -Family inet -Table t -Name d -NewName $v",
        ["Set-NftChain -Policy"] = "Set-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -Policy $v",
        ["Remove-NftTable -Name"] = "Remove-NftTable -NetworkNamespace $ns -Family ip -Name $v -Confirm:$false",
        ["Remove-NftChain -Name"] = "Remove-NftChain -NetworkNamespace $ns -Family inet -Table t -Name $v",
        ["Remove-NftSet -Name"] = "Remove-NftSet -NetworkNamespace $ns -Family inet -Table t -Name $v",
        ["Remove-NftObject -Name"] = "Remove-NftObject -NetworkNamespace $ns -Family inet -Table t -Type counter -Name $v",
        ["Clear-NftChain -Name"] = "Clear-NftChain -NetworkNamespace $ns -Family inet -Table t -Name $v -Confirm:$false",
        ["Clear-NftSet -Name"] = "Clear-NftSet -NetworkNamespace $ns -Family inet -Table t -Name $v",
        ["Reset-NftCounter -Name"] = "Reset-NftCounter -NetworkNamespace $ns -Family inet -Table t -Type counter -Name $v",
        ["Get-NftRule -Chain"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain $v",
        ["Get-NftRule -Protocol"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Protocol $v",
        ["Get-NftRule -SourceAddress"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -SourceAddress $v",
        ["Get-NftRule -DestinationAddress"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -DestinationAddress $v",
        ["Get-NftRule -SourcePort"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -SourcePort $v",
        ["Get-NftRule -DestinationPort"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -DestinationPort $v",
        ["Get-NftRule -InputInterface"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -InputInterface $v",
        ["Get-NftRule -OutputInterface"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -OutputInterface $v",
        ["Get-NftRule -ConnectionState"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -ConnectionState $v",
        ["Get-NftRule -User"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -User $v",
        ["Get-NftRule -Comment"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Comment $v",
        ["Get-NftRule -UsesSet"] = "Get-NftRule -NetworkNamespace $ns -Family inet -Table t -UsesSet $v",
        ["Move-NftRule -Chain"] = "Move-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain $v -Handle 1 -Position First",
        ["Move-NftRule -Position"] = "Move-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain d -Handle 1 -Position $v",
        ["Import-NftRuleset -Path"] = "Import-NftRuleset -NetworkNamespace $ns -Path $v",
        ["Set-NftRuleset -Path"] = "Set-NftRuleset -NetworkNamespace $ns -Path $v -Force",
        ["Set-NftRuleset -IncludePath"] = "Set-NftRuleset -NetworkNamespace $ns -Text 'table inet t { }' -IncludePath $v -KeepUnlisted -Force",
        ["Invoke-NftTransaction New-NftSet -Element"] =
            "Invoke-NftTransaction -NetworkNamespace $ns { New-NftSet -Family inet -Table t -Name s3 -Type ipv4_addr -Element $v }",
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    /// <summary>Runtime exceptions that mean a code path was never designed for the input, wherever they appear.</summary>
    private static readonly string[] RuntimeBugs =
    {
        nameof(NullReferenceException), nameof(InvalidCastException), nameof(OverflowException), nameof(IndexOutOfRangeException),
        nameof(ArgumentOutOfRangeException), nameof(KeyNotFoundException), nameof(NotImplementedException),
        nameof(DivideByZeroException), nameof(OutOfMemoryException), nameof(InsufficientExecutionStackException),
        "DecoderFallbackException", "EncoderFallbackException",
    };

    /// <summary>A designed error: one of NftPS's stable error ids (NftSyntaxError, NftInvalidElement, …) or PowerShell's
    /// own parameter binding and validation, with a category, and no runtime bug anywhere in its exception chain.</summary>
    private static IEnumerable<string> Undesigned(ErrorRecord e)
    {
        for (Exception? ex = e.Exception; ex is not null; ex = ex.InnerException)
            if (RuntimeBugs.Contains(ex.GetType().Name))
                yield return $"undesigned {ex.GetType().Name}: {ex.Message}";
        bool binding = e.Exception is ParameterBindingException or ValidationMetadataException;
        if (!binding && !e.FullyQualifiedErrorId.StartsWith("Nft", StringComparison.Ordinal))
            yield return $"error id {e.FullyQualifiedErrorId} is not one of NftPS's ({e.Exception.GetType().Name}: {e.Exception.Message})";
        if (!binding && e.CategoryInfo.Category == ErrorCategory.NotSpecified)
            yield return $"error without a category: {e.FullyQualifiedErrorId}: {e.Exception.Message}";
    }

    [KernelTheory]
    [MemberData(nameof(CaseNames))]
    public void A_hostile_value_is_one_value_or_refused(string caseName)
    {
        var host = _fx.Require();
        host.Run("$ConfirmPreference = 'None'; $ErrorActionPreference = 'Continue'");
        var failures = new List<string>();
        _fx.Namespace.NftLoad("flush ruleset\n" + Base).EnsureSuccess("nft -f base");
        var before = Listing.Read(_fx.Namespace);
        foreach (string value in Hostile)
        {
            host.SetVariable("v", value);
            var r = host.Run(Cases[caseName]);
            var after = Listing.Read(_fx.Namespace);
            string shown = JsonSerializer.Serialize(value);
            foreach (string problem in Check(caseName, value, r, before, after))
                failures.Add($"{shown}: {problem}");
            if (after.Text != before.Text) _fx.Namespace.NftLoad("flush ruleset\n" + Base).EnsureSuccess("nft -f base");
        }
        _out.WriteLine(failures.Count == 0 ? $"{caseName}: {Hostile.Length} hostile values, none became code" : string.Join("\n", failures));
        Assert.True(failures.Count == 0, $"{caseName}:\n" + string.Join("\n", failures));
    }

    private static IEnumerable<string> Check(string caseName, string value, PowerShellResult r, Listing before, Listing after)
    {
        if (!after.Tables.Contains(("ip", "sentinel"))) yield return "the sentinel table is gone";
        if (after.Tables.Any(t => t.Name == "evil")) yield return "table ip evil was created";
        // New-NftTable -Name may create exactly the table it was given (if the name is one nft can express).
        foreach (var t in after.Tables.Where(t => !before.Tables.Contains(t) && t != ("inet", "n1") &&
                                                  !(caseName == "New-NftTable -Name" && t.Name == value)))
            yield return $"an unexpected table appeared: {t.Family} {t.Name}";
        if (after.HasMarkSet) yield return "a 'meta mark set' statement was written";
        foreach (string problem in r.Errors.SelectMany(Undesigned)) yield return problem;
        if (r.HadErrors && before.Text != after.Text)
            yield return $"refused ({r.Errors[0].Exception.Message.Split('\n')[0]}) but the ruleset changed:\n{after.Text}";
    }

    /// <summary>One `nft -j list ruleset` in the namespace: its tables, whether any rule sets the packet mark, and the
    /// listing without handles (they change on every reload) to tell whether anything changed.</summary>
    private sealed record Listing(List<(string Family, string Name)> Tables, bool HasMarkSet, string Text)
    {
        public static Listing Read(PrivateNetworkNamespace ns)
        {
            var root = JsonNode.Parse(ns.Nft("-j", "list", "ruleset").EnsureSuccess("nft -j list ruleset").StdOut)!;
            var tables = new List<(string, string)>();
            bool mark = false;
            foreach (var item in root["nftables"]!.AsArray())
            {
                if (item?["table"] is { } t) tables.Add(((string)t["family"]!, (string)t["name"]!));
                if (item?["rule"]?["expr"] is JsonArray expr && expr.ToJsonString().Contains("\"mangle\"")) mark = true;
            }
            Strip(root);
            return new Listing(tables, mark, root.ToJsonString());
        }

        private static void Strip(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                o.Remove("handle");
                foreach (var p in o.ToList()) Strip(p.Value);
            }
            else if (node is JsonArray a) foreach (var x in a) Strip(x);
        }
    }
}
