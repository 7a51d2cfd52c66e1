using System.Management.Automation;
using System.Text;
using NftPS.Cmdlets.Completion;
using NftPS.Language.Evaluate;
using NftPS.Language.Printing;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets.Changes;

/// <summary>New-NftSet and New-NftMap: a named set or map with its type, flags, timeout, size and first elements.</summary>
public abstract class SetDefinitionCommandBase : NftChangeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    /// <summary>Key type as nft names it: "ipv4_addr", "inet_service", "ipv4_addr . inet_service". Alias KeyTypeText:
    /// a set from Get-NftSet binds its type by property name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("KeyTypeText")]
    public string? Type { get; set; }

    /// <summary>Key as expressions instead of a type: "ip saddr", "ip daddr . tcp dport".</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("KeyTypeofText")]
    public string? Typeof { get; set; }

    /// <summary>A set's numeric Flags (piped from Get-NftSet) become these names.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SetFlagsTransformation]
    [ValidateSet("constant", "interval", "timeout", "dynamic")]
    public string[]? Flags { get; set; }

    /// <summary>Default lifetime of elements (implies the timeout flag).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Maximum number of elements.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint? Size { get; set; }

    /// <summary>A set's numeric Policy (piped from Get-NftSet) becomes its name; its null leaves the default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SetPolicyTransformation]
    [ValidateSetOrNull("performance", "memory")]
    [ArgumentCompleter(typeof(SetPolicyCompleter))]
    public string? Policy { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter AutoMerge { get; set; }

    /// <summary>How often expired elements are collected (`gc-interval`); a set piped from Get-NftSet binds its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TimeSpan? GcInterval { get; set; }

    /// <summary>Per-element counter (`counter` in the set declaration). A set piped from Get-NftSet that declares one
    /// is copied with it.</summary>
    [Parameter]
    public SwitchParameter Counter { get; set; }

    /// <summary>A copied set's elements keep their counter values (packets, bytes) and quota usage; without it they
    /// start from zero, as new elements do.</summary>
    [Parameter]
    public SwitchParameter IncludeCounters { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Comment { get; set; }

    /// <summary>First elements (see Add-NftSetElement for the forms accepted). Alias Elements: a set read with
    /// Get-NftSet -IncludeElements is copied with its elements.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Elements")]
    public object[]? Element { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected abstract bool IsMap { get; }
    private protected abstract string? DataDeclaration { get; }

    /// <summary>A piped set is copied: it is created where -NetworkNamespace (or the transaction) says.</summary>
    private protected override string? TemplateKind => "NftSet";

    protected override void ProcessChange()
    {
        if ((ValueChecks.Names(("Table", Table), ("Name", Name)) ?? ValueChecks.Comment(Comment)
             ?? ValueChecks.Declaration("Type", Type) ?? ValueChecks.Declaration("Typeof", Typeof)
             ?? ValueChecks.Declaration("DataType", DataDeclaration)) is { } refused)
        {
            ReportError(refused);
            return;
        }
        if ((Type is null) == (Typeof is null))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give the key as -Type (\"ipv4_addr\") or as -Typeof (\"ip saddr\"), one of them."),
                "NftSetKeyMissing", ErrorCategory.InvalidArgument, Name));
        if (!IsMap && InputIsTemplate && InvocationIntrospection.CurrentPipelineObject(this) is { } template
            && (Flag(template, "IsMap") || Flag(template, "IsObjectMap")))
        {
            ReportError(new ErrorRecord(new ArgumentException($"{template.Properties["Name"]?.Value} is a map; copy it with New-NftMap, which also takes its data type."),
                "NftMapPipedToNewSet", ErrorCategory.InvalidArgument, Name));
            return;
        }
        if (IsMap && string.IsNullOrEmpty(DataDeclaration))
        {
            ReportError(new ErrorRecord(new ArgumentException("A map needs -DataType: what its keys map to (\"verdict\", \"ipv4_addr\", \"counter\")."),
                "NftMapDataTypeMissing", ErrorCategory.InvalidArgument, Name));
            return;
        }
        if (GcInterval is { } gc && gc <= TimeSpan.Zero)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-GcInterval must be a positive time span; {gc} is not."),
                "NftInvalidTimeout", ErrorCategory.InvalidArgument, gc));
        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Timeout must be a positive time span; {timeout} is not."),
                "NftInvalidTimeout", ErrorCategory.InvalidArgument, timeout));
        string kind = IsMap ? "map" : "set";
        string fam = Family.ToKeyword();
        List<Node> elements;
        List<ElementSpec>? packed;
        try
        {
            // Type expressions are nft syntax the user writes on purpose, but only as types: a token that would end
            // the declaration or start another command is refused before any text is made.
            if (Type is not null) Parser.CheckTypeExpression(new SourceText(Type), "-Type");
            if (Typeof is not null) Parser.CheckTypeExpression(new SourceText(Typeof), "-Typeof");
            if (DataDeclaration is { } data) Parser.CheckTypeExpression(new SourceText(data), "-DataType");
            if (Comment is not null) ValueText.CheckComment(Comment);
            packed = PackedInitialElements();
            elements = packed is not null ? new List<Node>()
                : Element?.Where(e => e is not null).Select(e => ElementText.Parse(e, null, null, IncludeCounters ? ElementCopy.WithCounters : ElementCopy.Declared)).ToList() ?? new List<Node>();
        }
        catch (Exception ex) when (ex is ArgumentException or NftLanguageException)
        {
            // Not terminating: the next set of a pipeline is a change of its own.
            ReportError(ex is NftLanguageException
                ? NftErrors.FromException(ex, Name)
                : new ErrorRecord(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, Name));
            return;
        }
        var flags = (Flags ?? Array.Empty<string>()).ToList();
        var body = new StringBuilder();
        body.Append(Typeof is not null ? $"typeof {Typeof}" : $"type {Type}");
        if (IsMap) body.Append(" : ").Append(DataDeclaration);
        body.Append("; ");
        if (flags.Count > 0) body.Append("flags ").Append(string.Join(",", flags)).Append("; ");
        if (Timeout is { } t) body.Append("timeout ").Append(ElementText.Time(t)).Append("; ");
        if (GcInterval is { } g) body.Append("gc-interval ").Append(ElementText.Time(g)).Append("; ");
        if (Size is { } size) body.Append("size ").Append(size).Append("; ");
        if (Policy is not null) body.Append("policy ").Append(Policy).Append("; ");
        if (Counter || TemplateDeclaresCounter()) body.Append("counter; ");
        if (AutoMerge) body.Append("auto-merge; ");
        if (Comment is not null) body.Append("comment ").Append(ValueText.Quote(Comment, "comment")).Append("; ");
        string head = $"{fam} {LanguageAdapter.Name(Table)} {LanguageAdapter.Name(Name)}";
        string declaration = $"add {kind} {head} {{ {body.ToString().TrimEnd()} }}";

        var key = (Family, Table, Name);
        string? shown = null;
        if (packed is not null) shown = $"{declaration}{Environment.NewLine}add element {head} {{ … {Element!.Length} elements … }}";
        else if (elements.Count > 0)
        {
            string list = elements.Count > 20
                ? $"… {elements.Count} elements …"
                : string.Join(", ", elements.Select(ElementText.Print));
            shown = $"{declaration}{Environment.NewLine}add element {head} {{ {list} }}";
        }
        var queued = Queue($"{kind} {fam} {Table} {Name}", IsMap ? "Create map" : "Create set", (batch, scope) =>
        {
            LanguageAdapter.QueueCommands(batch, scope, ReadSets, declaration, expectedCommands: 1);
            // Register before the elements so they are typed by this new set.
            var descriptor = Describe();
            scope.NewSets[key] = descriptor;
            scope.DeletedSets.Remove(key);
            if (elements.Count == 0 && packed is null) return;
            var specs = packed ?? LanguageAdapter.EncodeElements(descriptor, Family, elements, adding: true);
            if (specs.Count > 0)
                batch.AddElements(Family, Table, Name, specs, e => e.Key is { } k ? "0x" + Convert.ToHexString(k).ToLowerInvariant() : "*");
        }, shown: shown);
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewSet, CreatedKind.Set, Family, Table, Name);
    }

    /// <summary>A piped set whose elements each get a counter (`counter` in its declaration, the kernel's set
    /// expressions): the copy declares it too. Other per-element statements are not declared by New-NftSet.</summary>
    private bool TemplateDeclaresCounter()
    {
        if (!InputIsTemplate || InvocationIntrospection.CurrentPipelineObject(this) is not { } template) return false;
        var names = template.Properties["ExpressionNames"]?.Value;
        names = names is PSObject p ? p.BaseObject : names;
        if (names is not System.Collections.IEnumerable list || names is string) return false;
        var kinds = list.Cast<object?>().Select(n => n?.ToString()).ToList();
        if (kinds.Any(k => k != "counter"))
            WriteWarning($"{template.Properties["Name"]?.Value} declares per-element statements ({string.Join(", ", kinds)}); only a counter is copied.");
        return kinds.Contains("counter");
    }

    private static bool Flag(PSObject o, string name) => o.Properties[name]?.Value is { } v && LanguagePrimitives.IsTrue(v);

    /// <summary>A long list of element strings (more than -WhatIf lists) that all read as packed keys of the new set's
    /// type (<see cref="PackedElements"/>): their encoded elements; null when any element needs the compiler, which
    /// then reads them all (and gives any refusal).</summary>
    private List<ElementSpec>? PackedInitialElements()
    {
        if (Element is not { Length: > 20 } given || IsMap) return null;
        PackedElements? packer;
        try
        {
            packer = PackedElements.For(Describe(), adding: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null; // the declaration's own error comes from the compiler
        }
        if (packer is null) return null;
        if (packer.Interval)
        {
            var ranges = new List<(uint, uint)>(given.Length);
            foreach (object? o in given)
            {
                if ((o is PSObject p ? p.BaseObject : o) is not string text || !packer.TryRange(text, out uint lo, out uint hi)) return null;
                ranges.Add((lo, hi));
            }
            return packer.EncodeIntervals(ranges);
        }
        var specs = new List<ElementSpec>(given.Length);
        foreach (object? o in given)
        {
            if ((o is PSObject p ? p.BaseObject : o) is not string text || !packer.TryKey(text, out var key)) return null;
            specs.Add(new ElementSpec { Key = key });
        }
        return specs;
    }

    private SetDescriptor Describe()
    {
        bool interval = Flags?.Contains("interval") == true;
        var d = Typeof is not null
            ? SetDeclarations.FromTypeof(Name, Typeof, IsMap ? DataDeclaration : null, Family, interval)
            : SetDeclarations.FromType(Name, Type!, IsMap ? DataDeclaration : null, interval);
        return d with { HasTimeout = Timeout is not null || Flags?.Contains("timeout") == true, IsDynamic = Flags?.Contains("dynamic") == true,
            AutoMerge = AutoMerge };
    }
}
