using NftPS.NfTables.Expressions;
using NftPS.NfTables.Operations;

namespace NftPS.NfTables;

public sealed partial class NftBatch
{
    private const uint SetDynamic = 0x20; // NFT_SET_EVAL

    /// <summary>nft 1.0.6 gives `flags dynamic` to a set its transaction declares when a rule of the same transaction
    /// adds, updates or deletes its elements from the packet path (`add @s { ip saddr }`; a map statement with data,
    /// `add @m { k : v }`, leaves the map as declared). A set declared in an earlier transaction keeps its flags.</summary>
    private void MarkSetsUpdatedBy(RuleOperation rule)
    {
        if (rule.Verb is not (NftVerb.Add or NftVerb.Insert or NftVerb.Replace or NftVerb.Create)) return;
        foreach (var e in rule.Expressions)
        {
            if (e is not DynsetExpression { SourceDataRegister: null } d) continue;
            for (int i = _operations.Count - 1; i >= 0; i--)
            {
                if (_operations[i].Operation is not SetOperation s || s.Family != rule.Family || s.Table != rule.Table || s.Name != d.SetName
                    || s.Verb == NftVerb.Flush) continue;
                if (s.Verb is NftVerb.Add or NftVerb.Create && s.Spec is { } spec && (spec.Flags & SetDynamic) == 0)
                    _operations[i].Replace(s with { Spec = spec with { Flags = spec.Flags | SetDynamic } });
                break;
            }
        }
    }
}
