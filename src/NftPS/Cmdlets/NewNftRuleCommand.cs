using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>add rule / insert rule: from nft rule text (-Rule), or from parameters for the common matches.
/// Placement: appended (default), -Insert at the head, -Before/-After a rule handle, or -Index in the chain.</summary>
[Cmdlet(VerbsCommon.New, "NftRule", SupportsShouldProcess = true, DefaultParameterSetName = Text)]
[OutputType(typeof(NftRule))]
public sealed class NewNftRuleCommand : NftChangeCmdletBase
{
    public const string Text = "Text", Structured = "Structured";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string Chain { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    /// <summary>The rule in nft syntax, e.g. 'tcp dport { 22, 443 } ct state new accept'; several rules as an array,
    /// each exactly one rule, added in the array's order. Alias StatelessText: a rule piped from Get-NftRule binds its
    /// stateless text (rule text, parsed as rule text like any -Rule).</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = Text, ValueFromPipelineByPropertyName = true)]
    [Alias("StatelessText")]
    [ValidateNotNullOrEmpty]
    public string[] Rule { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = Structured)] public string? Protocol { get; set; }
    [Parameter(ParameterSetName = Structured)] public string[]? SourceAddress { get; set; }
    [Parameter(ParameterSetName = Structured)] public string[]? DestinationAddress { get; set; }
    [Parameter(ParameterSetName = Structured)] public string[]? SourcePort { get; set; }
    [Parameter(ParameterSetName = Structured)] public string[]? DestinationPort { get; set; }
    [Parameter(ParameterSetName = Structured)] public string[]? InputInterface { get; set; }
    [Parameter(ParameterSetName = Structured)] public string[]? OutputInterface { get; set; }

    [Parameter(ParameterSetName = Structured)]
    [ValidateSet("new", "established", "related", "invalid", "untracked")]
    public string[]? ConnectionState { get; set; }

    /// <summary>The local user (name or uid) that owns the socket (meta skuid; output and postrouting only).</summary>
    [Parameter(ParameterSetName = Structured)] public string? User { get; set; }
    [Parameter(ParameterSetName = Structured)] public SwitchParameter Counter { get; set; }
    [Parameter(ParameterSetName = Structured)] public SwitchParameter Log { get; set; }
    [Parameter(ParameterSetName = Structured)] public string? LogPrefix { get; set; }
    /// <summary>Log to this NFLOG group (log group N) instead of the kernel log: what Receive-NftLog and ulogd read.</summary>
    [Parameter(ParameterSetName = Structured)] [ValidateRange(0, 65535)] public int? LogGroup { get; set; }

    [Parameter(ParameterSetName = Structured)]
    [ValidateSet("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit")]
    public string? LogLevel { get; set; }

    /// <summary>nft's limit: '10/second', '50/second burst 20 packets', 'over 10/minute'.</summary>
    [Parameter(ParameterSetName = Structured)] public string? Limit { get; set; }
    [Parameter(ParameterSetName = Structured)] public NftRuleAction Action { get; set; }
    /// <summary>The chain for -Action Jump or Goto.</summary>
    [Parameter(ParameterSetName = Structured)] public string? Target { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Comment { get; set; }

    /// <summary>At the head of the chain, or with -Index before that rule.</summary>
    [Parameter] public SwitchParameter Insert { get; set; }
    /// <summary>Before the rule with this handle.</summary>
    [Parameter] public ulong? Before { get; set; }
    /// <summary>After the rule with this handle.</summary>
    [Parameter] public ulong? After { get; set; }
    /// <summary>Position in the chain (0 is the first rule): after it, or with -Insert before it.</summary>
    [Parameter] [ValidateRange(0, int.MaxValue)] public int? Index { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    /// <summary>A rule piped from Get-NftRule is copied as nft lists it (its Text), counter values and quota usage
    /// included; without it the copy is its StatelessText and its counters start from zero.</summary>
    [Parameter] public SwitchParameter IncludeCounters { get; set; }

    /// <summary>A piped rule is copied (appended in pipeline order) where -NetworkNamespace says; a piped chain is still
    /// the chain to add to.</summary>
    private protected override string? TemplateKind => "NftRule";

    protected override void ProcessChange()
    {
        if ((Before is not null ? 1 : 0) + (After is not null ? 1 : 0) + (Index is not null ? 1 : 0) > 1)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give only one of -Before, -After and -Index."),
                "NftRulePlacementConflict", ErrorCategory.InvalidArgument, null));
        string where = $"chain {Family.ToKeyword()} {Table} {Chain}";
        if (ParameterSetName == Text)
        {
            // Many rules in one call pay the cmdlet's own costs (binding, namespace and origin checks) once; each rule
            // is still its own question, lockout check and -PassThru object. The placement is worked out once, and
            // rules placed at one spot that would each land before the one added just earlier (-Insert, -After,
            // -Index without -Insert) are queued last to first, so the chain holds them in the array's order.
            var texts = RuleTexts();
            RulePlacement placement;
            try
            {
                placement = Placement();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException
                                           or NftPS.Netlink.NetlinkException or NftPS.Netlink.NetworkNamespaceNotFoundException)
            {
                ReportError(ex is ArgumentException
                    ? new ErrorRecord(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, where)
                    : NftErrors.FromException(ex, where));
                return;
            }
            bool reversed = texts.Length > 1 && (placement == RulePlacement.Prepend || (placement.Handle is not null && !placement.Insert));
            for (int i = 0; i < texts.Length; i++)
                if (!QueueText(where, texts[reversed ? texts.Length - 1 - i : i], placement) && texts.Length > 1)
                    _arrayRefused++;
            return;
        }
        NftRule? compiled = null;
        var queued = Queue(where, "Add rule", (batch, scope) =>
        {
            var rule = new RuleTreeBuilder
            {
                Family = Family, Protocol = Protocol, SourceAddress = SourceAddress, DestinationAddress = DestinationAddress,
                SourcePort = SourcePort, DestinationPort = DestinationPort, InputInterface = InputInterface,
                OutputInterface = OutputInterface, ConnectionState = ConnectionState, User = User, Counter = Counter,
                Log = Log, LogPrefix = LogPrefix, LogGroup = (ushort?)LogGroup, LogLevel = LogLevel, Limit = Limit, Action = Action, Target = Target,
                FindSet = name => scope.FindSet(Family, Table, name, ReadSets),
            }.Build();
            LanguageAdapter.QueueRule(batch, scope, ReadSets, Family, Table, Chain, rule, Placement(), Comment, replaceHandle: null, WriteWarning,
                compiledRule: r => compiled = r);
        }, guard: scope => GuardRule(scope, compiled, rules => EarlierRules(rules, scope)));
        if (queued is { Count: > 0 } && compiled is not null) CurrentScope().QueuedRules.Add(compiled);
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewRule, CreatedKind.Rule, Family, Table, Chain);
    }

    // Rules of an array that were refused (not declined): the call then changes nothing, as one transaction.
    private int _arrayRefused;

    /// <summary>Queues one rule of -Rule; false when it was refused (its error is written), true when queued or declined.</summary>
    private bool QueueText(string where, string ruleText, RulePlacement placement)
    {
        NftRule? compiled = null;
        bool built = false;
        var queued = Queue(where, "Add rule", (batch, scope) =>
            {
                LanguageAdapter.QueueRule(batch, scope, ReadSets, Family, Table, Chain, ruleText, placement, Comment, replaceHandle: null, WriteWarning,
                    compiledRule: r => compiled = r);
                built = true;
            },
            guard: scope => GuardRule(scope, compiled, rules => EarlierRules(rules, scope)));
        if (queued is { Count: > 0 } && compiled is not null) CurrentScope().QueuedRules.Add(compiled);
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewRule, CreatedKind.Rule, Family, Table, Chain);
        return built;
    }

    protected override void EndChange()
    {
        if (_arrayRefused > 0 && AmbientTransactions.For(NetworkNamespace) is null)
        {
            DiscardOwn();
            WriteWarning($"Nothing was changed: {_arrayRefused:N0} rule(s) of -Rule were refused, and one call is one transaction.");
        }
    }

    /// <summary>-Rule, or for a piped rule with -IncludeCounters its stateful text (parsed as rule text like -Rule).</summary>
    private string[] RuleTexts()
    {
        if (!IncludeCounters || _ruleTyped || !InputIsTemplate) return Rule;
        var text = InvocationIntrospection.CurrentPipelineObject(this)?.Properties["Text"]?.Value;
        return (text is PSObject p ? p.BaseObject : text) is string { Length: > 0 } stateful ? new[] { stateful } : Rule;
    }

    private bool _ruleTyped;

    protected override void BeginProcessing()
    {
        _ruleTyped = MyInvocation.BoundParameters.ContainsKey(nameof(Rule));
        base.BeginProcessing();
    }

    /// <summary>The chain's rules that will come before the new one: all (queued ones too) when appended, those up to -After's handle;
    /// for the other placements none are counted (the lockout check then assumes no accept shields it).</summary>
    private IEnumerable<NftRule>? EarlierRules(IReadOnlyList<NftRule> rules, ChangeScope scope)
    {
        if (After is { } after) return RulesBefore(rules, after, including: true);
        if (Before is not null || Index is not null || Insert) return null;
        // Appended: after every rule of the chain, those queued earlier in this transaction included.
        return rules.Concat(scope.QueuedRules.Where(r => r.Family == Family && r.Table == Table && r.Chain == Chain));
    }

    private RulePlacement Placement()
    {
        if (Before is { } b) return new RulePlacement(Insert: true, Handle: b);
        if (After is { } a) return new RulePlacement(Insert: false, Handle: a);
        if (Index is { } index)
        {
            var rs = ReadRuleset(new RulesetQuery { Family = Family, Table = Table, Chain = Chain, IncludeSets = false,
                IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false, DescribeRules = false })
                ?? throw new InvalidOperationException($"Could not read chain {Family.ToKeyword()} {Table} {Chain}.");
            var rules = rs.Rules.Where(r => r.Family == Family && r.Table == Table && r.Chain == Chain).ToList();
            if (index >= rules.Count)
                throw new ArgumentException($"-Index {index} is past the end of chain {Family.ToKeyword()} {Table} {Chain}, which has {rules.Count} rule(s).");
            return new RulePlacement(Insert: Insert, Handle: rules[index].Handle);
        }
        return Insert ? RulePlacement.Prepend : RulePlacement.Append;
    }
}
