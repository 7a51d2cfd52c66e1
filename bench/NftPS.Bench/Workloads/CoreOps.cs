using NftPS.NfTables.Model;
using System.Buffers.Binary;
using System.Text;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;

namespace NftPS.Bench.Workloads;

/// <summary>The NftPS side of the write workloads through the core library, until New-NftRule/Add-NftSetElement exist:
/// expressions exactly as nft 1.0.6 linearizes the rule, elements as NETLINK-NOTES §7 describes them.</summary>
internal static class CoreOps
{
    public const string RuleTable = "filter", RuleChain = "output", SetTable = "t", Set = "s";

    /// <summary>Rule i's destination: 10.0.0.0 + i + 1 (distinct for i below 2^24).</summary>
    public static uint RuleAddress(int i) => 0x0A000000u + (uint)i + 1;
    public static ushort RulePort(int i) => (ushort)(1024 + i % 60000);

    public static string RuleText(int i) => $"ip daddr {Ip(RuleAddress(i))} tcp dport {RulePort(i)} counter accept";

    /// <summary>`ip daddr A tcp dport P counter accept` in an inet table, as `nft --debug=netlink` shows it:
    /// meta nfproto, cmp 2; payload nh+16 4b, cmp; meta l4proto, cmp 6; payload th+2 2b, cmp; counter; immediate accept.</summary>
    public static Expression[] RuleExpressions(uint address, ushort port)
    {
        var addr = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(addr, address);
        var portBytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(portBytes, port);
        return new Expression[]
        {
            new MetaExpression { Key = MetaKey.NfProto, DestinationRegister = 1 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 2 } },
            new PayloadExpression { DestinationRegister = 1, Base = PayloadBase.Network, Offset = 16, Length = 4 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = addr },
            new MetaExpression { Key = MetaKey.L4Proto, DestinationRegister = 1 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 6 } },
            new PayloadExpression { DestinationRegister = 1, Base = PayloadBase.Transport, Offset = 2, Length = 2 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = portBytes },
            new CounterExpression { Bytes = 0, Packets = 0 },
            new ImmediateExpression { DestinationRegister = 0, Verdict = new NftVerdict(VerdictCode.Accept) },
        };
    }

    /// <summary>W1 as nft text: one table, a base output chain, N rules.</summary>
    public static string RulesetText(int rules)
    {
        var sb = new StringBuilder(rules * 60 + 200);
        sb.Append("table inet filter {\n\tchain output {\n\t\ttype filter hook output priority 0; policy accept;\n");
        for (int i = 0; i < rules; i++) sb.Append("\t\t").Append(RuleText(i)).Append('\n');
        sb.Append("\t}\n}\n");
        return sb.ToString();
    }

    /// <summary>W1 through the core: table, chain, N rules in one batch.</summary>
    public static void AddRuleset(NftBatch batch, int rules)
    {
        batch.AddTable(NftFamily.Inet, RuleTable);
        batch.AddChain(NftFamily.Inet, RuleTable, RuleChain, new ChainHookSpec("filter", 3, 0), policy: "accept");
        for (int i = 0; i < rules; i++)
            batch.AddRule(NftFamily.Inet, RuleTable, RuleChain, RuleExpressions(RuleAddress(i), RulePort(i)), RuleText(i));
    }

    /// <summary>Element i of the plain sets: 10.0.0.0 + offset + i.</summary>
    public static uint ElementAddress(int i, uint offset = 0) => 0x0A000000u + offset + (uint)i;

    /// <summary>Prefix i of the interval set: 10.0.0.0/25 + i·256 (non-adjacent, so nft keeps them apart).</summary>
    public static uint PrefixAddress(int i) => 0x0A000000u + (uint)i * 256;

    public static string Ip(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    /// <summary>nft's user data for an ipv4_addr set: key byte order big-endian.</summary>
    public static byte[] Ipv4SetUserData() => new UserDataWriter().WriteU32(0, 2).ToArray();

    public static SetSpec PlainSet(uint? size = null) =>
        new() { Name = Set, KeyType = 7, KeyLength = 4, UserData = Ipv4SetUserData(), SetId = 1, Size = size };

    public static SetSpec IntervalSet() =>
        new() { Name = Set, KeyType = 7, KeyLength = 4, Flags = 0x4, UserData = Ipv4SetUserData(), SetId = 1 };

    public static IEnumerable<ElementSpec> PlainElements(int count, uint offset = 0)
    {
        for (int i = 0; i < count; i++)
        {
            var key = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(key, ElementAddress(i, offset));
            yield return new ElementSpec { Key = key };
        }
    }

    /// <summary>The same elements as <see cref="PlainElements"/>, packed back to back (4 bytes each, network order) for
    /// <see cref="NftChanges.AddElementKeys"/>: what a program that holds many addresses hands the library.</summary>
    public static byte[] PlainKeys(int count, uint offset = 0)
    {
        var keys = new byte[count * 4];
        for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt32BigEndian(keys.AsSpan(i * 4), ElementAddress(i, offset));
        return keys;
    }

    public static string DescribeIpv4Key(ReadOnlySpan<byte> k) => Ip(BinaryPrimitives.ReadUInt32BigEndian(k));

    /// <summary>Old-style intervals (nft 1.0.6): a leading END at 0, then each /25 as start and END at start+128.</summary>
    public static IEnumerable<ElementSpec> PrefixElements(int count)
    {
        yield return new ElementSpec { Key = new byte[4], Flags = 1 };
        for (int i = 0; i < count; i++)
        {
            var start = new byte[4];
            var end = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(start, PrefixAddress(i));
            BinaryPrimitives.WriteUInt32BigEndian(end, PrefixAddress(i) + 128);
            yield return new ElementSpec { Key = start };
            yield return new ElementSpec { Key = end, Flags = 1 };
        }
    }

    public static string DescribeIpv4(ElementSpec e) => e.Key is { Length: 4 } k ? Ip(BinaryPrimitives.ReadUInt32BigEndian(k)) : "?";

    public static string ElementsText(int count, uint offset = 0)
    {
        var sb = new StringBuilder(count * 14);
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Ip(ElementAddress(i, offset)));
        }
        return sb.ToString();
    }

    public static string PrefixesText(int count)
    {
        var sb = new StringBuilder(count * 16);
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Ip(PrefixAddress(i))).Append("/25");
        }
        return sb.ToString();
    }
}
