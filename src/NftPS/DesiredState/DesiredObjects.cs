using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.DesiredState;

/// <summary>A desired-state object could not be compiled into a state (a command that only makes sense against a
/// live ruleset, such as `delete rule … handle 7`), or the comparison met something it cannot converge.</summary>
public sealed class NftDesiredStateException : Exception
{
    public NftDesiredStateException(string message) : base(message) { }
}

/// <summary>A table of the desired state with its objects in the order the source creates them (the order the
/// kernel lists them after `nft -f`).</summary>
internal sealed class DesiredTable
{
    public DesiredTable(NftTable model, TableOperation create)
    {
        Model = model;
        Create = create;
    }

    public NftTable Model { get; set; }
    public TableOperation Create { get; set; }
    public NftFamily Family => Model.Family;
    public string Name => Model.Name;
    public OrderedByName<DesiredChain> Chains { get; } = new();
    public OrderedByName<DesiredSet> Sets { get; } = new();
    /// <summary>Named objects keyed "type/name" (a counter and a quota may share a name).</summary>
    public OrderedByName<DesiredObject> Objects { get; } = new();
    public OrderedByName<DesiredFlowtable> Flowtables { get; } = new();
}

internal sealed class DesiredChain
{
    public DesiredChain(NftChain model, ChainOperation create)
    {
        Model = model;
        Create = create;
    }

    public NftChain Model { get; set; }
    public ChainOperation Create { get; set; }
    public List<DesiredRule> Rules { get; } = new();
}

/// <summary>A rule with the operation that adds it and the operations it implies (its anonymous sets and their
/// elements, chains bound to its `jump { }` verdicts), which are sent with it.</summary>
internal sealed class DesiredRule
{
    public DesiredRule(NftRule model, RuleOperation add, IReadOnlyList<NftOperation> implied)
    {
        Model = model;
        Add = add;
        Implied = implied;
    }

    public NftRule Model { get; }
    public RuleOperation Add { get; }
    public IReadOnlyList<NftOperation> Implied { get; }
    /// <summary>The semantic identity (<see cref="RuleKeys"/>), filled once the rule is placed.</summary>
    public byte[] Key { get; set; } = Array.Empty<byte>();
    /// <summary>Names of the named sets and objects the rule refers to (recreating one of them re-adds the rule).</summary>
    public IReadOnlyList<string> SetNames { get; set; } = Array.Empty<string>();
    public IReadOnlyList<string> ObjectNames { get; set; } = Array.Empty<string>();
}

/// <summary>A named set or map with its elements; <see cref="Specs"/> is parallel to the model's elements (what is
/// sent to add one again).</summary>
internal sealed class DesiredSet
{
    public DesiredSet(NftSet model, SetOperation create)
    {
        Model = model;
        Create = create;
    }

    public NftSet Model { get; set; }
    public SetOperation Create { get; set; }
    public List<ElementSpec> Specs { get; } = new();
    /// <summary>The model's elements by identity while the simulation adds to them (a 100,000-element set comes in
    /// dozens of messages: indexing it again for each would cost quadratic time); null when it must be rebuilt.</summary>
    internal Dictionary<ElementKeys.Id, int>? KeyIndex { get; set; }
}

internal sealed class DesiredObject
{
    public DesiredObject(NftNamedObject model, ObjectOperation create)
    {
        Model = model;
        Create = create;
    }

    public NftNamedObject Model { get; }
    public ObjectOperation Create { get; }
}

internal sealed class DesiredFlowtable
{
    public DesiredFlowtable(NftFlowtable model, FlowtableOperation create)
    {
        Model = model;
        Create = create;
    }

    public NftFlowtable Model { get; }
    public FlowtableOperation Create { get; }
}

/// <summary>Objects by name, kept in creation order (a re-created name moves to the end, as in the kernel).</summary>
internal sealed class OrderedByName<T> where T : class
{
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private readonly List<(string Name, T Item)> _order = new();

    public int Count => _byName.Count;
    public T? Find(string name) => _byName.TryGetValue(name, out var t) ? t : null;

    public void Set(string name, T item)
    {
        if (_byName.ContainsKey(name)) Remove(name);
        _byName[name] = item;
        _order.Add((name, item));
    }

    public void Remove(string name)
    {
        if (!_byName.Remove(name)) return;
        _order.RemoveAll(p => p.Name == name);
    }

    public void Clear()
    {
        _byName.Clear();
        _order.Clear();
    }

    public IEnumerable<T> Items => _order.Select(p => p.Item);
    public IEnumerable<string> Names => _order.Select(p => p.Name);
}
