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

    public NftSet? FindSet(NftFamily family, string table, string name) =>
        Sets.Find(s => s.Family == family && s.Table == table && s.Name == name);

    public NftChain? FindChain(NftFamily family, string table, string name) =>
        Chains.Find(c => c.Family == family && c.Table == table && c.Name == name);

    public NftTable? FindTable(NftFamily family, string name) =>
        Tables.Find(t => t.Family == family && t.Name == name);
}
