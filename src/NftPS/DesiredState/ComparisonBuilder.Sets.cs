using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.DesiredState;

internal sealed partial class ComparisonBuilder
{
    private const uint DynamicFlag = 0x20, TimeoutFlag = 0x10;

    private void CompareSets(DesiredTable desired, LiveTable live, Recreated recreated)
    {
        var family = desired.Family;
        // Sets a rule of the desired state fills from the packet path (`add @s { ip saddr }`): their content is the
        // host's business unless asked.
        var updated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in desired.Chains.Items)
            foreach (var r in c.Rules)
                foreach (var e in r.Model.Expressions)
                    if (e is DynsetExpression d) updated.Add(d.SetName);

        foreach (var s in desired.Sets.Items)
        {
            var add = AsAdd(s.Create);
            var kind = s.Model.IsMap ? NftDifferenceObject.Map : NftDifferenceObject.Set;
            if (!live.Sets.TryGetValue(s.Model.Name, out var l))
            {
                var ops = new List<(Phase, NftOperation)> { (Phase.CreateSet, add) };
                ops.AddRange(ElementOps(NftVerb.Add, s, s.Specs, Phase.ElementAdd));
                Record(NftDifferenceChange.Add, kind, family, desired.Name, null, s.Model.Name, ops,
                    after: DifferenceText.Set(s.Model, _desired.Model));
                continue;
            }
            if (!SameDefinition(l, s.Model))
            {
                recreated.Sets.Add(s.Model.Name);
                var ops = new List<(Phase, NftOperation)>
                {
                    (Phase.RecreateOther, new SetOperation(NftVerb.Delete, family, desired.Name, l.Name) { Handle = l.Handle, IsMap = l.IsMap }),
                    (Phase.CreateSet, add),
                };
                ops.AddRange(ElementOps(NftVerb.Add, s, s.Specs, Phase.ElementAdd));
                Record(NftDifferenceChange.Recreate, kind, family, desired.Name, null, s.Model.Name, ops, handle: l.Handle,
                    before: DifferenceText.Set(l, _live), after: DifferenceText.Set(s.Model, _desired.Model),
                    reason: "definition changed (type, flags, timeout, size, policy, statements or comment): the set is deleted and created again with its elements, and the rules that refer to it are added again");
                continue;
            }
            bool leftAlone = !_options.IncludeDynamicElements &&
                ((s.Model.Flags & DynamicFlag) != 0 || ((s.Model.Flags & TimeoutFlag) != 0 && updated.Contains(s.Model.Name)));
            if (!leftAlone) CompareElements(desired, s, l, kind);
        }
        if (!_options.Purge) return;
        foreach (var l in live.SetOrder)
        {
            if (desired.Sets.Find(l.Name) is not null) continue;
            var del = new SetOperation(NftVerb.Delete, family, desired.Name, l.Name) { Handle = l.Handle, IsMap = l.IsMap };
            Record(NftDifferenceChange.Remove, l.IsMap ? NftDifferenceObject.Map : NftDifferenceObject.Set, family, desired.Name, null, l.Name,
                new[] { (Phase.RemoveOther, (NftOperation)del) }, handle: l.Handle, before: DifferenceText.Set(l, _live));
        }
    }

    private static SetOperation AsAdd(SetOperation s) => s.Verb == NftVerb.Add ? s
        : new SetOperation(NftVerb.Add, s.Family, s.Table, s.Name) { Spec = s.Spec, DefinitionText = s.DefinitionText };

    /// <summary>Everything the kernel cannot change on an existing set.</summary>
    private static bool SameDefinition(NftSet a, NftSet desired) =>
        a.Flags == desired.Flags && a.KeyType == desired.KeyType && a.KeyLength == desired.KeyLength &&
        (a.DataType ?? 0) == (desired.DataType ?? 0) && RuleKeys.DataLength(a) == RuleKeys.DataLength(desired) &&
        (a.ObjectType ?? 0) == (desired.ObjectType ?? 0) && (a.Policy ?? 0) == (desired.Policy ?? 0) &&
        (a.Timeout ?? TimeSpan.Zero) == (desired.Timeout ?? TimeSpan.Zero) && (a.GcInterval ?? TimeSpan.Zero) == (desired.GcInterval ?? TimeSpan.Zero) &&
        // nft sends a size hint for a set declared with elements; only a declared size is a definition.
        (desired.Size is null || a.Size == desired.Size) && a.ConcatFieldLengths.SequenceEqual(desired.ConcatFieldLengths) &&
        // User data compared by meaning: nft adds fields (data interval: no) that change nothing.
        SameByteOrder(a, desired) && a.DataByteOrder == desired.DataByteOrder && a.AutoMerge == desired.AutoMerge &&
        (a.DataInterval ?? false) == (desired.DataInterval ?? false) && a.Comment == desired.Comment &&
        OperationEquality.SameBytes(a.KeyTypeof, desired.KeyTypeof) && OperationEquality.SameBytes(a.DataTypeof, desired.DataTypeof) &&
        OperationEquality.SameExpressions(a.Expressions.Select(RuleKeys.Mask).ToArray(), desired.Expressions.Select(RuleKeys.Mask).ToArray());

    /// <summary>A one-byte key has no byte order: nft may or may not record one.</summary>
    private static bool SameByteOrder(NftSet a, NftSet b) =>
        a.KeyByteOrder == b.KeyByteOrder || (a.KeyLength == 1 && (a.KeyByteOrder ?? 0) is 0 or 2 && (b.KeyByteOrder ?? 0) is 0 or 2);

    private IEnumerable<(Phase, NftOperation)> ElementOps(NftVerb verb, DesiredSet s, IReadOnlyList<ElementSpec> specs, Phase phase)
    {
        if (specs.Count == 0) return Array.Empty<(Phase, NftOperation)>();
        var staging = new NftBatch();
        var model = s.Model;
        var ruleset = _desired.Model;
        Func<ElementSpec, string> describe = e => DescribeSpec(model, e, ruleset);
        uint? setId = s.Create.Spec?.SetId;
        if (verb == NftVerb.Add) staging.AddElements(model.Family, model.Table, model.Name, specs, describe, setId);
        else staging.DeleteElements(model.Family, model.Table, model.Name, specs, describe);
        var ops = staging.TypedOperations;
        // An interval set's element is two kernel elements (start, and end with the interval-end flag): described one
        // by one they read as an open range and an empty one, so the command text is the whole message's elements
        // printed together, as a set listing shows them.
        if (model.IsInterval)
            ops = ops.Select(o => o is ElementOperation e
                ? e with { WrittenElements = DifferenceText.Elements(model, e.Elements.Select(ToElement), ruleset) }
                : o).ToList();
        return ops.Select(o => (phase, o)).ToArray();
    }

    private static NftSetElement ToElement(ElementSpec e) =>
        new() { Key = e.Key, KeyEnd = e.KeyEnd, Data = e.Data, Verdict = e.Verdict, Flags = e.Flags };

    private static string DescribeSpec(NftSet like, ElementSpec e, NftRuleset ruleset)
    {
        string text = DifferenceText.Elements(like, new[] { ToElement(e) }, ruleset);
        return text.Length > 4 ? text[2..^2] : text;
    }

    /// <summary>Elements diffed by identity (key, interval end, range end) and value; an interval set's ranges
    /// (start and end element) are one item, so a changed range is deleted and added whole.</summary>
    private void CompareElements(DesiredTable table, DesiredSet desired, NftSet live, NftDifferenceObject kind)
    {
        var liveItems = Items(live.Elements, live);
        var desiredItems = Items(desired.Model.Elements, desired.Model);
        // The definitions are the same here, so one side's statements stand for both.
        bool setStatements = desired.Model.Expressions.Count > 0;
        var removed = new List<int>();
        var added = new List<int>();
        foreach (var (id, item) in liveItems)
        {
            bool wanted = desiredItems.TryGetValue(id, out var d);
            if (wanted && SameValues(live.Elements, item, desired.Model.Elements, d, setStatements)) continue;
            // Without purge only an element whose value changed goes (deleted and added again); the host's others stay.
            if (!wanted && !_options.Purge) continue;
            item.AddTo(removed);
        }
        foreach (var (id, item) in desiredItems)
        {
            if (liveItems.TryGetValue(id, out var l) && SameValues(live.Elements, l, desired.Model.Elements, item, setStatements)) continue;
            item.AddTo(added);
        }
        var family = table.Family;
        if (removed.Count > 0)
        {
            removed.Sort();
            var specs = removed.Select(i => ToDeleteSpec(live.Elements[i])).ToArray();
            Record(NftDifferenceChange.Remove, NftDifferenceObject.Element, family, table.Name, null, live.Name,
                ElementOps(NftVerb.Delete, desired, specs, Phase.ElementDelete),
                before: DifferenceText.Elements(live, removed.Select(i => live.Elements[i]), _live));
        }
        if (added.Count > 0)
        {
            added.Sort();
            var specs = added.Select(i => desired.Specs[i]).ToArray();
            // The set exists: elements are added to it by name, not by the batch id of its creation.
            var ops = ElementOps(NftVerb.Add, desired, specs, Phase.ElementAdd)
                .Select(p => (p.Item1, p.Item2 is ElementOperation e ? (NftOperation)(e with { SetId = null }) : p.Item2)).ToArray();
            Record(NftDifferenceChange.Add, NftDifferenceObject.Element, family, table.Name, null, desired.Model.Name, ops,
                after: DifferenceText.Elements(desired.Model, added.Select(i => desired.Model.Elements[i]), _desired.Model));
        }
    }

    private static ElementSpec ToDeleteSpec(NftSetElement e) => new() { Key = e.Key, KeyEnd = e.KeyEnd, Flags = e.Flags & 0x3 };

    private static bool SameValues(List<NftSetElement> a, Item ai, List<NftSetElement> b, Item bi, bool setStatements)
    {
        if (ai.Count != bi.Count) return false;
        if (!ElementKeys.Value(a[ai.First], setStatements).Equals(ElementKeys.Value(b[bi.First], setStatements))) return false;
        return ai.Count == 1 || ElementKeys.Value(a[ai.End], setStatements).Equals(ElementKeys.Value(b[bi.End], setStatements));
    }

    /// <summary>One element (<see cref="End"/> -1) or a range's start and end element, by index: a struct, so
    /// 100,000 elements cost no list each.</summary>
    private readonly record struct Item(int First, int End = -1)
    {
        public int Count => End < 0 ? 1 : 2;

        public void AddTo(List<int> list)
        {
            list.Add(First);
            if (End >= 0) list.Add(End);
        }
    }

    /// <summary>Items of a set: one element each, or for an interval set of one field a range start with the end
    /// element after it (keys compared as the kernel orders them).</summary>
    private static Dictionary<ElementKeys.Id, Item> Items(List<NftSetElement> elements, NftSet set)
    {
        var items = new Dictionary<ElementKeys.Id, Item>(elements.Count);
        bool ranges = set.IsInterval && elements.All(e => e.KeyEnd is null);
        if (!ranges)
        {
            for (int i = 0; i < elements.Count; i++) items[ElementKeys.Identity(elements[i])] = new Item(i);
            return items;
        }
        bool host = set.KeyByteOrder == 1 && set.ConcatFieldLengths.Length == 0;
        var order = Enumerable.Range(0, elements.Count).ToArray();
        Array.Sort(order, (x, y) =>
        {
            int c = CompareKeys(elements[x].Key, elements[y].Key, host);
            // At one key an end comes before a start: [a, b) then [b, c).
            return c != 0 ? c : (elements[y].Flags & 1).CompareTo(elements[x].Flags & 1);
        });
        for (int k = 0; k < order.Length; k++)
        {
            var e = elements[order[k]];
            if ((e.Flags & 1) == 0 && k + 1 < order.Length && (elements[order[k + 1]].Flags & 1) != 0)
            {
                var end = elements[order[k + 1]];
                items[ElementKeys.Range(e, end)] = new Item(order[k], order[k + 1]);
                k++;
            }
            else items[ElementKeys.Identity(e)] = new Item(order[k]);
        }
        return items;
    }

    private static int CompareKeys(byte[]? a, byte[]? b, bool hostOrder)
    {
        a ??= Array.Empty<byte>();
        b ??= Array.Empty<byte>();
        if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
        if (!hostOrder || !BitConverter.IsLittleEndian) return a.AsSpan().SequenceCompareTo(b);
        for (int i = a.Length - 1; i >= 0; i--)
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return 0;
    }
}
