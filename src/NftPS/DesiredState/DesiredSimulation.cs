using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.DesiredState;

/// <summary>Plays a compiled batch the way the kernel would, building the state it leaves. Each object's model
/// comes from encoding its operation and decoding the attributes with the decoder that reads kernel dumps (NEW*
/// requests and dump messages share attribute layouts), so desired and live objects have one shape.</summary>
internal sealed class DesiredSimulation
{
    private readonly List<DesiredTable> _tables = new();
    private readonly List<(NftFamily, string)> _named = new();
    private readonly List<NftOperation> _pending = new();
    private readonly NetlinkWriter _w = new(1024);

    private DesiredTable? FindTable(NftFamily family, string name) => _tables.Find(t => t.Family == family && t.Name == name);

    private DesiredTable Table(NftOperation op, string name) =>
        FindTable(op.Family, name) ?? throw new NftDesiredStateException(
            $"'{op.ToCommandText()}' refers to table {op.Family.ToKeyword()} {name}, which the desired state does not create.");

    private void Named(NftFamily family, string table)
    {
        if (!_named.Contains((family, table))) _named.Add((family, table));
    }

    private ReadOnlySpan<byte> Encode(NftOperation op)
    {
        _w.Reset();
        NftOperationEncoder.WriteAttributes(_w, op);
        return _w.WrittenSpan;
    }

    public void Apply(NftOperation op)
    {
        switch (op)
        {
            case RulesetOperation r:
                _tables.RemoveAll(t => r.Family == NftFamily.Unspecified || t.Family == r.Family);
                break;
            case TableOperation t: ApplyTable(t); break;
            case ChainOperation c: ApplyChain(c); break;
            case ChainPolicyOperation p:
                {
                    var chain = Table(p, p.Table).Chains.Find(p.Chain) ?? throw Missing(p, "chain", p.Chain);
                    chain.Model.Policy = p.Policy.ToLowerInvariant();
                    chain.Create = chain.Create with { Policy = p.Policy.ToLowerInvariant() };
                    break;
                }
            case BoundChainOperation: _pending.Add(op); break;
            case RuleOperation { ChainId: not null }: _pending.Add(op); break;
            case RuleOperation r: ApplyRule(r); break;
            case SetOperation s when s.IsImplied: _pending.Add(op); break;
            case SetOperation s: ApplySet(s); break;
            case ElementOperation { OfAnonymousSet: true }: _pending.Add(op); break;
            case ElementOperation e: ApplyElements(e, e.Table, e.Set, e.Elements); break;
            case ElementKeysOperation k:
                {
                    var specs = new List<ElementSpec>(k.Count);
                    for (int at = 0; at < k.Keys.Length; at += k.KeyLength) specs.Add(new ElementSpec { Key = k.Keys.Slice(at, k.KeyLength).ToArray() });
                    ApplyElements(k, k.Table, k.Set, specs);
                    break;
                }
            case ObjectOperation o: ApplyObject(o); break;
            case FlowtableOperation f: ApplyFlowtable(f); break;
            default:
                throw new NftDesiredStateException($"'{op.ToCommandText()}' cannot be part of a desired state.");
        }
    }

    private static NftDesiredStateException Missing(NftOperation op, string what, string name) =>
        new($"'{op.ToCommandText()}' refers to {what} {name}, which the desired state does not create.");

    private static NftDesiredStateException ByHandle(NftOperation op) =>
        new($"'{op.ToCommandText()}' names an object by its handle, which only a live ruleset has: a desired state names objects.");

    private void ApplyTable(TableOperation t)
    {
        Named(t.Family, t.Name);
        if (t.Handle is not null) throw ByHandle(t);
        var existing = FindTable(t.Family, t.Name);
        switch (t.Verb)
        {
            case NftVerb.Add or NftVerb.Create:
                if (existing is null)
                {
                    var model = NftMessageDecoder.DecodeTable(t.Family, Encode(t));
                    model.Family = t.Family;
                    _tables.Add(new DesiredTable(model, t));
                }
                else
                {
                    // Re-adding a table sets its flags (nft always sends them); a comment given is kept.
                    existing.Model.Flags = t.Flags;
                    if (t.Comment is not null) existing.Model.Comment = t.Comment;
                    existing.Create = existing.Create with { Flags = t.Flags, Comment = t.Comment ?? existing.Create.Comment };
                }
                break;
            case NftVerb.Flush:
                if (existing is not null) foreach (var c in existing.Chains.Items) c.Rules.Clear();
                break;
            default:
                if (existing is not null) _tables.Remove(existing);
                break;
        }
    }

    private void ApplyChain(ChainOperation c)
    {
        if (c.Handle is not null) throw ByHandle(c);
        var table = Table(c, c.Table);
        var existing = table.Chains.Find(c.Name);
        switch (c.Verb)
        {
            case NftVerb.Add or NftVerb.Create:
                if (existing is null)
                {
                    var model = NftMessageDecoder.DecodeChain(c.Family, Encode(c));
                    model.Family = c.Family;
                    table.Chains.Set(c.Name, new DesiredChain(model, c));
                }
                else if (c.Policy is not null || c.Hook is not null)
                {
                    var create = existing.Create with { Hook = c.Hook ?? existing.Create.Hook, Policy = c.Policy ?? existing.Create.Policy };
                    var model = NftMessageDecoder.DecodeChain(c.Family, Encode(create));
                    model.Family = c.Family;
                    existing.Model = model;
                    existing.Create = create;
                }
                break;
            case NftVerb.Flush:
                existing?.Rules.Clear();
                break;
            default:
                table.Chains.Remove(c.Name);
                break;
        }
    }

    private void ApplyRule(RuleOperation r)
    {
        if (r.Verb is not (NftVerb.Add or NftVerb.Insert) || r.Placement.Handle is not null || r.Placement.RuleIdInBatch is not null)
            throw ByHandle(r);
        var chain = Table(r, r.Table).Chains.Find(r.Chain) ?? throw Missing(r, "chain", r.Chain);
        var model = NftMessageDecoder.DecodeRule(r.Family, Encode(r));
        model.Family = r.Family;
        model.Table = r.Table;
        model.Chain = r.Chain;
        model.Text = r.Text;
        model.StatelessText = r.Text;
        var rule = new DesiredRule(model, r, _pending.ToArray());
        _pending.Clear();
        if (r.Placement.Insert) chain.Rules.Insert(0, rule);
        else chain.Rules.Add(rule);
    }

    private void ApplySet(SetOperation s)
    {
        if (s.Handle is not null) throw ByHandle(s);
        var table = Table(s, s.Table);
        var existing = table.Sets.Find(s.Name);
        switch (s.Verb)
        {
            case NftVerb.Add or NftVerb.Create:
                if (existing is null)
                {
                    var model = NftMessageDecoder.DecodeSet(s.Family, Encode(s));
                    model.Family = s.Family;
                    model.ElementsLoaded = true;
                    table.Sets.Set(s.Name, new DesiredSet(model, s));
                }
                break;
            case NftVerb.Flush:
                if (existing is not null)
                {
                    existing.Model.Elements.Clear();
                    existing.Specs.Clear();
                    existing.KeyIndex = null;
                }
                break;
            default:
                table.Sets.Remove(s.Name);
                break;
        }
    }

    private void ApplyElements(NftOperation op, string tableName, string setName, IReadOnlyList<ElementSpec> specs)
    {
        var set = Table(op, tableName).Sets.Find(setName) ?? throw Missing(op, "set", setName);
        if (op.Verb is NftVerb.Add or NftVerb.Create)
        {
            var keys = set.KeyIndex ??= ElementKeys.Index(set.Model.Elements);
            var decoded = new List<NftSetElement>(specs.Count);
            if (AllKeysOnly(specs)) foreach (var spec in specs) decoded.Add(KeyOnly(spec, set.Model));
            else NftMessageDecoder.DecodeSetElements(Encode(op), set.Model, decoded.Add);
            if (decoded.Count != specs.Count)
                throw new NftDesiredStateException($"'{op.Describe()}': the elements did not read back as they were written.");
            for (int i = 0; i < decoded.Count; i++)
            {
                // Adding an element that is there already leaves it as it is (no NLM_F_EXCL), as the kernel does.
                if (!keys.TryAdd(ElementKeys.Identity(decoded[i]), set.Model.Elements.Count)) continue;
                set.Model.Elements.Add(decoded[i]);
                set.Specs.Add(specs[i]);
            }
        }
        else
        {
            var gone = new HashSet<ElementKeys.Id>();
            var probe = new NftSet { Family = set.Model.Family, Table = set.Model.Table, Name = set.Model.Name };
            var decoded = new List<NftSetElement>(specs.Count);
            NftMessageDecoder.DecodeSetElements(Encode(op), probe, decoded.Add);
            foreach (var e in decoded) gone.Add(ElementKeys.Identity(e));
            for (int i = set.Model.Elements.Count - 1; i >= 0; i--)
            {
                if (!gone.Contains(ElementKeys.Identity(set.Model.Elements[i]))) continue;
                set.Model.Elements.RemoveAt(i);
                set.Specs.RemoveAt(i);
            }
            set.KeyIndex = null;
        }
    }

    /// <summary>True when every element is a key, a range end and flags only (addresses, ports, prefixes): such an
    /// element reads back from its message exactly as written, so its model is made without the round trip that
    /// 100,000 elements would pay for.</summary>
    private static bool AllKeysOnly(IReadOnlyList<ElementSpec> specs)
    {
        for (int i = 0; i < specs.Count; i++)
        {
            var e = specs[i];
            if (e.Data is not null || e.Verdict is not null || e.TimeoutMs is not null || e.ExpirationMs is not null ||
                e.Comment is not null || e.IntervalOpen || e.ObjectReference is not null || e.Expressions is { Count: > 0 })
                return false;
        }
        return true;
    }

    private static NftSetElement KeyOnly(ElementSpec e, NftSet set) => new()
    {
        Family = set.Family, Table = set.Table, SetName = set.Name, Host = set.Host, NetworkNamespace = set.NetworkNamespace,
        Key = e.Key, KeyEnd = e.KeyEnd, Flags = e.Flags,
    };

    private void ApplyObject(ObjectOperation o)
    {
        if (o.Handle is not null) throw ByHandle(o);
        var table = Table(o, o.Table);
        string key = o.ObjectType + "/" + o.Name;
        if (o.Verb is NftVerb.Add or NftVerb.Create)
        {
            var model = NftMessageDecoder.DecodeObject(o.Family, Encode(o));
            model.Family = o.Family;
            table.Objects.Set(key, new DesiredObject(model, o));
        }
        else table.Objects.Remove(key);
    }

    private void ApplyFlowtable(FlowtableOperation f)
    {
        if (f.Handle is not null) throw ByHandle(f);
        var table = Table(f, f.Table);
        if (f.Verb is NftVerb.Add or NftVerb.Create)
        {
            var model = NftMessageDecoder.DecodeFlowtable(f.Family, Encode(f));
            model.Family = f.Family;
            table.Flowtables.Set(f.Name, new DesiredFlowtable(model, f));
        }
        else table.Flowtables.Remove(f.Name);
    }

    public DesiredRuleset Finish(Func<List<DesiredTable>, List<(NftFamily, string)>, DesiredRuleset> make)
    {
        if (_pending.Count > 0)
            throw new NftDesiredStateException($"'{_pending[0].ToCommandText()}' belongs to no rule of the desired state.");
        var absent = _named.Where(n => FindTable(n.Item1, n.Item2) is null).ToList();
        var ruleset = make(_tables, absent);
        foreach (var t in _tables)
        {
            var anonymous = new AnonymousSets();
            foreach (var c in t.Chains.Items)
                foreach (var r in c.Rules) RuleKeys.Fill(r, anonymous);
        }
        return ruleset;
    }
}
