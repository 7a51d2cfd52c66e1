using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Operations;

/// <summary>add/create/delete/destroy/flush chain. A base chain has a <see cref="Hook"/> (and maybe a policy).</summary>
internal sealed record ChainOperation : NftOperation
{
    public ChainOperation(NftVerb verb, NftFamily family, string table, string name) : base(verb, family)
    {
        Table = table;
        Name = name;
    }

    public string Table { get; }
    public string Name { get; }
    public ulong? Handle { get; init; }
    public ChainHookSpec? Hook { get; init; }
    public string? Policy { get; init; }
    public string? Comment { get; init; }
    /// <summary>Batch-local id, so rules later in the batch can name the new chain.</summary>
    public uint? ChainId { get; init; }

    public override NftObjectKind Kind => NftObjectKind.Chain;

    public override string ToCommandText()
    {
        if (Verb == NftVerb.Flush) return $"flush chain {FamilyText} {N(Table)} {N(Name)}";
        if (Verb is NftVerb.Delete or NftVerb.Destroy)
            return $"{VerbText} chain {FamilyText} {N(Table)} {(Handle is { } h ? $"handle {h}" : N(Name))}";
        string? hook = Hook is null ? null
            : $"type {Hook.Type} hook {ChainHooks.Name(Family, Hook.HookNumber)}{DevicesText(Hook.Devices)} priority {Hook.Priority};";
        return $"{VerbText} chain {FamilyText} {N(Table)} {N(Name)}" +
            Body(hook, Policy is null ? null : $"policy {Policy};", Comment is null ? null : $"comment {Quote(Comment)};");
    }

    private static string DevicesText(IReadOnlyList<string>? devices) => devices is null || devices.Count == 0 ? ""
        : devices.Count == 1 ? $" device {Quote(devices[0])}" : $" devices = {{ {string.Join(", ", devices.Select(Quote))} }}";

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete or NftVerb.Destroy or NftVerb.Flush, "this verb does not apply to a chain");
        if (Verb is NftVerb.Add or NftVerb.Create)
        {
            NftIdentifier.CheckName("chain name", Name);
            ChainHooks.Check(Family, Hook);
            if (Policy is not null) ChainHooks.PolicyValue(Policy);
        }
        else Require(Handle is not null || !string.IsNullOrEmpty(Name), "a name or a handle is needed");
    }

    public bool Equals(ChainOperation? other) =>
        other is not null && base.Equals(other) && Table == other.Table && Name == other.Name && Handle == other.Handle &&
        Policy == other.Policy && Comment == other.Comment && ChainId == other.ChainId && SameHook(Hook, other.Hook);

    private static bool SameHook(ChainHookSpec? a, ChainHookSpec? b) =>
        a is null || b is null ? a is null && b is null
            : a with { Devices = null } == b with { Devices = null } &&
              (a.Devices ?? Array.Empty<string>()).SequenceEqual(b.Devices ?? Array.Empty<string>());

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Table, Name, Handle);
}

/// <summary>The anonymous chain of a `jump { }` verdict: no name, known in the batch by its id. Implied by the rule
/// whose verdict it is.</summary>
internal sealed record BoundChainOperation : NftOperation
{
    public BoundChainOperation(NftFamily family, string table, uint chainId) : base(NftVerb.Add, family)
    {
        Table = table;
        ChainId = chainId;
    }

    public string Table { get; }
    public uint ChainId { get; }
    public override NftObjectKind Kind => NftObjectKind.Chain;
    public override bool IsImplied => true;
    public override string ToCommandText() => $"add chain {FamilyText} {N(Table)} (anonymous chain {ChainId}, bound to a jump verdict)";
    public override void Validate() { }
}

/// <summary>Changes the policy of an existing base chain: `chain FAMILY TABLE CHAIN { policy P; }`.</summary>
internal sealed record ChainPolicyOperation : NftOperation
{
    public ChainPolicyOperation(NftFamily family, string table, string chain, string policy) : base(NftVerb.Add, family)
    {
        Table = table;
        Chain = chain;
        Policy = policy;
    }

    public string Table { get; }
    public string Chain { get; }
    public string Policy { get; }
    public override NftObjectKind Kind => NftObjectKind.Chain;
    public override string ToCommandText() => $"chain {FamilyText} {N(Table)} {N(Chain)} {{ policy {Policy}; }}";
    public override void Validate() => ChainHooks.PolicyValue(Policy);
}

/// <summary>rename chain: the chain named by its handle gets <see cref="NewName"/>.</summary>
internal sealed record ChainRenameOperation : NftOperation
{
    public ChainRenameOperation(NftFamily family, string table, ulong handle, string oldName, string newName) : base(NftVerb.Rename, family)
    {
        Table = table;
        Handle = handle;
        OldName = oldName;
        NewName = newName;
    }

    public string Table { get; }
    public ulong Handle { get; }
    public string OldName { get; }
    public string NewName { get; }
    public override NftObjectKind Kind => NftObjectKind.Chain;
    public override string ToCommandText() => $"rename chain {FamilyText} {N(Table)} {N(OldName)} {N(NewName)}";
    public override void Validate() => NftIdentifier.CheckName("chain name", NewName);
}

/// <summary>Chain hooks and policies as nft writes them, and what nft checks of a base chain before sending it.</summary>
internal static class ChainHooks
{
    public static uint PolicyValue(string policy) => policy.ToLowerInvariant() switch
    {
        "accept" => 1,
        "drop" => 0,
        _ => throw new ArgumentException($"Unknown chain policy '{policy}': use accept or drop.", nameof(policy)),
    };

    /// <summary>Hook keyword for a family and hook number, the inverse of what the reader decodes.</summary>
    public static string Name(NftFamily family, uint hook) => family switch
    {
        NftFamily.Netdev => hook switch { 0 => "ingress", 1 => "egress", _ => hook.ToString() },
        NftFamily.Arp => hook switch { 0 => "input", 1 => "output", _ => hook.ToString() },
        _ => hook switch { 0 => "prerouting", 1 => "input", 2 => "forward", 3 => "output", 4 => "postrouting", 5 => "ingress", _ => hook.ToString() },
    };

    /// <summary>Each device a valid interface name, and a device for the ingress hook of inet and netdev and the
    /// egress hook of netdev (nft: "Missing `device' in this chain definition"; the kernel would otherwise create an
    /// inet ingress chain with no device).</summary>
    public static void Check(NftFamily family, ChainHookSpec? hook)
    {
        if (hook is null) return;
        foreach (string d in hook.Devices ?? Array.Empty<string>())
        {
            NftIdentifier.CheckInterfaceName("device", d);
            if (d.Length == 0) throw new NftInvalidValueException("device", d, "an interface name cannot be empty");
        }
        bool needsDevice = (family == NftFamily.Inet && hook.HookNumber == 5) || family == NftFamily.Netdev;
        if (needsDevice && (hook.Devices is null || hook.Devices.Count == 0))
            throw new ArgumentException($"Missing `device' in this chain definition: the {Name(family, hook.HookNumber)} hook of the {family.ToKeyword()} family needs a device (-Device, or `device \"eth0\"` in nft text).");
    }
}
