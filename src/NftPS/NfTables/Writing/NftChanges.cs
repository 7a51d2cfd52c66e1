using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;

namespace NftPS.NfTables.Writing;

/// <summary>Queues typed nf_tables operations on a batch (validated as they are queued; encoded only when the batch
/// is sent, by <see cref="NftOperationEncoder"/>).</summary>
internal static partial class NftChanges
{
    // A single attribute is limited to 65535 bytes by its u16 length; leave room for the headers around it.
    private const int MaxElementsPerMessage = 60_000;

    private static NftVerb AddOrCreate(bool create) => create ? NftVerb.Create : NftVerb.Add;
    private static NftVerb DeleteOrDestroy(bool destroy) => destroy ? NftVerb.Destroy : NftVerb.Delete;

    public static BatchOperation AddTable(this NftBatch batch, NftFamily family, string name, uint flags = 0,
        string? comment = null, bool create = false) =>
        batch.Add(new TableOperation(AddOrCreate(create), family, name) { Flags = flags, Comment = comment });

    public static BatchOperation DeleteTable(this NftBatch batch, NftFamily family, string name, ulong? handle = null, bool destroy = false) =>
        batch.Add(new TableOperation(DeleteOrDestroy(destroy), family, name) { Handle = handle });

    /// <summary>flush table: delete every rule of the table (sets and chains stay).</summary>
    public static BatchOperation FlushTable(this NftBatch batch, NftFamily family, string table) =>
        batch.Add(new TableOperation(NftVerb.Flush, family, table));

    /// <summary>flush ruleset: DELTABLE with family 0 (or one family) and no attributes.</summary>
    public static BatchOperation FlushRuleset(this NftBatch batch, NftFamily family = NftFamily.Unspecified) =>
        batch.Add(new RulesetOperation(family));

    public static BatchOperation AddChain(this NftBatch batch, NftFamily family, string table, string name,
        ChainHookSpec? hook = null, string? policy = null, string? comment = null, bool create = false, uint? chainId = null) =>
        batch.Add(new ChainOperation(AddOrCreate(create), family, table, name) { Hook = hook, Policy = policy, Comment = comment, ChainId = chainId });

    /// <summary>The anonymous chain of a `jump { }` verdict: NEWCHAIN with no name, flagged NFT_CHAIN_BINDING and
    /// known in the batch by <paramref name="chainId"/> (its rules and the binding verdict refer to that id).</summary>
    public static BatchOperation AddBoundChain(this NftBatch batch, NftFamily family, string table, uint chainId) =>
        batch.Add(new BoundChainOperation(family, table, chainId));

    /// <summary>Changes the policy of an existing base chain (NEWCHAIN on the existing name, no CREATE).</summary>
    public static BatchOperation SetChainPolicy(this NftBatch batch, NftFamily family, string table, string chain, string policy) =>
        batch.Add(new ChainPolicyOperation(family, table, chain, policy));

    /// <summary>rename chain: NEWCHAIN naming the chain by handle with the new name.</summary>
    public static BatchOperation RenameChain(this NftBatch batch, NftFamily family, string table, ulong handle, string oldName, string newName) =>
        batch.Add(new ChainRenameOperation(family, table, handle, oldName, newName));

    public static BatchOperation DeleteChain(this NftBatch batch, NftFamily family, string table, string name, ulong? handle = null, bool destroy = false) =>
        batch.Add(new ChainOperation(DeleteOrDestroy(destroy), family, table, name) { Handle = handle });

    public static BatchOperation AddFlowtable(this NftBatch batch, NftFamily family, string table, string name, int priority,
        IReadOnlyList<string> devices, uint flags = 0, bool create = false) =>
        batch.Add(new FlowtableOperation(AddOrCreate(create), family, table, name) { Priority = priority, Devices = devices, Flags = flags });

    public static BatchOperation DeleteFlowtable(this NftBatch batch, NftFamily family, string table, string name, ulong? handle = null) =>
        batch.Add(new FlowtableOperation(NftVerb.Delete, family, table, name) { Handle = handle });

    /// <summary>flush chain: DELRULE{table, chain}.</summary>
    public static BatchOperation FlushChain(this NftBatch batch, NftFamily family, string table, string chain) =>
        batch.Add(new ChainOperation(NftVerb.Flush, family, table, chain));

    /// <summary>add/insert rule. <paramref name="ruleText"/> is the rule in nft syntax (without its comment).</summary>
    public static BatchOperation AddRule(this NftBatch batch, NftFamily family, string table, string chain,
        IReadOnlyList<Expression> expressions, string ruleText, RulePlacement? placement = null, string? comment = null, uint? ruleId = null,
        uint? chainId = null)
    {
        placement ??= RulePlacement.Append;
        return batch.Add(new RuleOperation(placement.Insert ? NftVerb.Insert : NftVerb.Add, family, table, chain)
        {
            Expressions = expressions, Text = ruleText, Placement = placement, Comment = comment, RuleId = ruleId, ChainId = chainId,
        });
    }

    /// <summary>replace rule: NEWRULE with HANDLE and REPLACE.</summary>
    public static BatchOperation ReplaceRule(this NftBatch batch, NftFamily family, string table, string chain, ulong handle,
        IReadOnlyList<Expression> expressions, string ruleText, string? comment = null) =>
        batch.Add(new RuleOperation(NftVerb.Replace, family, table, chain)
        {
            Handle = handle, Expressions = expressions, Text = ruleText, Comment = comment,
        });

    public static BatchOperation DeleteRule(this NftBatch batch, NftFamily family, string table, string chain, ulong handle, bool destroy = false) =>
        batch.Add(new RuleOperation(DeleteOrDestroy(destroy), family, table, chain) { Handle = handle });

    /// <summary>add set / add map. <paramref name="definitionText"/> is the body as nft writes it (for the description).</summary>
    public static BatchOperation AddSet(this NftBatch batch, NftFamily family, string table, SetSpec set, string definitionText, bool create = false) =>
        batch.Add(new SetOperation(AddOrCreate(create), family, table, set.Name) { Spec = set, DefinitionText = definitionText });

    public static BatchOperation DeleteSet(this NftBatch batch, NftFamily family, string table, string name, ulong? handle = null, bool isMap = false, bool destroy = false) =>
        batch.Add(new SetOperation(DeleteOrDestroy(destroy), family, table, name) { Handle = handle, IsMap = isMap });

    /// <summary>flush set: DELSETELEM{set, table} with no elements.</summary>
    public static BatchOperation FlushSet(this NftBatch batch, NftFamily family, string table, string set, bool isMap = false) =>
        batch.Add(new SetOperation(NftVerb.Flush, family, table, set) { IsMap = isMap });

    /// <summary>Adds elements, split into as many NEWSETELEM messages as the 64 KiB attribute limit needs (all in this batch).
    /// <paramref name="describe"/> gives each element's nft text for the description; <paramref name="describeAll"/>, when
    /// given, a message's elements together (an interval set's ranges are two elements each).</summary>
    public static IReadOnlyList<BatchOperation> AddElements(this NftBatch batch, NftFamily family, string table, string set,
        IEnumerable<ElementSpec> elements, Func<ElementSpec, string> describe, uint? setId = null, bool create = false,
        bool ofAnonymousSet = false, string? written = null, Func<IReadOnlyList<ElementSpec>, string>? describeAll = null) =>
        QueueElements(batch, new ElementOperation(AddOrCreate(create), family, table, set)
            { DescribeElement = describe, DescribeElements = describeAll, SetId = setId, OfAnonymousSet = ofAnonymousSet }, elements, written);

    public static IReadOnlyList<BatchOperation> DeleteElements(this NftBatch batch, NftFamily family, string table, string set,
        IEnumerable<ElementSpec> elements, Func<ElementSpec, string> describe, bool destroy = false, string? written = null,
        Func<IReadOnlyList<ElementSpec>, string>? describeAll = null) =>
        QueueElements(batch, new ElementOperation(DeleteOrDestroy(destroy), family, table, set)
            { DescribeElement = describe, DescribeElements = describeAll }, elements, written);

    [ThreadStatic] private static NetlinkWriter? _elementScratch;

    /// <summary>One operation per message: each element is measured (written to a scratch buffer and dropped) so a
    /// message stays within the attribute limit; the bytes themselves are written at commit. <paramref name="written"/>
    /// is the element list as the command wrote it (`{ 10.0.0.0/8, 22 : accept }`): the first message shows the
    /// command with it and the others continue it; "" when another operation's text lists the elements already.</summary>
    private static IReadOnlyList<BatchOperation> QueueElements(NftBatch batch, ElementOperation template, IEnumerable<ElementSpec> elements,
        string? written)
    {
        if (written is not null) template = template with { WrittenElements = written.Length == 0 ? null : written, Continuation = written.Length == 0 };
        var operations = new List<BatchOperation>();
        // Taken out while in use, so an element enumerator that queues elements itself gets its own.
        var scratch = _elementScratch ?? new NetlinkWriter(4096);
        _elementScratch = null;
        var members = new List<ElementSpec>();
        int length = 0;
        foreach (var element in elements)
        {
            scratch.Reset();
            NftOperationEncoder.WriteElement(scratch, element);
            if (length + scratch.Length > MaxElementsPerMessage && members.Count > 0)
            {
                operations.Add(batch.Add(template with { Elements = members.ToArray() }));
                if (written is not null) template = template with { WrittenElements = null, Continuation = true };
                members.Clear();
                length = 0;
            }
            members.Add(element);
            length += scratch.Length;
        }
        if (members.Count > 0) operations.Add(batch.Add(template with { Elements = members.ToArray() }));
        _elementScratch = scratch;
        return operations;
    }

    /// <summary>add counter/quota/limit/...: NEWOBJ with the object's typed content.</summary>
    public static BatchOperation AddObject(this NftBatch batch, NftFamily family, string table, string name, uint objectType,
        string typeKeyword, string bodyText, NftObjectBody body, string? comment = null, bool create = false) =>
        batch.Add(new ObjectOperation(AddOrCreate(create), family, table, name, objectType, typeKeyword)
        {
            Body = body, BodyText = bodyText, Comment = comment,
        });

    public static BatchOperation DeleteObject(this NftBatch batch, NftFamily family, string table, string name, uint objectType,
        string typeKeyword, ulong? handle = null, bool destroy = false) =>
        batch.Add(new ObjectOperation(DeleteOrDestroy(destroy), family, table, name, objectType, typeKeyword) { Handle = handle });

    public static uint PolicyValue(string policy) => ChainHooks.PolicyValue(policy);

    /// <summary>Hook keyword for a family and hook number, the inverse of what the reader decodes.</summary>
    public static string HookName(NftFamily family, uint hook) => ChainHooks.Name(family, hook);

    internal static string Quote(string s) => "\"" + NftIdentifier.Visible(s) + "\"";
}
