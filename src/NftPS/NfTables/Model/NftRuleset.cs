namespace NftPS.NfTables.Model;

/// <summary>A consistent snapshot of everything in one namespace, read at one ruleset generation.</summary>
public sealed class NftRuleset
{
    public uint Generation { get; set; }
    public string Host { get; set; } = NftObjectBase.LocalHostName;
    public string? NetworkNamespace { get; set; }
    public List<NftTable> Tables { get; } = new();
    public List<NftChain> Chains { get; } = new();
    public List<NftSet> Sets { get; } = new();
    public List<NftNamedObject> Objects { get; } = new();
    public List<NftFlowtable> Flowtables { get; } = new();
    public List<NftRule> Rules { get; } = new();

    /// <summary>Adds every object of <paramref name="part"/> (a snapshot of one table) to this ruleset: the readers
    /// that read tables one by one at one generation (desired state, rollback) build their snapshot this way.</summary>
    public void Append(NftRuleset part)
    {
        Tables.AddRange(part.Tables);
        Chains.AddRange(part.Chains);
        Sets.AddRange(part.Sets);
        Objects.AddRange(part.Objects);
        Flowtables.AddRange(part.Flowtables);
        Rules.AddRange(part.Rules);
    }

    public NftSet? FindSet(NftFamily family, string table, string name) =>
        Sets.Find(s => s.Family == family && s.Table == table && s.Name == name);

    public NftChain? FindChain(NftFamily family, string table, string name) =>
        Chains.Find(c => c.Family == family && c.Table == table && c.Name == name);

    public NftTable? FindTable(NftFamily family, string name) =>
        Tables.Find(t => t.Family == family && t.Name == name);
}
