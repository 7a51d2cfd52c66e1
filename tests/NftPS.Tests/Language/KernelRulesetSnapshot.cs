using System.Buffers.Binary;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Language;

/// <summary>Reads rules, sets and elements of a namespace into the model, just enough for printer tests
/// (the full RulesetReader lives on branch `model`).</summary>
internal static class KernelRulesetSnapshot
{
    public static NftRuleset Read(NfTablesConnection conn)
    {
        var rs = new NftRuleset();
        conn.Dump(NfTablesMessageType.GetSet, NftFamily.Unspecified, null, (in NetlinkMessage m) =>
        {
            var set = new NftSet { Family = (NftFamily)m.Family };
            var r = m.GetAttributes();
            while (r.TryRead(out var a))
            {
                switch (a.Type)
                {
                    case 1: set.Table = a.GetString(); break;
                    case 2: set.Name = a.GetString(); break;
                    case 3: set.Flags = a.GetBe32(); break;
                    case 4: set.KeyType = a.GetBe32(); break;
                    case 5: set.KeyLength = a.GetBe32(); break;
                    case 6: set.DataType = a.GetBe32(); break;
                    case 7: set.DataLength = a.GetBe32(); break;
                    case 9:
                    {
                        var d = a.GetNested();
                        while (d.TryRead(out var da))
                        {
                            if (da.Type != 2) continue;
                            var list = new List<uint>();
                            var c = da.GetNested();
                            while (c.TryRead(out var ce))
                            {
                                var f = ce.GetNested();
                                while (f.TryRead(out var fa)) if (fa.Type == 1) list.Add(fa.GetBe32());
                            }
                            set.ConcatFieldLengths = list.ToArray();
                        }
                        break;
                    }
                    case 11: set.Timeout = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                    case 13: set.UserData = a.GetBytes(); break;
                    case 15: set.ObjectType = a.GetBe32(); break;
                    case 16: set.Handle = a.GetBe64(); break;
                }
            }
            if (set.UserData is { } ud) ParseSetUserData(set, ud);
            rs.Sets.Add(set);
        }, "list sets");

        foreach (var set in rs.Sets)
        {
            conn.Dump(NfTablesMessageType.GetSetElement, set.Family, w =>
            {
                w.WriteString(1, set.Table);
                w.WriteString(2, set.Name);
            }, (in NetlinkMessage m) =>
            {
                var r = m.GetAttributes();
                while (r.TryRead(out var a))
                {
                    if (a.Type != 3) continue;
                    var list = a.GetNested();
                    while (list.TryRead(out var le)) set.Elements.Add(ReadElement(le.GetNested(), set));
                }
            }, "list elements");
        }

        conn.Dump(NfTablesMessageType.GetRule, NftFamily.Unspecified, null, (in NetlinkMessage m) =>
        {
            var rule = new NftRule { Family = (NftFamily)m.Family };
            var r = m.GetAttributes();
            while (r.TryRead(out var a))
            {
                switch (a.Type)
                {
                    case 1: rule.Table = a.GetString(); break;
                    case 2: rule.Chain = a.GetString(); break;
                    case 3: rule.Handle = a.GetBe64(); break;
                    case 4: rule.Expressions = ExpressionCodec.DecodeList(a.Payload); break;
                    case 7: rule.UserData = a.GetBytes(); break;
                }
            }
            rs.Rules.Add(rule);
        }, "list rules");
        return rs;
    }

    private static NftSetElement ReadElement(NetlinkAttributeReader r, NftSet set)
    {
        var e = new NftSetElement { Family = set.Family, Table = set.Table, Set = set.Name };
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: e.Key = DataValue(a.GetNested()); break;
                case 10: e.KeyEnd = DataValue(a.GetNested()); break;
                case 2:
                {
                    var d = a.GetNested();
                    while (d.TryRead(out var da))
                    {
                        if (da.Type == 1) e.Data = da.GetBytes();
                        else if (da.Type == 2)
                        {
                            int code = 0;
                            string? chain = null;
                            var v = da.GetNested();
                            while (v.TryRead(out var va))
                            {
                                if (va.Type == 1) code = va.GetBe32Signed();
                                else if (va.Type == 2) chain = va.GetString();
                            }
                            e.Verdict = new NftVerdict((VerdictCode)code, chain);
                        }
                    }
                    break;
                }
                case 3: e.Flags = a.GetBe32(); break;
                case 4: e.Timeout = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                case 5: e.Expires = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                case 9: e.ObjectReference = a.GetString(); break;
                case 7:
                    e.Expressions = new[] { ExpressionCodec.DecodeSingle(a.Payload) };
                    break;
            }
        }
        return e;
    }

    private static byte[]? DataValue(NetlinkAttributeReader r)
    {
        while (r.TryRead(out var a)) if (a.Type == 1) return a.GetBytes();
        return null;
    }

    private static void ParseSetUserData(NftSet set, byte[] ud)
    {
        int i = 0;
        while (i + 2 <= ud.Length)
        {
            int type = ud[i], len = ud[i + 1];
            if (i + 2 + len > ud.Length) break;
            var v = ud.AsSpan(i + 2, len);
            switch (type)
            {
                case 0 when len == 4: set.KeyByteOrder = BinaryPrimitives.ReadUInt32LittleEndian(v); break;
                case 1 when len == 4: set.DataByteOrder = BinaryPrimitives.ReadUInt32LittleEndian(v); break;
                case 2 when len == 4: set.AutoMerge = BinaryPrimitives.ReadUInt32LittleEndian(v) != 0; break;
                case 3: set.KeyTypeof = v.ToArray(); break;
                case 4: set.DataTypeof = v.ToArray(); break;
            }
            i += 2 + len;
        }
    }
}
