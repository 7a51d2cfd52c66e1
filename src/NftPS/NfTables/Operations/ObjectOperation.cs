using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Operations;

/// <summary>The typed content of a named (stateful) object.</summary>
internal abstract record NftObjectBody;

/// <summary>A counter, quota, limit or synproxy object: the same attributes as the rule expression of that name.</summary>
internal sealed record ExpressionObjectBody(Expression Expression) : NftObjectBody
{
    public bool Equals(ExpressionObjectBody? other) =>
        other is not null && OperationEquality.SameExpressions(new[] { Expression }, new[] { other.Expression });

    public override int GetHashCode() => Expression.Name.GetHashCode();
}

/// <summary>An object's NFTA_OBJ_DATA exactly as the kernel dumped it: what a rollback sends back to recreate an object
/// of any kind (connlimit and tunnel included) without decoding it.</summary>
internal sealed record RawObjectBody(byte[] Data) : NftObjectBody
{
    public bool Equals(RawObjectBody? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);
    public override int GetHashCode() => Data.Length;
}

/// <summary>ct helper: the helper's name, layer-3 protocol (null: the table's) and layer-4 protocol.</summary>
internal sealed record CtHelperObjectBody(string HelperType, ushort? Layer3, byte Layer4) : NftObjectBody;

/// <summary>ct expectation: only what was given is sent (the kernel refuses one without protocol, dport, timeout and size).</summary>
internal sealed record CtExpectationObjectBody(ushort Layer3, byte? Layer4, ushort? Port, uint? TimeoutMs, byte? Size) : NftObjectBody;

/// <summary>ct timeout: the layer-3 protocol (null: not sent, the table's), the layer-4 protocol and every state's
/// timeout in seconds, in the kernel's order of states.</summary>
internal sealed record CtTimeoutObjectBody(ushort? Layer3, byte Layer4, uint[] Timeouts) : NftObjectBody
{
    public bool Equals(CtTimeoutObjectBody? other) =>
        other is not null && Layer3 == other.Layer3 && Layer4 == other.Layer4 && Timeouts.AsSpan().SequenceEqual(other.Timeouts);

    public override int GetHashCode() => HashCode.Combine(Layer3, Layer4, Timeouts.Length);
}

/// <summary>add/create/delete/destroy of a named object (counter, quota, limit, ct helper, ...).</summary>
internal sealed record ObjectOperation : NftOperation
{
    public ObjectOperation(NftVerb verb, NftFamily family, string table, string name, uint objectType, string typeKeyword) : base(verb, family)
    {
        Table = table;
        Name = name;
        ObjectType = objectType;
        TypeKeyword = typeKeyword;
    }

    public string Table { get; }
    public string Name { get; }
    /// <summary>NFT_OBJECT_* (1 counter, 2 quota, 3 ct helper, 4 limit, ...).</summary>
    public uint ObjectType { get; }
    /// <summary>The object's word in nft commands ("counter", "ct helper").</summary>
    public string TypeKeyword { get; }
    public ulong? Handle { get; init; }
    public NftObjectBody? Body { get; init; }
    /// <summary>The body as nft writes it, for display only.</summary>
    public string BodyText { get; init; } = "";
    public string? Comment { get; init; }

    public override NftObjectKind Kind => NftObjectKind.NamedObject;

    public override string ToCommandText() => Verb is NftVerb.Add or NftVerb.Create
        ? $"{VerbText} {TypeKeyword} {FamilyText} {N(Table)} {N(Name)} {{ {BodyText}{Terminator} }}"
        : $"{VerbText} {TypeKeyword} {FamilyText} {N(Table)} {(Handle is { } h ? $"handle {h}" : N(Name))}";

    /// <summary>nft's ct helper/timeout/expectation blocks end every statement with a separator (`{ type "ftp" protocol
    /// tcp }` is a syntax error); the one-spec blocks of counter, quota, limit, synproxy and secmark do not need one.</summary>
    private string Terminator => TypeKeyword.StartsWith("ct ", StringComparison.Ordinal) && BodyText.Length > 0 && !BodyText.EndsWith(';') ? ";" : "";

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete or NftVerb.Destroy, "this verb does not apply to a named object");
        if (Verb is NftVerb.Add or NftVerb.Create)
        {
            NftIdentifier.CheckName(TypeKeyword + " name", Name);
            Require(Body is not null, "a new object needs its content");
        }
        else Require(Handle is not null || !string.IsNullOrEmpty(Name), "a name or a handle is needed");
    }
}
