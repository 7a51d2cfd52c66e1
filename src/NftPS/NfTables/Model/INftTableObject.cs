namespace NftPS.NfTables.Model;

/// <summary>An object that lives in a table under a name: chains, sets and maps, named objects, flowtables.</summary>
public interface INftTableObject
{
    NftFamily Family { get; }
    string Table { get; }
    string Name { get; }
    ulong Handle { get; }
}
