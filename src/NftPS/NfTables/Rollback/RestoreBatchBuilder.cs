using NftPS.Netlink;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Rollback;

/// <summary>A snapshot cannot be restored faithfully (a chain bound to a rule, a table another process owns): the
/// change is refused before anything is applied, rather than armed with a rollback that would lose something.</summary>
public sealed class RollbackUnsupportedException : Exception
{
    public RollbackUnsupportedException(string message) : base(message) { }
}

/// <summary>The restore batch's messages, encoded: netlink messages back to back (sequence numbers are set when they
/// are sent). <see cref="Core"/> deletes the scoped tables and recreates them; each dynamic set's snapshot elements
/// are a segment of their own, sent only when the set's current elements cannot be (see <see cref="RollbackReplay"/>).</summary>
public sealed record RestoreMessages(byte[] Bytes, Segment Core, IReadOnlyList<DynamicSetSegment> DynamicSets);

/// <summary>A range of <see cref="RestoreMessages.Bytes"/>.</summary>
public sealed record Segment(int Offset, int Length, int Count);

/// <summary>A set whose content traffic writes (flag dynamic or timeout: bans, meters), with its snapshot elements.</summary>
public sealed record DynamicSetSegment(NftFamily Family, string Table, string Set, Segment Elements);

/// <summary>Turns a scoped snapshot into the typed operations that put it back: for each scoped table `add table`
/// then `delete table` (together: delete it whether or not it exists now), then, when the snapshot holds it, the
/// table, its chains, flowtables, named objects, sets with their elements and the rules of every chain in order.
/// A table absent from the snapshot (the change created it) is only deleted.</summary>
internal static class RestoreBatchBuilder
{
    private const int ElementsPerMessage = 500;
    private const uint AnonymousSet = 0x1, TimeoutSet = 0x10, DynamicSet = 0x20;

    public static bool IsDynamic(NftSet s) => (s.Flags & AnonymousSet) == 0 && (s.Flags & (TimeoutSet | DynamicSet)) != 0;

    /// <summary>Encodes the restore batch. With <paramref name="preserveDynamicSets"/> the dynamic sets' elements go
    /// in their own segments, so the agent can send what the sets hold at rollback time instead.</summary>
    public static RestoreMessages Encode(NftRuleset scoped, IReadOnlyList<ScopedTable> scope, bool preserveDynamicSets)
    {
        var core = new NftBatch();
        var dynamicBatches = new List<(NftSet Set, NftBatch Batch)>();
        foreach (var table in scope)
        {
            core.Add(new TableOperation(NftVerb.Add, table.Family, table.Name));
            core.Add(new TableOperation(NftVerb.Delete, table.Family, table.Name));
            if (scoped.FindTable(table.Family, table.Name) is { } t) Recreate(core, scoped, t, preserveDynamicSets, dynamicBatches);
        }
        var w = new NetlinkWriter(64 * 1024);
        var coreSegment = Write(w, core);
        var segments = dynamicBatches.Select(d => new DynamicSetSegment(d.Set.Family, d.Set.Table, d.Set.Name, Write(w, d.Batch))).ToList();
        return new RestoreMessages(w.ToArray(), coreSegment, segments);
    }

    private static Segment Write(NetlinkWriter w, NftBatch batch)
    {
        int start = w.Length;
        foreach (var op in batch.TypedOperations) NftOperationEncoder.WriteMessage(w, op, NetlinkConstants.NLM_F_REQUEST, 0);
        return new Segment(start, w.Length - start, batch.Count);
    }

    /// <summary>The element messages for <paramref name="set"/> holding <paramref name="elements"/>.</summary>
    public static void EncodeElements(NetlinkWriter w, NftSet set, IReadOnlyList<NftSetElement> elements)
    {
        var batch = new NftBatch();
        AddElements(batch, set, elements);
        foreach (var op in batch.TypedOperations) NftOperationEncoder.WriteMessage(w, op, NetlinkConstants.NLM_F_REQUEST, 0);
    }

    private static void Recreate(NftBatch batch, NftRuleset s, NftTable table, bool preserveDynamic, List<(NftSet, NftBatch)> dynamic)
    {
        var f = table.Family;
        string name = table.Name;
        if ((table.Flags & ~1u) != 0)
            throw new RollbackUnsupportedException($"Table {table} is owned by a process (flags 0x{table.Flags:x}): a rollback cannot delete and recreate it.");
        batch.Add(new TableOperation(NftVerb.Add, f, name) { Flags = table.Flags & 1, Comment = table.Comment });

        var chains = s.Chains.Where(c => c.Family == f && c.Table == name).ToList();
        if (chains.FirstOrDefault(c => c.IsBinding) is { } bound)
            throw new RollbackUnsupportedException($"Table {table} holds {bound}, bound to a rule's `jump {{ }}` verdict: a rollback cannot recreate it yet; write the chain as a named chain.");
        foreach (var c in chains)
        {
            batch.Add(new ChainOperation(NftVerb.Add, f, name, c.Name)
            {
                Hook = c.HookNumber is { } hook ? new ChainHookSpec(c.Type ?? "filter", hook, c.Priority ?? 0, c.Devices.Length == 0 ? null : c.Devices) : null,
                Policy = c.IsBaseChain ? c.Policy : null,
                Comment = c.Comment,
            });
        }
        foreach (var ft in s.Flowtables.Where(x => x.Family == f && x.Table == name))
            batch.Add(new FlowtableOperation(NftVerb.Add, f, name, ft.Name) { Priority = ft.Priority, Devices = ft.Devices, Flags = ft.Flags });
        foreach (var o in s.Objects.Where(x => x.Family == f && x.Table == name))
        {
            batch.Add(new ObjectOperation(NftVerb.Add, f, name, o.Name, (uint)o.Type, o.TypeKeyword ?? o.Type.ToString().ToLowerInvariant())
            {
                Body = new RawObjectBody(o.Data), BodyText = "restored from a snapshot", Comment = o.Comment,
            });
        }
        foreach (var set in s.Sets.Where(x => x.Family == f && x.Table == name))
        {
            // The kernel requires a batch-local set id on every new set (NFTA_SET_ID), used or not.
            batch.Add(new SetOperation(NftVerb.Add, f, name, set.Name)
            {
                Spec = SpecOf(set) with { SetId = (uint)batch.Count + 1 }, DefinitionText = "restored from a snapshot",
            });
            if (preserveDynamic && IsDynamic(set))
            {
                var own = new NftBatch();
                AddElements(own, set, set.Elements);
                dynamic.Add((set, own));
            }
            else AddElements(batch, set, set.Elements);
        }
        foreach (var c in chains)
        {
            foreach (var r in s.Rules.Where(x => x.Family == f && x.Table == name && x.Chain == c.Name).OrderBy(x => x.Position))
            {
                batch.Add(new RuleOperation(NftVerb.Add, f, name, c.Name)
                {
                    Expressions = r.Expressions, Text = r.Text, Comment = r.Comment,
                });
            }
        }
    }

    private static SetSpec SpecOf(NftSet set) => new()
    {
        Name = set.Name,
        Flags = set.Flags,
        KeyType = set.KeyType,
        KeyLength = set.KeyLength,
        DataType = set.DataType,
        DataLength = set.DataLength,
        ObjectType = set.ObjectType,
        Policy = set.Policy,
        Size = set.Size,
        ConcatFieldLengths = set.ConcatFieldLengths.Length == 0 ? null : set.ConcatFieldLengths,
        TimeoutMs = set.Timeout is { } t ? (ulong)t.TotalMilliseconds : null,
        GcIntervalMs = set.GcInterval is { } gc ? (uint)gc.TotalMilliseconds : null,
        UserData = set.UserData,
        Expressions = set.Expressions.Count == 0 ? null : set.Expressions,
    };

    private static void AddElements(NftBatch batch, NftSet set, IReadOnlyList<NftSetElement> elements)
    {
        var specs = elements.Select(ElementOf).ToList();
        for (int at = 0; at < specs.Count; at += ElementsPerMessage)
        {
            batch.Add(new ElementOperation(NftVerb.Add, set.Family, set.Table, set.Name)
            {
                Elements = specs.GetRange(at, Math.Min(ElementsPerMessage, specs.Count - at)),
                OfAnonymousSet = set.IsAnonymous,
                Continuation = at > 0,
            });
        }
    }

    private static ElementSpec ElementOf(NftSetElement e)
    {
        bool open = e.UserData is { } ud && ((UserData.GetU32(ud, UserData.ElementFlags) ?? 0) & UserData.ElementIntervalOpen) != 0;
        return new ElementSpec
        {
            Key = e.Key,
            KeyEnd = e.KeyEnd,
            Data = e.Data,
            Verdict = e.Verdict,
            Flags = e.Flags,
            TimeoutMs = e.Timeout is { } t ? (ulong)t.TotalMilliseconds : null,
            // An element that would expire keeps the time it had left, not a fresh timeout.
            ExpirationMs = e.Expires is { } x && x > TimeSpan.Zero ? (ulong)Math.Max(1, x.TotalMilliseconds) : null,
            Comment = e.Comment,
            IntervalOpen = open,
            ObjectReference = e.ObjectReference,
            Expressions = e.Expressions.Count == 0 ? null : e.Expressions,
        };
    }
}
