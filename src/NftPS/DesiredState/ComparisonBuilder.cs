using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.DesiredState;

/// <summary>Builds one comparison: walks each managed table (objects, sets, flowtables, chains and their rules),
/// records a difference per change with the operations that make it, and orders every operation into phases so the
/// kernel accepts the batch: rules that go are deleted first (they hold references), then what is re-created is
/// deleted, then tables, objects, sets, flowtables and chains are created, elements changed, rules written, and
/// last what the host has and the desired state does not (chains flushed before any is deleted, since a rule in
/// one may jump to another).</summary>
internal sealed partial class ComparisonBuilder
{
    // A table's flags change first, as nft sends a file's `table` line first: the kernel refuses to wake a dormant
    // table after a base chain of it was deleted in the same batch.
    private enum Phase
    {
        TableUpdate, RuleDelete, RecreateChain, RecreateOther, CreateTable, CreateObject, CreateSet, CreateFlowtable, CreateChain,
        ChainUpdate, ElementDelete, ElementAdd, RuleWrite, RemoveChainFlush, RemoveChain, RemoveOther, RemoveTable,
    }

    private readonly NftRuleset _live;
    private readonly DesiredRuleset _desired;
    private readonly DesiredStateOptions _options;
    private readonly List<NftOperation>[] _phases = Enumerable.Range(0, Enum.GetValues<Phase>().Length).Select(_ => new List<NftOperation>()).ToArray();
    private readonly List<NftDifference?> _differences = new();
    private readonly Dictionary<NftDifference, byte[]> _ruleKeys = new(ReferenceEqualityComparer.Instance);
    private uint _ruleId;

    public ComparisonBuilder(NftRuleset live, DesiredRuleset desired, DesiredStateOptions options)
    {
        _live = live;
        _desired = desired;
        _options = options;
    }

    public RulesetComparison Build()
    {
        var managed = RulesetComparer.ManagedTables(_desired);
        var index = LiveTable.Index(_live, managed);
        foreach (var table in _desired.Tables) CompareTable(table, index[(table.Family, table.Name)]);
        foreach (var (family, name) in _desired.AbsentTables)
        {
            if (index[(family, name)].Table is not { } t) continue;
            var op = new TableOperation(NftVerb.Delete, family, name) { Handle = t.Handle };
            Record(NftDifferenceChange.Remove, NftDifferenceObject.Table, family, name, null, null,
                ops: new[] { (Phase.RemoveTable, (NftOperation)op) }, handle: t.Handle, before: DifferenceText.Table(t),
                reason: "the desired state deletes this table");
        }
        MergeMoves();
        return new RulesetComparison
        {
            Differences = _differences.Where(d => d is not null).Select(d => d!).ToArray(),
            Operations = _phases.SelectMany(p => p).ToArray(),
            Generation = _live.Generation,
            ManagedTables = managed,
        };
    }

    /// <summary>Queues <paramref name="ops"/> into their phases and records the difference they make.</summary>
    private NftDifference Record(NftDifferenceChange change, NftDifferenceObject kind, NftFamily family, string table, string? chain,
        string? name, IEnumerable<(Phase Phase, NftOperation Op)> ops, int? position = null, ulong? handle = null,
        string? before = null, string? after = null, string? reason = null)
    {
        var list = new List<NftOperation>();
        foreach (var (phase, op) in ops)
        {
            op.Validate();
            _phases[(int)phase].Add(op);
            list.Add(op);
        }
        var d = new NftDifference
        {
            Change = change, ObjectKind = kind, Family = family, Table = table, Chain = chain, Name = name, Position = position,
            Handle = handle, Before = before, After = after, Reason = reason, Operations = list, NetworkNamespace = _live.NetworkNamespace,
        };
        _differences.Add(d);
        return d;
    }

    private void CompareTable(DesiredTable desired, LiveTable live)
    {
        var family = desired.Family;
        if (live.Table is null)
        {
            Record(NftDifferenceChange.Add, NftDifferenceObject.Table, family, desired.Name, null, null,
                new[] { (Phase.CreateTable, (NftOperation)AsAdd(desired.Create)) }, after: DifferenceText.Table(desired.Model));
        }
        else if ((live.Table.Flags & 1) != (desired.Model.Flags & 1) || live.Table.Comment != desired.Model.Comment)
        {
            var op = new TableOperation(NftVerb.Add, family, desired.Name) { Flags = desired.Model.Flags & 1, Comment = desired.Model.Comment };
            Record(NftDifferenceChange.Update, NftDifferenceObject.Table, family, desired.Name, null, null,
                new[] { (Phase.TableUpdate, (NftOperation)op) }, handle: live.Table.Handle,
                before: DifferenceText.Table(live.Table), after: DifferenceText.Table(desired.Model),
                reason: live.Table.Comment != desired.Model.Comment ? "comment changed" : "flags changed");
        }

        var recreated = new Recreated();
        CompareObjects(desired, live, recreated);
        CompareSets(desired, live, recreated);
        CompareFlowtables(desired, live, recreated);
        CompareChains(desired, live, recreated);
    }

    private static TableOperation AsAdd(TableOperation t) =>
        t.Verb == NftVerb.Add ? t : new TableOperation(NftVerb.Add, t.Family, t.Name) { Flags = t.Flags, Comment = t.Comment };

    /// <summary>Names re-created in this table: host rules referring to them are deleted before them and the desired
    /// rules added again after.</summary>
    private sealed class Recreated
    {
        public HashSet<string> Sets { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Objects { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Flowtables { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Chains { get; } = new(StringComparer.Ordinal);
        public bool Any => Sets.Count + Objects.Count + Flowtables.Count > 0;
    }

    // ---- named objects ----

    private void CompareObjects(DesiredTable desired, LiveTable live, Recreated recreated)
    {
        var family = desired.Family;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in desired.Objects.Items)
        {
            string key = LiveTable.ObjectKey((uint)o.Model.Type, o.Model.Name);
            seen.Add(key);
            var add = AsAdd(o.Create);
            if (!live.Objects.TryGetValue(key, out var l))
            {
                Record(NftDifferenceChange.Add, NftDifferenceObject.Object, family, desired.Name, null, o.Model.Name,
                    new[] { (Phase.CreateObject, (NftOperation)add) }, after: add.ToCommandText());
                continue;
            }
            if (ObjectDefinition(l).AsSpan().SequenceEqual(ObjectDefinition(o.Model)) && l.Comment == o.Model.Comment) continue;
            recreated.Objects.Add(o.Model.Name);
            var del = new ObjectOperation(NftVerb.Delete, family, desired.Name, l.Name, (uint)l.Type, o.Create.TypeKeyword) { Handle = l.Handle };
            Record(NftDifferenceChange.Recreate, NftDifferenceObject.Object, family, desired.Name, null, o.Model.Name,
                new[] { (Phase.RecreateOther, (NftOperation)del), (Phase.CreateObject, add) }, handle: l.Handle,
                before: DifferenceText.Object(l), after: add.ToCommandText(),
                reason: "definition changed: the object is deleted and created again, with the rules that refer to it");
        }
        if (!_options.Purge) return;
        foreach (var l in live.ObjectOrder)
        {
            if (seen.Contains(LiveTable.ObjectKey((uint)l.Type, l.Name))) continue;
            var del = new ObjectOperation(NftVerb.Delete, family, desired.Name, l.Name, (uint)l.Type, l.TypeKeyword ?? "obj") { Handle = l.Handle };
            Record(NftDifferenceChange.Remove, NftDifferenceObject.Object, family, desired.Name, null, l.Name,
                new[] { (Phase.RemoveOther, (NftOperation)del) }, handle: l.Handle, before: DifferenceText.Object(l));
        }
    }

    /// <summary>An object's definition without its state: counter values and quota usage count only when asked.</summary>
    private byte[] ObjectDefinition(NftNamedObject o)
    {
        bool values = _options.IncludeObjectValues;
        if (o.Type == NftObjectType.CtHelper) return CtHelperDefinition(o.Data);
        if (o.Type == NftObjectType.CtTimeout) return CtTimeoutDefinition(o.Data, (ushort)o.Family);
        if (o.Type is not (NftObjectType.Counter or NftObjectType.Quota)) return o.Data;
        var w = new NetlinkWriter(64);
        var r = new NetlinkAttributeReader(o.Data);
        while (r.TryRead(out var a))
        {
            if (o.Type == NftObjectType.Counter)
            {
                if (values && a.Type is 1 or 2) w.WriteBytes(a.Type, a.Payload);
            }
            else if (a.Type == 1) w.WriteBytes(1, a.Payload);
            else if (a.Type == 2) w.WriteBe32(2, a.GetBe32() & 1);
            else if (a.Type == 4 && values) w.WriteBytes(4, a.Payload);
        }
        return w.ToArray();
    }

    /// <summary>A ct helper's name and layer-4 protocol: its layer-3 protocol is the table's unless given, and the
    /// kernel reports the one it took.</summary>
    private static byte[] CtHelperDefinition(byte[] data)
    {
        var w = new NetlinkWriter(64);
        var r = new NetlinkAttributeReader(data);
        while (r.TryRead(out var a))
            if (a.Type is 1 or 3) w.WriteBytes(a.Type, a.Payload);
        return w.ToArray();
    }

    /// <summary>A ct timeout's layer-3 protocol (the table's family unless given: the kernel reports the one it
    /// took), layer-4 protocol and state timeouts, whatever nesting flag the kernel's dump carries.</summary>
    private static byte[] CtTimeoutDefinition(byte[] data, ushort tableFamily)
    {
        ushort l3 = tableFamily;
        var w = new NetlinkWriter(128);
        var r = new NetlinkAttributeReader(data);
        while (r.TryRead(out var a))
        {
            if (a.Type == 1) l3 = a.GetBe16();
            else if (a.Type == 2) w.WriteBytes(2, a.Payload);
            else if (a.Type == 3)
            {
                var states = a.GetNested();
                while (states.TryRead(out var t)) w.WriteBytes((ushort)(0x100 + t.Type), t.Payload);
            }
        }
        w.WriteBe16(1, l3);
        return w.ToArray();
    }

    private static ObjectOperation AsAdd(ObjectOperation o) => o.Verb == NftVerb.Add ? o
        : new ObjectOperation(NftVerb.Add, o.Family, o.Table, o.Name, o.ObjectType, o.TypeKeyword) { Body = o.Body, BodyText = o.BodyText, Comment = o.Comment };

    // ---- flowtables ----

    private void CompareFlowtables(DesiredTable desired, LiveTable live, Recreated recreated)
    {
        var family = desired.Family;
        foreach (var f in desired.Flowtables.Items)
        {
            var add = f.Create.Verb == NftVerb.Add ? f.Create
                : new FlowtableOperation(NftVerb.Add, family, f.Create.Table, f.Create.Name)
                    { Priority = f.Create.Priority, Devices = f.Create.Devices, Flags = f.Create.Flags };
            if (!live.Flowtables.TryGetValue(f.Model.Name, out var l))
            {
                Record(NftDifferenceChange.Add, NftDifferenceObject.Flowtable, family, desired.Name, null, f.Model.Name,
                    new[] { (Phase.CreateFlowtable, (NftOperation)add) }, after: DifferenceText.Flowtable(f.Model));
                continue;
            }
            if (l.HookNumber == f.Model.HookNumber && l.Priority == f.Model.Priority && l.Flags == f.Model.Flags &&
                l.Devices.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(f.Model.Devices.OrderBy(x => x, StringComparer.Ordinal))) continue;
            recreated.Flowtables.Add(f.Model.Name);
            var del = new FlowtableOperation(NftVerb.Delete, family, desired.Name, l.Name) { Handle = l.Handle };
            Record(NftDifferenceChange.Recreate, NftDifferenceObject.Flowtable, family, desired.Name, null, f.Model.Name,
                new[] { (Phase.RecreateOther, (NftOperation)del), (Phase.CreateFlowtable, add) }, handle: l.Handle,
                before: DifferenceText.Flowtable(l), after: DifferenceText.Flowtable(f.Model),
                reason: "hook, priority, devices or flags changed: the flowtable is deleted and created again");
        }
        if (!_options.Purge) return;
        foreach (var l in live.FlowtableOrder)
        {
            if (desired.Flowtables.Find(l.Name) is not null) continue;
            var del = new FlowtableOperation(NftVerb.Delete, family, desired.Name, l.Name) { Handle = l.Handle };
            Record(NftDifferenceChange.Remove, NftDifferenceObject.Flowtable, family, desired.Name, null, l.Name,
                new[] { (Phase.RemoveOther, (NftOperation)del) }, handle: l.Handle, before: DifferenceText.Flowtable(l));
        }
    }
}
