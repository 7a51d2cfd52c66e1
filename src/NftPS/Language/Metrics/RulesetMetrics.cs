using System.Security.Cryptography;
using System.Text;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Language.Metrics;

/// <summary>A described ruleset's counters as Prometheus metrics. Rules are labelled by what identifies them across a
/// reload (family, table, chain, comment, and a short hash of the rule's stateless text), never by handle, which a
/// recreated rule does not keep. Identical rules in one chain are told apart by their order among themselves
/// (label <c>copy</c>), so no two rules share a series.</summary>
internal static class RulesetMetrics
{
    public const string Prefix = "nftables_";

    public static string Format(NftRuleset ruleset)
    {
        var p = new PrometheusText();
        WriteRules(p, ruleset);
        WriteObjects(p, ruleset);
        WriteSets(p, ruleset);
        return p.ToString();
    }

    /// <summary>12 hex digits of SHA-256 over the rule's stateless text: stable while the rule's statements are.</summary>
    public static string RuleHash(string statelessText)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(statelessText), hash);
        return Convert.ToHexString(hash[..6]).ToLowerInvariant();
    }

    private static void WriteRules(PrometheusText p, NftRuleset rs)
    {
        var counted = rs.Rules.Where(r => r.Counter is not null).ToList();
        if (counted.Count == 0) return;
        var seen = new Dictionary<(NftFamily, string, string, string, string), int>();
        var rows = new List<(List<(string, string)> Labels, NftRule Rule)>();
        foreach (var rule in counted)
        {
            string comment = rule.Comment ?? "", hash = RuleHash(rule.StatelessText);
            var key = (rule.Family, rule.Table, rule.Chain, comment, hash);
            int copy = seen.TryGetValue(key, out int n) ? n : 0;
            seen[key] = copy + 1;
            rows.Add((new List<(string, string)>
            {
                ("family", rule.Family.ToKeyword()), ("table", rule.Table), ("chain", rule.Chain), ("comment", comment),
                ("rule", hash), ("copy", copy.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }, rule));
        }
        p.Family(Prefix + "rule_packets_total", "counter", "Packets counted by the counter statement of a rule.");
        foreach (var (labels, rule) in rows) p.Sample(Prefix + "rule_packets_total", labels, rule.Counter ?? 0);
        p.Family(Prefix + "rule_bytes_total", "counter", "Bytes counted by the counter statement of a rule.");
        foreach (var (labels, rule) in rows) p.Sample(Prefix + "rule_bytes_total", labels, rule.Bytes ?? 0);
    }

    private static void WriteObjects(PrometheusText p, NftRuleset rs)
    {
        static List<(string, string)> Labels(NftNamedObject o) =>
            [("family", o.Family.ToKeyword()), ("table", o.Table), ("name", o.Name), ("comment", o.Comment ?? "")];
        var counters = rs.Objects.Where(o => o.Type == NftObjectType.Counter).ToList();
        if (counters.Count > 0)
        {
            // "object_", not "counter_": promtool refuses a counter whose name repeats its type.
            p.Family(Prefix + "object_packets_total", "counter", "Packets counted by a named counter.");
            foreach (var o in counters) p.Sample(Prefix + "object_packets_total", Labels(o), o.Packets ?? 0);
            p.Family(Prefix + "object_bytes_total", "counter", "Bytes counted by a named counter.");
            foreach (var o in counters) p.Sample(Prefix + "object_bytes_total", Labels(o), o.Bytes ?? 0);
        }
        var quotas = rs.Objects.Where(o => o.Type == NftObjectType.Quota).ToList();
        if (quotas.Count > 0)
        {
            p.Family(Prefix + "quota_used_bytes_total", "counter", "Bytes a named quota has consumed.");
            foreach (var o in quotas) p.Sample(Prefix + "quota_used_bytes_total", Labels(o), o.Consumed ?? 0);
            p.Family(Prefix + "quota_limit_bytes", "gauge", "The byte limit of a named quota.");
            foreach (var o in quotas) p.Sample(Prefix + "quota_limit_bytes", Labels(o), o.Bytes ?? 0);
        }
    }

    private static void WriteSets(PrometheusText p, NftRuleset rs)
    {
        var sets = rs.Sets.Where(s => !s.IsAnonymous).ToList();
        if (sets.Count == 0) return;
        static List<(string, string)> Labels(NftSet s) =>
            [("family", s.Family.ToKeyword()), ("table", s.Table), ("set", s.Name)];
        // Elements as nft lists them (interval end markers folded into their start), each with its printed value.
        var described = sets.Select(s => (Set: s, Elements: Printing.SetElementPrinter.DescribeElements(s, rs))).ToList();
        p.Family(Prefix + "set_elements", "gauge", "Elements in a named set or map, as nft lists them.");
        foreach (var (s, elements) in described) p.Sample(Prefix + "set_elements", Labels(s), (ulong)elements.Count);
        var counted = described.SelectMany(d => d.Elements.Where(e => e.Element.Counter is not null)
            .Select(e => (d.Set, e.Element, e.Value))).ToList();
        if (counted.Count == 0) return;
        List<(string, string)> ElementLabels(NftSet s, string value) => [.. Labels(s), ("element", value)];
        p.Family(Prefix + "set_element_packets_total", "counter", "Packets counted by the counter of a set element.");
        foreach (var (s, e, v) in counted) p.Sample(Prefix + "set_element_packets_total", ElementLabels(s, v), e.Counter ?? 0);
        p.Family(Prefix + "set_element_bytes_total", "counter", "Bytes counted by the counter of a set element.");
        foreach (var (s, e, v) in counted) p.Sample(Prefix + "set_element_bytes_total", ElementLabels(s, v), e.Bytes ?? 0);
    }
}
