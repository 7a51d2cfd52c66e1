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
    private protected bool GuardRule(ChangeScope scope, NftRule? rule)
    {
        if (rule is null || scope.WhatIf || IsWhatIf()) return true;
        if (rule.Facts.Action is not (NftRuleAction.Drop or NftRuleAction.Reject)) return true;
        var ssh = SshConnection.FromEnvironment();
        if (!LockoutRisk.CarriesCaller(rule.Family, ssh)) return true;
        var chain = TryReadForLockoutCheck(new RulesetQuery
        {
            Family = rule.Family, Table = rule.Table, Chain = rule.Chain, IncludeRules = false, IncludeSets = false,
            IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false,
        })?.FindChain(rule.Family, rule.Table, rule.Chain);
        // A chain created in the same transaction is not in the kernel yet: its own creation is what is guarded.
        return chain is null || ConfirmLockoutRisk(LockoutRisk.OfRule(chain, rule, ssh));
    }

    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? w is SwitchParameter { IsPresent: true } or true
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
}
