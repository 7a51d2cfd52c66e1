using NftPS.NfTables.Model;

namespace NftPS.NfTables.Operations;

/// <summary>add/create/delete flowtable. A new flowtable has its ingress hook's priority, its devices and its flags
/// (counter, hardware offload); a deleted one is named (or given by handle).</summary>
internal sealed record FlowtableOperation : NftOperation
{
    public const uint OffloadFlag = 1, CounterFlag = 2; // NFT_FLOWTABLE_HW_OFFLOAD, NFT_FLOWTABLE_COUNTER

    public FlowtableOperation(NftVerb verb, NftFamily family, string table, string name) : base(verb, family)
    {
        Table = table;
        Name = name;
    }

    public string Table { get; }
    public string Name { get; }
    public ulong? Handle { get; init; }
    /// <summary>The hook's priority; null for a delete.</summary>
    public int? Priority { get; init; }
    public IReadOnlyList<string> Devices { get; init; } = Array.Empty<string>();
    public uint Flags { get; init; }

    public override NftObjectKind Kind => NftObjectKind.Flowtable;

    public override string ToCommandText()
    {
        string head = $"{VerbText} flowtable {FamilyText} {N(Table)}";
        if (Verb is NftVerb.Delete) return $"{head} {(Handle is { } h ? $"handle {h}" : N(Name))}";
        string devices = Devices.Count == 0 ? "" : $" devices = {{ {string.Join(", ", Devices.Select(Quote))} }};";
        string flags = (Flags & OffloadFlag) != 0 ? " flags offload;" : "";
        string counter = (Flags & CounterFlag) != 0 ? " counter;" : "";
        return $"{head} {N(Name)} {{ hook ingress priority {Priority};{devices}{flags}{counter} }}";
    }

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete, "this verb does not apply to a flowtable");
        if (Verb is NftVerb.Add or NftVerb.Create)
        {
            NftIdentifier.CheckName("flowtable name", Name);
            Require(Priority is not null, "a new flowtable needs its hook priority");
            Require((Flags & ~(OffloadFlag | CounterFlag)) == 0, "unknown flowtable flags");
            foreach (string d in Devices)
            {
                NftIdentifier.CheckInterfaceName("device", d);
                Require(d.Length > 0, "a device name cannot be empty");
            }
        }
        else Require(Handle is not null || !string.IsNullOrEmpty(Name), "a name or a handle is needed");
    }

    public bool Equals(FlowtableOperation? other) =>
        other is not null && base.Equals(other) && Table == other.Table && Name == other.Name && Handle == other.Handle &&
        Priority == other.Priority && Flags == other.Flags && Devices.SequenceEqual(other.Devices);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Table, Name, Handle, Priority, Flags);
}
