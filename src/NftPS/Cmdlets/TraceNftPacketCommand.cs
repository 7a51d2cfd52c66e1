using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Tracing;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Trace;

namespace NftPS.Cmdlets;

/// <summary>Traces the packets the parameters select through the ruleset (`nft monitor trace` as objects): a temporary
/// table of its own marks them with `meta nftrace set 1`, and each packet comes out as one object with its path — every
/// chain and rule it hit (handle and rule text), the verdicts, the policy applied. The table is removed when the command
/// ends, however it ends (and by the kernel if the process dies: it is an owner table).</summary>
[Cmdlet(VerbsDiagnostic.Trace, "NftPacket")]
[OutputType(typeof(NftPacketTrace))]
public sealed class TraceNftPacketCommand : NftCmdletBase
{
    /// <summary>The family of the temporary table: inet (both IPv4 and IPv6) unless ip or ip6 is asked for.</summary>
    [Parameter]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet)]
    public NftFamily Family { get; set; } = NftFamily.Inet;

    [Parameter] public string? Protocol { get; set; }
    [Parameter] public string[]? SourceAddress { get; set; }
    [Parameter] public string[]? DestinationAddress { get; set; }
    [Parameter] public string[]? SourcePort { get; set; }
    [Parameter] public string[]? DestinationPort { get; set; }
    [Parameter] public string[]? InputInterface { get; set; }
    [Parameter] public string[]? OutputInterface { get; set; }

    /// <summary>Stop after this many packets.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Stop after this many seconds (fractions allowed), whether or not packets came; not an error.</summary>
    [Parameter]
    [ValidateRange(0.0, 31536000.0)]
    public double Timeout { get; set; }

    protected override void ProcessRecord()
    {
        if (!ResolveNamespace()) return;
        var match = new RuleTreeBuilder
        {
            Family = Family, Protocol = Protocol, SourceAddress = SourceAddress, DestinationAddress = DestinationAddress,
            SourcePort = SourcePort, DestinationPort = DestinationPort, InputInterface = InputInterface,
            OutputInterface = OutputInterface, TraceMark = true,
        };
        NftTraceListener? listener = null;
        InterfaceNames? names = null;
        TraceTable? table = null;
        try
        {
            // Listen first, so the first packet's steps are not lost between the commit and the join.
            listener = NftTraceListener.Open(NetworkNamespace);
            names = InterfaceNames.Open(NetworkNamespace);
            table = ConnectionCache.Use(NetworkNamespace, b => TraceTable.Create(b, Family, match, Cancellation));
            Listen(listener, names, table);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested) { throw new PipelineStoppedException(); }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(NftErrors.FromException(ex, table?.Name ?? (object)"Trace-NftPacket"));
        }
        finally
        {
            listener?.Dispose();
            names?.Dispose();
            if (table is not null) RemoveTable(table);
        }
    }

    private void Listen(NftTraceListener listener, InterfaceNames names, TraceTable table)
    {
        bool limited = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout));
        DateTime deadline = limited ? DateTime.UtcNow + TimeSpan.FromSeconds(Timeout) : DateTime.MaxValue;
        var rules = new RuleTexts(NetworkNamespace, Cancellation);
        var assembler = new NftTraceAssembler
        {
            Ignore = table.Owns,
            DescribeRule = rules.Find,
            InterfaceName = names.NameOf,
        };
        long written = 0;
        bool Emit(IEnumerable<NftPacketTrace> traces)
        {
            foreach (var trace in traces)
            {
                WriteObject(trace);
                if (Count != 0 && ++written >= Count) return false;
            }
            return true;
        }
        while (true)
        {
            DateTime now = DateTime.UtcNow;
            if (now >= deadline) break;
            // Wake for whichever comes first: the deadline, or the moment an open packet has been quiet long enough.
            DateTime wake = assembler.NextExpiry is { } e && e < deadline ? e : deadline;
            TimeSpan wait = wake == DateTime.MaxValue ? TimeSpan.FromSeconds(1) : Max(wake - now, TimeSpan.FromMilliseconds(1));
            var steps = listener.Receive(wait, Cancellation);
            if (!Emit(assembler.Add(steps, DateTime.UtcNow)) || !Emit(assembler.Expire(DateTime.UtcNow))) return;
        }
        // The deadline: packets heard so far are reported as they are.
        Emit(assembler.Flush());
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void RemoveTable(TraceTable table)
    {
        try
        {
            ConnectionCache.Use(NetworkNamespace, b => { table.Remove(b); return table; });
        }
        catch (Exception ex) when (!Cancellation.IsCancellationRequested)
        {
            WriteError(NftErrors.FromException(ex, table.Name));
        }
        catch (Exception)
        {
            // Stopped: nothing can be written now; the kernel removes the owner table when the session's socket closes.
        }
    }

    /// <summary>Rule text by (family, table, chain, handle), from a ruleset read when first needed and read again when
    /// a rule is not in it (it was added since).</summary>
    private sealed class RuleTexts(string? networkNamespace, CancellationToken cancellation)
    {
        private Dictionary<(NftFamily, string, string, ulong), string>? _texts;
        private readonly HashSet<(NftFamily, string, string, ulong)> _reread = new();

        public string? Find(NftTraceStep step)
        {
            if (step.Handle is not ulong handle) return null;
            var key = (step.Family, step.Table, step.Chain, handle);
            if (_texts is null || !_texts.ContainsKey(key) && _reread.Add(key)) Read();
            return _texts!.TryGetValue(key, out var text) ? text : null;
        }

        private void Read()
        {
            var ruleset = ConnectionCache.Use(networkNamespace, b => RulesetSource.Read(b,
                new RulesetQuery { IncludeTables = true, IncludeChains = true, IncludeRules = true, IncludeSets = true }, cancellation));
            _texts = ruleset.Rules.ToDictionary(r => (r.Family, r.Table, r.Chain, r.Handle), r => r.Text);
        }
    }
}
