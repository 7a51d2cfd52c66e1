namespace NftPS.NfTables.Model;

public sealed class NftFlowtable : NftObjectBase, INftTableObject
{
    public string Table { get; set; } = "";
    public string Name { get; set; } = "";
    public string Hook { get; set; } = "ingress";
    public uint HookNumber { get; set; }
    public int Priority { get; set; }
    public string PriorityText { get; set; } = "";
    public string[] Devices { get; set; } = Array.Empty<string>();
    /// <summary>NFT_FLOWTABLE_* (hw-offload 1, counter 2).</summary>
    public uint Flags { get; set; }
    public uint Use { get; set; }
    public override string ToString() => $"flowtable {Family.ToKeyword()} {Table} {Name}";
}
