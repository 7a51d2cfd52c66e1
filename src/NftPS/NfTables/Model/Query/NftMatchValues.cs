using System.Net;
using System.Text;

namespace NftPS.NfTables.Model;

/// <summary>What a rule matches on the common fields, one array per field, named like New-NftRule's parameters.
/// A rule has two of these: the values it requires (its own properties: `$rule.DestinationPort`) and the values it
/// excludes (`$rule.Not.DestinationPort` for `tcp dport != 22`). Keeping the excluded ones apart means
/// `Where DestinationPort -contains 22` never finds a rule that matches every port but 22.
/// Values are typed: ports are ints (a range is an <see cref="NftPortRange"/>), addresses are
/// <see cref="IPAddress"/> (a prefix is an <see cref="IPNetwork"/>, a range an <see cref="NftAddressRange"/>),
/// users are uids, the rest are strings as nft prints them (interface "eth*" keeps its wildcard).
/// A set literal (`tcp dport { 25, 465, 587 }`) gives one entry per element; a named set (`@allowed`) gives none
/// (its name is in the rule's Sets).</summary>
public sealed class NftMatchValues
{
    public static readonly NftMatchValues Empty = new();

    public string[] Protocol { get; init; } = Array.Empty<string>();
    public object[] SourceAddress { get; init; } = Array.Empty<object>();
    public object[] DestinationAddress { get; init; } = Array.Empty<object>();
    public object[] SourcePort { get; init; } = Array.Empty<object>();
    public object[] DestinationPort { get; init; } = Array.Empty<object>();
    public string[] InputInterface { get; init; } = Array.Empty<string>();
    public string[] OutputInterface { get; init; } = Array.Empty<string>();
    public string[] ConnectionState { get; init; } = Array.Empty<string>();
    /// <summary>Socket owner uids (meta skuid).</summary>
    public uint[] User { get; init; } = Array.Empty<uint>();

    public bool IsEmpty =>
        Protocol.Length == 0 && SourceAddress.Length == 0 && DestinationAddress.Length == 0 && SourcePort.Length == 0 &&
        DestinationPort.Length == 0 && InputInterface.Length == 0 && OutputInterface.Length == 0 &&
        ConnectionState.Length == 0 && User.Length == 0;

    /// <summary>"DestinationPort=22; SourceAddress=10.0.0.0/8" (empty when nothing is matched), for views.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        void Add<T>(string name, T[] values)
        {
            if (values.Length == 0) return;
            if (sb.Length > 0) sb.Append("; ");
            sb.Append(name).Append('=').Append(string.Join(",", values.Select(v => v?.ToString())));
        }
        Add(nameof(Protocol), Protocol);
        Add(nameof(SourceAddress), SourceAddress);
        Add(nameof(DestinationAddress), DestinationAddress);
        Add(nameof(SourcePort), SourcePort);
        Add(nameof(DestinationPort), DestinationPort);
        Add(nameof(InputInterface), InputInterface);
        Add(nameof(OutputInterface), OutputInterface);
        Add(nameof(ConnectionState), ConnectionState);
        Add(nameof(User), User);
        return sb.ToString();
    }
}
