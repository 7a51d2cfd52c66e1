using System.Management.Automation;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Rollback;

namespace NftPS.Cmdlets.Changes;

public abstract partial class NftChangeCmdletBase
{
    /// <summary>The lockout guard for a rule about to be added or replaced (New-NftRule, Set-NftRule): a drop or reject
    /// on an input/forward base chain of the family carrying the caller that can match the caller's SSH connection is
    /// warned about and confirmed as <see cref="ConfirmLockoutRisk"/> does. Skipped under -WhatIf (nothing changes).
    /// Returns whether to go on.</summary>
    /// <paramref name="earlier"/> picks, from the chain's rules in order, those that will come before the rule (an
    /// accept among them that takes the caller's connection means no risk); null when unknown.
    private protected bool GuardRule(ChangeScope scope, NftRule? rule, Func<IReadOnlyList<NftRule>, IEnumerable<NftRule>?> earlier)
    {
        if (rule is null || scope.WhatIf || IsWhatIf()) return true;
        // The cheap question first: a rule's facts (its typed reading) cost more than the rest of adding it.
        var ssh = SshConnection.FromEnvironment();
        if (!LockoutRisk.CarriesCaller(rule.Family, ssh)) return true;
        if (rule.Facts.Action is not (NftRuleAction.Drop or NftRuleAction.Reject)) return true;
        var read = TryReadForLockoutCheck(new RulesetQuery
        {
            Family = rule.Family, Table = rule.Table, Chain = rule.Chain, IncludeRules = true, IncludeSets = true,
            IncludeElements = true, IncludeObjects = false, IncludeFlowtables = false,
        });
        // A chain created in the same transaction is not in the kernel yet: its own creation is what is guarded.
        if (read?.FindChain(rule.Family, rule.Table, rule.Chain) is not { } chain) return true;
        var rules = read.Rules.Where(r => r.Family == rule.Family && r.Table == rule.Table && r.Chain == rule.Chain).ToList();
        return ConfirmLockoutRisk(LockoutRisk.OfRule(chain, rule, ssh, earlier(rules)));
    }

    /// <summary>The rules before the one with <paramref name="handle"/> (or up to and including it).</summary>
    private protected static IEnumerable<NftRule> RulesBefore(IReadOnlyList<NftRule> rules, ulong handle, bool including)
    {
        int at = rules.ToList().FindIndex(r => r.Handle == handle);
        return at < 0 ? Array.Empty<NftRule>() : rules.Take(including ? at + 1 : at);
    }

    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? w is SwitchParameter { IsPresent: true } or true
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
}
