using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Language;

/// <summary>PLACEHOLDER until branch `lang` provides the real one: a rule's text as nft lists it (without comment
/// or handle). Here it only knows rules made of counters and verdicts; anything else shows the kernel expression
/// names, so callers can already print whole rulesets.</summary>
public static class RuleTextPrinter
{
    public static string Print(NftRule rule, NftRuleset ruleset, bool stateless)
    {
        var parts = new List<string>();
        bool understood = true;
        var list = new NftPS.Netlink.NetlinkAttributeReader(rule.RawExpressions);
        while (list.TryRead(out var elem))
        {
            if (elem.Type != 1) continue;
            NftMessageDecoder.ReadExpression(elem.Payload, out string name, out var data);
            switch (name)
            {
                case "counter":
                    parts.Add(stateless || rule.Counter is null ? "counter" : $"counter packets {rule.Counter} bytes {rule.Bytes ?? 0}");
                    break;
                case "immediate":
                    var r = new NftPS.Netlink.NetlinkAttributeReader(data);
                    string? verdict = null;
                    while (r.TryRead(out var a)) if (a.Type == 2) verdict = NftMessageDecoder.DecodeDataVerdict(a.Payload)?.ToString();
                    if (verdict is null) { understood = false; parts.Add("[immediate]"); }
                    else parts.Add(verdict);
                    break;
                default:
                    understood = false;
                    parts.Add("[" + name + "]");
                    break;
            }
        }
        rule.HasUndecodedExpressions = !understood;
        return string.Join(' ', parts);
    }
}
