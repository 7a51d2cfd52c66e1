namespace NftPS.NfTables.Writing;

/// <summary>Attribute numbers of nf_tables objects (linux/netfilter/nf_tables.h) that the encoders write.</summary>
internal static class Nfta
{
    public static class Table { public const ushort Name = 1, Flags = 2, Use = 3, Handle = 4, UserData = 6, Owner = 7; }
    public static class Chain { public const ushort Table = 1, Handle = 2, Name = 3, Hook = 4, Policy = 5, Use = 6, Type = 7, Counters = 8, Flags = 10, Id = 11, UserData = 12; }
    public static class Hook { public const ushort HookNum = 1, Priority = 2, Dev = 3, Devs = 4; }
    public static class Rule { public const ushort Table = 1, Chain = 2, Handle = 3, Expressions = 4, Position = 6, UserData = 7, Id = 9, PositionId = 10, ChainId = 11; }
    public static class Set
    {
        public const ushort Table = 1, Name = 2, Flags = 3, KeyType = 4, KeyLen = 5, DataType = 6, DataLen = 7, Policy = 8,
            Desc = 9, Id = 10, Timeout = 11, GcInterval = 12, UserData = 13, ObjType = 15, Handle = 16, Expr = 17, Expressions = 18;
    }
    public static class SetDesc { public const ushort Size = 1, Concat = 2; }
    public static class SetField { public const ushort Len = 1; }
    public static class ElemList { public const ushort Table = 1, Set = 2, Elements = 3, SetId = 4; }
    public static class Elem { public const ushort Key = 1, Data = 2, Flags = 3, Timeout = 4, Expiration = 5, UserData = 6, Expr = 7, ObjRef = 9, KeyEnd = 10, Expressions = 11; }
    public static class Data { public const ushort Value = 1, Verdict = 2; }
    public static class Verdict { public const ushort Code = 1, Chain = 2, ChainId = 3; }
    public static class Obj { public const ushort Table = 1, Name = 2, Type = 3, Data = 4, Use = 5, Handle = 6, UserData = 8; }
    public static class Flowtable { public const ushort Table = 1, Name = 2, Hook = 3, Use = 4, Handle = 5, Flags = 7; }
    public static class FlowtableHook { public const ushort Num = 1, Priority = 2, Devs = 3; }
    public const ushort ListElem = 1, DeviceName = 1;
}
