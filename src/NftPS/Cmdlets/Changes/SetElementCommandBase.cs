using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets.Changes;

/// <summary>Add-NftSetElement and Remove-NftSetElement: elements from parameters or a pipeline of any length,
/// streamed into element messages chunk by chunk.</summary>
public abstract class SetElementCommandBase : NftChangeCmdletBase
{
    private readonly ElementStream _stream = new();
    // Elements read from the kernel (Get-NftSetElement) go back as the bytes they were read as.
    private readonly List<ElementSpec> _raw = new();
    // Bare IPv4 elements encoded without the compiler; they share the fate of the text elements of their chunk.
    private readonly List<ElementSpec> _direct = new();
    private (NftFamily Family, string Table, string Set, string? Namespace)? _current;
    private long _elements;
    // Whether the current set takes bare IPv4 elements without the compiler (null: not looked up yet).
    private bool? _takesDirect;

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
    /// numbers, arrays (concatenations), hashtables @{ Key; Value; Timeout; Comment }, or elements from Get-NftSetElement.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true)]
    [Alias("Value")]
    public object[] Element { get; set; } = Array.Empty<object>();

    private protected abstract string Verb { get; }
    private protected abstract string Action { get; }

    // One input's elements, resolved before its one ShouldProcess (reused across inputs).
    private readonly List<NftSetElement> _inputRaw = new();
    private readonly List<string> _inputText = new();

    /// <summary>Elements an input lists in full in its ShouldProcess message; the rest are counted.</summary>
    internal const int ShownElements = 16;

    protected override void ProcessChange()
    {
        var where = (Family, Table, Set, NetworkNamespace);
        if (_current is { } c && c != where)
        {
            Flush();
            _takesDirect = null;
        }
        _current = where;
        _inputRaw.Clear();
        _inputText.Clear();
        foreach (object? item in Element)
        {
            object? value = item is PSObject p ? p.BaseObject : item;
            if (value is null) continue;
            if (value is NftSetElement e)
            {
                if (!CheckOrigin(e)) continue;
                // Elements read from the kernel without a text form go back as the bytes they were read as.
                if (e.Value.Length == 0)
                {
                    _inputRaw.Add(e);
                    continue;
                }
            }
            try
            {
                _inputText.Add(Format(value));
            }
            catch (ArgumentException ex)
            {
                ReportError(new ErrorRecord(ex, "NftInvalidElement", ErrorCategory.InvalidArgument, value));
            }
        }
        int count = _inputRaw.Count + _inputText.Count;
        if (count == 0) return;
        // One question per input object (the whole -Element array of a call, or one pipeline object): asking per
        // element cost a formatted, localized message each, which dominated small element transactions.
        if (AmbientTransactions.For(NetworkNamespace) is not { WhatIf: true } && !ShouldProcess(DescribeInput(), Action)) return;
        foreach (var e in _inputRaw)
        {
            _raw.Add(new ElementSpec { Key = e.Key, KeyEnd = e.KeyEnd, Flags = e.Flags, Data = e.Data, Verdict = e.Verdict,
                TimeoutMs = e.Timeout is { } t ? (ulong)t.TotalMilliseconds : null, Comment = e.Comment });
            if (_raw.Count >= ElementStream.ChunkSize) Flush();
        }
        foreach (string text in _inputText)
        {
            if (DirectElements.Ipv4Key(text) is { } key && TakesDirectElements())
            {
                _direct.Add(new ElementSpec { Key = key });
                if (_direct.Count >= ElementStream.ChunkSize) Flush();
                continue;
            }
            _stream.Add(text);
            if (_stream.IsFull) Flush();
        }
        _elements += count;
        ReportProgress();
    }

    /// <summary>The nft command this input amounts to, e.g. `add element ip t s { 10.0.0.1, 10.0.0.2 }`; past
    /// <see cref="ShownElements"/> elements the rest are summarized with the total count.</summary>
    private string DescribeInput()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Verb).Append(" element ").Append(Family.ToKeyword()).Append(' ').Append(Table).Append(' ').Append(Set).Append(" { ");
        int shown = 0, total = _inputRaw.Count + _inputText.Count;
        foreach (var e in _inputRaw)
        {
            if (shown == ShownElements) break;
            if (shown++ > 0) sb.Append(", ");
            sb.Append(Describe(e));
        }
        foreach (string text in _inputText)
        {
            if (shown == ShownElements) break;
            if (shown++ > 0) sb.Append(", ");
            sb.Append(text);
        }
        if (total > shown) sb.Append(", …");
        sb.Append(" }");
        if (total > shown) sb.Append(" (").Append(total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" elements)");
        return sb.ToString();
    }

    private void ReportProgress() =>
        Progress.Report(() => $"{_elements:N0} elements for set {Family.ToKeyword()} {Table} {Set}", _elements);

    /// <summary>Looks the set up once per target (the compiler would read the same kernel sets for the text).
    /// When that fails the elements take the text path, which reports the failure as it always did.</summary>
    private bool TakesDirectElements()
    {
        if (_takesDirect is { } known) return known;
        try
        {
            _takesDirect = DirectElements.Accepts(CurrentScope().FindSet(Family, Table, Set, ReadSets));
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or NftPS.Netlink.NetlinkException
                                       or NftPS.Netlink.NetworkNamespaceNotFoundException)
        {
            _takesDirect = false;
        }
        return _takesDirect.Value;
    }

    private protected virtual string Format(object value) => ElementText.Format(value, null, null);

    protected override void EndChange() => Flush();

    private static string Describe(NftSetElement e) =>
        e.IsCatchAll ? "*" : "0x" + Convert.ToHexString(e.Key ?? Array.Empty<byte>()).ToLowerInvariant() + (e.IsIntervalEnd ? " (interval end)" : "");

    private static string DescribeKey(ElementSpec e) => e.Key is { } k ? "0x" + Convert.ToHexString(k).ToLowerInvariant() : "*";

    private void Flush()
    {
        if (_current is not { } c) return;
        if (_raw.Count > 0)
        {
            var specs = _raw.ToList();
            _raw.Clear();
            QueueConfirmed($"set {c.Family.ToKeyword()} {c.Table} {c.Set}", (batch, _) =>
            {
                string Text(ElementSpec x) => x.Key is { } k ? "0x" + Convert.ToHexString(k).ToLowerInvariant() : "*";
                if (Verb == "add") batch.AddElements(c.Family, c.Table, c.Set, specs, Text);
                else batch.DeleteElements(c.Family, c.Table, c.Set, specs, Text);
            });
        }
        string? command = _stream.TakeCommand(Verb, c.Family, c.Table, c.Set);
        var direct = _direct.ToArray();
        _direct.Clear();
        if (command is null && direct.Length == 0) return;
        string target = $"set {c.Family.ToKeyword()} {c.Table} {c.Set}";
        // As when the whole chunk was one command: an element the compiler refuses keeps the chunk out.
        bool textQueued = command is null ||
            QueueConfirmed(target, (batch, scope) => LanguageAdapter.QueueCommands(batch, scope, ReadSets, command));
        if (direct.Length > 0 && textQueued)
            QueueConfirmed(target, (batch, _) =>
            {
                if (Verb == "add") batch.AddElements(c.Family, c.Table, c.Set, direct, DescribeKey);
                else batch.DeleteElements(c.Family, c.Table, c.Set, direct, DescribeKey);
            });
        CommitIfLarge();
    }
}
