using NftPS.Netlink;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Expressions;

/// <summary>"objref": refers to a named stateful object, either by type and name or through a map lookup
/// (SetSourceRegister + SetName).</summary>
public sealed record ObjrefExpression : Expression
{
    public const ushort AttrObjectType = 1, AttrObjectName = 2, AttrSetSourceRegister = 3, AttrSetName = 4, AttrSetId = 5;

    public override string Name => "objref";
    public NftObjectType? ObjectType { get; init; }
    public string? ObjectName { get; init; }
    public uint? SetSourceRegister { get; init; }
    public string? SetName { get; init; }
    public uint? SetId { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dumps: IMM_NAME, IMM_TYPE for the direct form; SET_SREG, SET_NAME for the map form.
        if (ObjectName is not null) writer.WriteString(AttrObjectName, ObjectName);
        if (ObjectType is NftObjectType t) writer.WriteBe32(AttrObjectType, (uint)t);
        if (SetSourceRegister is uint s) writer.WriteBe32(AttrSetSourceRegister, s);
        if (SetName is not null) writer.WriteString(AttrSetName, SetName);
        if (SetId is uint id) writer.WriteBe32(AttrSetId, id);
    }

    internal static ObjrefExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new ObjrefExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrObjectType: e = e with { ObjectType = (NftObjectType)a.GetBe32() }; break;
                case AttrObjectName: e = e with { ObjectName = a.GetString() }; break;
                case AttrSetSourceRegister: e = e with { SetSourceRegister = a.GetBe32() }; break;
                case AttrSetName: e = e with { SetName = a.GetString() }; break;
                case AttrSetId: e = e with { SetId = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => SetName is not null
        ? $"[ objref sreg {SetSourceRegister} set {SetName} ]"
        : $"[ objref type {(uint)(ObjectType ?? 0)} name {ObjectName} ]";
}
