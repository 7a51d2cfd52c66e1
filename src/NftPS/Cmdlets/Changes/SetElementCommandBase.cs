using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.Language.Evaluate;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets.Changes;

/// <summary>Add-NftSetElement and Remove-NftSetElement: elements from parameters or a pipeline of any length. Each
/// element is parsed on its own as exactly one element and typed by the set; the whole pipeline is one transaction:
/// if any element is refused nothing is sent, and the elements go to the kernel in one batch, so a refusal there
/// leaves the set as it was too.</summary>
public abstract class SetElementCommandBase : NftChangeCmdletBase
{
    // Elements read from the kernel (Get-NftSetElement) go back as the bytes they were read as.
    private readonly List<ElementSpec> _raw = new();
    // Element strings read straight into key bytes without the compiler (PackedElements).
    private readonly List<ElementSpec> _direct = new();
    // Intervals read the same way, encoded together at the end of the input (merged and checked as nft does), and
    // their texts: when anything of the set's input needs the compiler, they all go that way together.
    private readonly List<(uint Lo, uint Hi)> _ranges = new();
    private readonly List<string> _rangeTexts = new();
    // Elements parsed as one element each, waiting to be typed by the set and encoded.
    private readonly List<Node> _pending = new();
    private (NftFamily Family, string Table, string Set, string? Namespace)? _current;
    private long _elements;
    // How the current set's element strings are read without the compiler (null: only through it); looked up once.
    private PackedElements? _packer;
    private bool _packerKnown;
    // The current set as the compiler knows it (null: not looked up yet).
    private SetDescriptor? _descriptor;
    // Elements refused in this pipeline: when there are any, nothing of the pipeline is sent.
    private long _refused;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SetNameCompleter))]
    [Alias("Map", "SetName")]
    public string Set { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    /// <summary>Strings ("10.0.0.0/8", "1.2.3.4-1.2.3.9", "10.0.0.1 . 22", "22 : accept"), IPAddress, IPNetwork, port
    /// numbers, arrays (concatenations), hashtables @{ Key; Value; Timeout; Comment }, or elements from Get-NftSetElement.
    /// Each is exactly one element.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true)]
    [Alias("Value")]
    public object[] Element { get; set; } = Array.Empty<object>();

    private protected abstract string Verb { get; }
    private protected abstract string Action { get; }
    /// <summary>-Timeout and -Comment of Add-NftSetElement, applied to every element.</summary>
    private protected virtual TimeSpan? ElementTimeout => null;
    private protected virtual string? ElementComment => null;
    /// <summary>What of an element read from the kernel is carried over: Add-NftSetElement copies its timeout and
    /// statements (with -IncludeCounters their values too), Remove-NftSetElement names only its key.</summary>
    private protected virtual ElementCopy ElementCopy => ElementCopy.Key;

    // One input's elements, resolved before its one ShouldProcess (reused across inputs).
    private readonly List<NftSetElement> _inputRaw = new();
    private readonly List<(Node? Node, string? Direct)> _inputElements = new();

    /// <summary>Elements an input lists in full in its ShouldProcess message; the rest are counted.</summary>
    internal const int ShownElements = 16;

    protected override void ProcessChange()
    {
        // The set's own name is checked first: it goes into every message and description of this input.
        if (ValueChecks.Names(("Table", Table), ("Set", Set)) is { } badName)
        {
            _refused++;
            ReportError(badName);
            return;
        }
        var where = (Family, Table, Set, NetworkNamespace);
        if (_current is { } c && c != where)
        {
            Flush();
            _packer = null;
            _packerKnown = false;
            _descriptor = null;
        }
        _current = where;
        _inputRaw.Clear();
        _inputElements.Clear();
        bool plain = ElementTimeout is null && ElementComment is null;
        foreach (object? item in Element)
        {
            object? value = item is PSObject p ? p.BaseObject : item;
            if (value is null) continue;
            if (value is NftSetElement e)
            {
                // An element Add-NftSetElement copies (a template) may come from another namespace; one to remove may not.
                if (!InputIsTemplate && !CheckOrigin(e)) { _refused++; continue; }
                // Elements read from the kernel without a text form go back as the bytes they were read as.
                if (e.Value.Length == 0)
                {
                    _inputRaw.Add(e);
                    continue;
                }
            }
            // An address, prefix, range, port or concatenation of them in its canonical spelling may skip the compiler;
            // whether the set's type takes it is known only after ShouldProcess. Such text is one value to the
            // compiler too, so its refusals (if the set's type does not take it) are the same, just later.
            if (plain && value is string text && PackedElements.IsCandidate(text))
            {
                _inputElements.Add((null, text));
                continue;
            }
            try
            {
                _inputElements.Add((ElementText.Parse(item, ElementTimeout, ElementComment, ElementCopy), null)); // the PSObject: a deserialized element is known by its type names
            }
            catch (Exception ex) when (ex is ArgumentException or NftLanguageException)
            {
                Refuse(ex, value);
            }
        }
        int count = _inputRaw.Count + _inputElements.Count;
        if (count == 0) return;
        // One question per input object (the whole -Element array of a call, or one pipeline object): asking per
        // element cost a formatted, localized message each, which dominated small element transactions.
        if (AmbientTransactions.For(NetworkNamespace) is not { WhatIf: true } && !ShouldProcess(DescribeInput(), Action)) return;
        foreach (var e in _inputRaw)
            _raw.Add(new ElementSpec { Key = e.Key, KeyEnd = e.KeyEnd, Flags = e.Flags, Data = e.Data, Verdict = e.Verdict,
                TimeoutMs = e.Timeout is { } t ? (ulong)t.TotalMilliseconds : null, Comment = e.Comment });
        foreach (var (node, direct) in _inputElements)
        {
            if (direct is not null && Packer() is { } packer)
            {
                if (packer.Interval)
                {
                    if (packer.TryRange(direct, out uint lo, out uint hi))
                    {
                        _ranges.Add((lo, hi));
                        _rangeTexts.Add(direct);
                        continue;
                    }
                }
                else if (packer.TryKey(direct, out var key))
                {
                    _direct.Add(new ElementSpec { Key = key });
                    continue;
                }
            }
            Node parsed;
            try
            {
                parsed = node ?? ElementText.Parse(direct, null, null);
            }
            catch (Exception ex) when (ex is ArgumentException or NftLanguageException)
            {
                Refuse(ex, direct);
                continue;
            }
            _pending.Add(parsed);
            if (_pending.Count >= ElementStream.ChunkSize) EncodePending(final: false);
        }
        _elements += count;
        ReportProgress();
    }

    /// <summary>The nft command this input amounts to, e.g. `add element ip t s { 10.0.0.1, 10.0.0.2 }`; past
    /// <see cref="ShownElements"/> elements the rest are summarized with the total count.</summary>
    private string DescribeInput()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Verb).Append(" element ").Append(Family.ToKeyword()).Append(' ').Append(LanguageAdapter.Name(Table)).Append(' ')
          .Append(LanguageAdapter.Name(Set)).Append(" { ");
        int shown = 0, total = _inputRaw.Count + _inputElements.Count;
        foreach (var e in _inputRaw)
        {
            if (shown == ShownElements) break;
            if (shown++ > 0) sb.Append(", ");
            sb.Append(Describe(e));
        }
        foreach (var (node, direct) in _inputElements)
        {
            if (shown == ShownElements) break;
            if (shown++ > 0) sb.Append(", ");
            sb.Append(direct ?? ElementText.Print(node!));
        }
        if (total > shown) sb.Append(", …");
        sb.Append(" }");
        if (total > shown) sb.Append(" (").Append(total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" elements)");
        return sb.ToString();
    }

    private void ReportProgress() =>
        Progress.Report(() => $"{_elements:N0} elements for set {Family.ToKeyword()} {Table} {Set}", _elements);

    /// <summary>An element that cannot be one element of this set: reported, and the pipeline will send nothing.</summary>
    private void Refuse(Exception ex, object? value)
    {
        _refused++;
        ReportError(ex is NftLanguageException
            ? NftErrors.FromException(ex, value)
            : new ErrorRecord(ex, "NftInvalidElement", ErrorCategory.InvalidArgument, value));
    }

    /// <summary>Looks the set up once per target (the compiler would read the same kernel sets for the text).
    /// When that fails the elements take the compiler's path, which reports the failure.</summary>
    private PackedElements? Packer()
    {
        if (_packerKnown) return _packer;
        _packerKnown = true;
        try
        {
            _packer = PackedElements.For(FindSet(), adding: Verb == "add");
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or NftPS.Netlink.NetlinkException
                                       or NftPS.Netlink.NetworkNamespaceNotFoundException)
        {
            _packer = null;
        }
        return _packer;
    }

    private SetDescriptor? FindSet() => _descriptor ??= CurrentScope().FindSet(Family, Table, Set, ReadSets);

    /// <summary>Types the pending elements by the set and queues them. A set with intervals keeps them all until the
    /// end of its input: overlaps are found (and intervals merged) across everything the call adds, as nft does for
    /// one command.</summary>
    private void EncodePending(bool final)
    {
        if (_pending.Count == 0 || _current is not { } c) return;
        SetDescriptor? set;
        try
        {
            set = FindSet();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or NftPS.Netlink.NetlinkException
                                       or NftPS.Netlink.NetworkNamespaceNotFoundException)
        {
            _refused += _pending.Count;
            _pending.Clear();
            ReportError(NftErrors.FromException(ex, $"set {c.Family.ToKeyword()} {c.Table} {c.Set}"));
            return;
        }
        if (set is null)
        {
            _refused += _pending.Count;
            _pending.Clear();
            ReportError(NftErrors.NotFound("set", c.Set, $"table {c.Family.ToKeyword()} {c.Table}", c.Namespace));
            return;
        }
        if (!final && set.IsInterval) return;
        var elements = _pending.ToArray();
        _pending.Clear();
        bool adding = Verb == "add";
        if (!QueueConfirmed($"set {c.Family.ToKeyword()} {c.Table} {c.Set}", (batch, _) =>
            {
                var specs = LanguageAdapter.EncodeElements(set, c.Family, elements, adding);
                if (specs.Count == 0) return;
                if (adding && set is { IsInterval: true, AutoMerge: false, KeyTypes.Count: 1 } &&
                    LanguageAdapter.OverlapWithExisting(ExistingElements(c), specs, set) is { } overlap)
                    throw new ArgumentException(overlap);
                if (adding) batch.AddElements(c.Family, c.Table, c.Set, specs, DescribeKey, describeAll: DescribeAll(c));
                else batch.DeleteElements(c.Family, c.Table, c.Set, specs, DescribeKey, describeAll: DescribeAll(c));
            }))
            _refused += elements.Length;
    }

    /// <summary>Queues the intervals read without the compiler, merged and checked as nft does. When the compiler has
    /// elements of this set too, or the intervals conflict (the compiler names both elements), they all go through it.</summary>
    private void QueueRanges((NftFamily Family, string Table, string Set, string? Namespace) c)
    {
        if (_ranges.Count == 0) return;
        var specs = _pending.Count == 0 ? _packer?.EncodeIntervals(_ranges) : null;
        _ranges.Clear();
        if (specs is null)
        {
            foreach (string text in _rangeTexts)
            {
                try { _pending.Add(ElementText.Parse(text, null, null)); }
                catch (Exception ex) when (ex is ArgumentException or NftLanguageException) { Refuse(ex, text); }
            }
            _rangeTexts.Clear();
            return;
        }
        int count = _rangeTexts.Count;
        _rangeTexts.Clear();
        var set = _descriptor!;
        if (!QueueConfirmed($"set {c.Family.ToKeyword()} {c.Table} {c.Set}", (batch, _) =>
            {
                if (set is { AutoMerge: false } &&
                    LanguageAdapter.OverlapWithExisting(ExistingElements(c), specs, set) is { } overlap)
                    throw new ArgumentException(overlap);
                batch.AddElements(c.Family, c.Table, c.Set, specs, DescribeIpv4, describeAll: DescribeAll(c));
            }))
            _refused += count;
    }

    /// <summary>The elements the kernel holds in the set (one element dump, as nft reads interval sets before adding).</summary>
    private IEnumerable<NftSetElement> ExistingElements((NftFamily Family, string Table, string Set, string? Namespace) c)
    {
        var rs = ReadRuleset(new NftPS.NfTables.Reading.RulesetQuery
        {
            Family = c.Family, Table = c.Table, Set = c.Set, IncludeTables = false, IncludeChains = false, IncludeRules = false,
            IncludeSets = true, IncludeElements = true, IncludeObjects = false, IncludeFlowtables = false, DescribeRules = false,
        });
        return rs?.Sets.FirstOrDefault(s => s.Family == c.Family && s.Table == c.Table && s.Name == c.Set)?.Elements
               ?? Enumerable.Empty<NftSetElement>();
    }

    protected override void EndChange()
    {
        Flush();
        if (_refused > 0 && AmbientTransactions.For(NetworkNamespace) is null)
        {
            DiscardOwn();
            WriteWarning($"Nothing was changed: {_refused:N0} element(s) were refused, and a pipeline of elements is one transaction.");
        }
    }

    private static string Describe(NftSetElement e) =>
        e.IsCatchAll ? "*" : "0x" + Convert.ToHexString(e.Key ?? Array.Empty<byte>()).ToLowerInvariant() + (e.IsIntervalEnd ? " (interval end)" : "");

    private static string DescribeIpv4(ElementSpec e) => e.Key is { Length: 4 } k ? new System.Net.IPAddress(k).ToString() : DescribeKey(e);

    /// <summary>A message's elements as nft prints the set's elements (ranges, prefixes, `key : data`), from the
    /// kernel set's types; null (each element in hex) for a set this transaction creates.</summary>
    private Func<IReadOnlyList<ElementSpec>, string>? DescribeAll((NftFamily Family, string Table, string Set, string? Namespace) c)
    {
        if (CurrentScope().FindKernelSet(c.Family, c.Table, c.Set) is not { } found) return null;
        var (set, ruleset) = found;
        return specs =>
        {
            string text = NftPS.DesiredState.DifferenceText.Elements(set, specs.Select(ToElement), ruleset);
            return text.Length > 4 ? text[2..^2] : text;
        };
    }

    private static NftSetElement ToElement(ElementSpec e) =>
        new() { Key = e.Key, KeyEnd = e.KeyEnd, Data = e.Data, Verdict = e.Verdict, Flags = e.Flags, ObjectReference = e.ObjectReference };

    private static string DescribeKey(ElementSpec e) => e.Key is { } k ? "0x" + Convert.ToHexString(k).ToLowerInvariant() : "*";

    /// <summary>Queues what is buffered for the current set. Nothing is committed here: the pipeline is one batch.</summary>
    private void Flush()
    {
        if (_current is not { } c) return;
        string target = $"set {c.Family.ToKeyword()} {c.Table} {c.Set}";
        if (_raw.Count > 0)
        {
            var specs = _raw.ToList();
            _raw.Clear();
            QueueConfirmed(target, (batch, _) =>
            {
                if (Verb == "add") batch.AddElements(c.Family, c.Table, c.Set, specs, DescribeKey, describeAll: DescribeAll(c));
                else batch.DeleteElements(c.Family, c.Table, c.Set, specs, DescribeKey, describeAll: DescribeAll(c));
            });
        }
        QueueRanges(c);
        EncodePending(final: true);
        if (_direct.Count > 0)
        {
            var direct = _direct.ToArray();
            _direct.Clear();
            QueueConfirmed(target, (batch, _) =>
            {
                if (Verb == "add") batch.AddElements(c.Family, c.Table, c.Set, direct, DescribeIpv4, describeAll: DescribeAll(c));
                else batch.DeleteElements(c.Family, c.Table, c.Set, direct, DescribeIpv4, describeAll: DescribeAll(c));
            });
        }
    }
}
