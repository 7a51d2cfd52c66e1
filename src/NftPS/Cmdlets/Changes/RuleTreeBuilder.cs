using System.Text;
using System.Text.RegularExpressions;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Printing;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Cmdlets.Changes;

/// <summary>The common matches of a rule as parameters, built as the rule's syntax tree: the selectors and keywords
/// are NftPS's own constant text, and each parameter value is parsed on its own as exactly one value of its kind
/// (a port, an address, an interface name, a limit) and put into the tree as that value, so no value can add a
/// statement. Statements go in the order nft lists them (interfaces, user, protocol and ports, ct state,
/// addresses, then limit, counter, log and the verdict), so a rule built from parameters lists exactly like the
/// same rule written by hand. The tree's text (for -WhatIf and descriptions) is printed from the same values with
/// every string quoted, and parses back to the same rule.</summary>
internal sealed class RuleTreeBuilder
{
    public NftFamily Family { get; init; }
    public string? Protocol { get; init; }
    public string[]? SourceAddress { get; init; }
    public string[]? DestinationAddress { get; init; }
    public string[]? SourcePort { get; init; }
    public string[]? DestinationPort { get; init; }
    public string[]? InputInterface { get; init; }
    public string[]? OutputInterface { get; init; }
    public string[]? ConnectionState { get; init; }
    public string? User { get; init; }
    public bool Counter { get; init; }
    public bool Log { get; init; }
    public string? LogPrefix { get; init; }
    public string? LogLevel { get; init; }
    public ushort? LogGroup { get; init; }
    public string? Limit { get; init; }
    public NftRuleAction Action { get; init; }
    public string? Target { get; init; }
    /// <summary>Ends the matches with `meta nftrace set 1` (Trace-NftPacket's rule).</summary>
    public bool TraceMark { get; init; }
    /// <summary>Looks up a named set (for `@name` addresses in inet tables: ip or ip6 follows its key type).</summary>
    public Func<string, SetDescriptor?> FindSet { get; init; } = _ => null;

    /// <summary>Linux interface names are at most 15 bytes (IFNAMSIZ less the NUL).</summary>
    private const int MaxInterfaceNameBytes = 15;

    private static readonly string[] PortProtocols = { "tcp", "udp", "sctp", "dccp", "udplite" };

    private readonly List<(StatementNode Statement, string Text)> _parts = new();

    public RuleNode Build()
    {
        _parts.Clear();
        if (InputInterface is { Length: > 0 }) AddMatch("iifname", Values(InputInterface, InterfaceName, "-InputInterface"));
        if (OutputInterface is { Length: > 0 }) AddMatch("oifname", Values(OutputInterface, InterfaceName, "-OutputInterface"));
        if (!string.IsNullOrEmpty(User)) AddMatch("meta skuid", UserValue(User));

        bool ports = SourcePort is { Length: > 0 } || DestinationPort is { Length: > 0 };
        if (ports)
        {
            string proto = (Protocol ?? throw new ArgumentException("-SourcePort and -DestinationPort need -Protocol (tcp, udp, sctp, dccp or udplite).")).ToLowerInvariant();
            if (!PortProtocols.Contains(proto))
                throw new ArgumentException($"Ports need a protocol with ports (tcp, udp, sctp, dccp, udplite), not '{ValueText.Shown(Protocol)}'.");
            if (SourcePort is { Length: > 0 }) AddMatch($"{proto} sport", Values(SourcePort, Port, "-SourcePort"));
            if (DestinationPort is { Length: > 0 }) AddMatch($"{proto} dport", Values(DestinationPort, Port, "-DestinationPort"));
        }
        else if (!string.IsNullOrEmpty(Protocol))
        {
            string selector = Family switch { NftFamily.Ip => "ip protocol", NftFamily.Ip6 => "ip6 nexthdr", _ => "meta l4proto" };
            AddMatch(selector, ProtocolValue(Protocol));
        }

        if (ConnectionState is { Length: > 0 })
        {
            var states = ConnectionState.Select(s => s.ToLowerInvariant()).ToArray();
            foreach (string s in states)
                if (!Regex.IsMatch(s, "^[a-z]+$")) throw new ArgumentException($"'{ValueText.Shown(s)}' is not a connection state.");
            AddConstant("ct state " + string.Join(",", states));
        }
        if (SourceAddress is { Length: > 0 })
        {
            var value = Values(SourceAddress, Address, "-SourceAddress");
            AddMatch($"{AddressFamily(value)} saddr", value);
        }
        if (DestinationAddress is { Length: > 0 })
        {
            var value = Values(DestinationAddress, Address, "-DestinationAddress");
            AddMatch($"{AddressFamily(value)} daddr", value);
        }

        if (Limit is not null)
        {
            if (string.IsNullOrWhiteSpace(Limit)) throw new ArgumentException($"-Limit is empty: '{ValueText.Shown(Limit)}'.");
            var (limit, text) = Parser.ParseLimitValue(new SourceText(Limit.Trim()));
            _parts.Add((limit, "limit rate " + text));
        }
        if (Counter) AddConstant("counter");
        if (Log || LogPrefix is not null || LogLevel is not null || LogGroup is not null) AddLog();
        if (TraceMark) AddConstant("meta nftrace set 1");
        AddVerdict();
        if (_parts.Count == 0)
            throw new ArgumentException("The rule is empty: give -Rule text, or matches such as -Protocol/-DestinationPort and an -Action.");

        string ruleText = string.Join(" ", _parts.Select(p => p.Text));
        var rule = new RuleNode { Span = new SourceSpan(new SourceText(ruleText), 0, ruleText.Length) };
        rule.Statements.AddRange(_parts.Select(p => p.Statement));
        return rule;
    }

    private void AddMatch(string selector, Node value)
    {
        var match = new MatchStatement { Left = Parser.ParseSelector(selector), Op = RelOp.Implicit, Right = value, Span = value.Span };
        _parts.Add((match, selector + " " + ValueText.Print(value)));
    }

    private void AddConstant(string text) => _parts.Add((Parser.ParseConstantStatement(text), text));

    private void AddLog()
    {
        var log = (ActionStatement)Parser.ParseConstantStatement("log");
        var text = new StringBuilder("log");
        if (LogPrefix is not null)
        {
            var source = new SourceText(LogPrefix);
            text.Append(" prefix ").Append(ValueText.Quote(LogPrefix, "log prefix"));
            // The prefix is one string token: whatever it holds, it is the prefix.
            log.Options["prefix"] = new Token(TokenKind.QuotedString, LogPrefix, new SourceSpan(source, 0, LogPrefix.Length), true);
        }
        if (LogGroup is ushort group)
        {
            // nft lists the group after the prefix; a number, never text from the caller.
            text.Append(" group ").Append(group.ToString(System.Globalization.CultureInfo.InvariantCulture));
            log.Options["group"] = (ulong)group;
        }
        if (LogLevel is not null)
        {
            string level = LogLevel.ToLowerInvariant();
            if (!Regex.IsMatch(level, "^[a-z]+$")) throw new ArgumentException($"'{ValueText.Shown(LogLevel)}' is not a log level.");
            text.Append(" level ").Append(level);
            log.Options["level"] = new Token(TokenKind.Word, level, new SourceSpan(new SourceText(level), 0, level.Length), true);
        }
        _parts.Add((log, text.ToString()));
    }

    private void AddVerdict()
    {
        switch (Action)
        {
            case NftRuleAction.None:
                if (!string.IsNullOrEmpty(Target)) throw new ArgumentException("-Target goes with -Action Jump or Goto.");
                break;
            case NftRuleAction.Jump or NftRuleAction.Goto:
            {
                if (string.IsNullOrEmpty(Target)) throw new ArgumentException($"-Action {Action} needs -Target, the chain to {Action.ToString().ToLowerInvariant()} to.");
                string verdict = Action.ToString().ToLowerInvariant();
                string text = verdict + " " + ValueText.Name(Target);
                var span = new SourceSpan(new SourceText(text), 0, text.Length);
                // The chain is a name, taken whole: never parsed, so it cannot be a bound chain `{ … }` or more text.
                _parts.Add((new VerdictStatement { Verdict = new VerdictNode { Verdict = verdict, Chain = Target, Span = span }, Span = span }, text));
                break;
            }
            default:
                if (!string.IsNullOrEmpty(Target)) throw new ArgumentException("-Target goes with -Action Jump or Goto.");
                AddConstant(Action.ToString().ToLowerInvariant());
                break;
        }
    }

    /// <summary>One value or, for several (an array, or commas in one string), an anonymous set of them.</summary>
    private static Node Values(string[] values, Func<string, Node> one, string parameter)
    {
        var items = values.Where(v => v is not null).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToArray();
        // An empty item (a blank string, a line break, a stray comma) is refused rather than dropped: the rule would
        // otherwise match less than was written.
        if (items.Length == 0 || items.Any(i => i.Length == 0))
            throw new ArgumentException($"{parameter} has an empty value: '{ValueText.Shown(string.Join(",", values))}'.");
        if (items.Length == 1) return one(items[0]);
        var set = new SetNode();
        foreach (string item in items)
        {
            var value = one(item);
            if (value is SetRefNode) throw new ArgumentException("A set reference (@name) cannot be combined with other values.");
            set.Elements.Add(value);
        }
        set.Span = set.Elements[0].Span;
        return set;
    }

    /// <summary>A port, a port range or a service name (`22`, `1024-65535`, `ssh`), or `@set`.</summary>
    private static Node Port(string text)
    {
        var value = Parser.ParseOneValue(new SourceText(text), "port", allowSetReference: true);
        bool ok = value is SetRefNode || IsAtom(value) || value is RangeNode r && IsAtom(r.Low) && IsAtom(r.High);
        return ok ? value : throw new NftEvaluationException(value.Span, $"'{ValueText.Shown(text)}' is not a port, a port range or a service name");
    }

    /// <summary>An address, a prefix or a range (`10.0.0.1`, `10.0.0.0/8`, `10.0.0.1-10.0.0.9`), or `@set`.</summary>
    private static Node Address(string text)
    {
        var value = Parser.ParseOneValue(new SourceText(text), "address", allowSetReference: true);
        bool ok = value is SetRefNode || IsAtom(value) || value is PrefixNode p && IsAtom(p.Inner) ||
                  value is RangeNode r && IsAtom(r.Low) && IsAtom(r.High);
        return ok ? value : throw new NftEvaluationException(value.Span, $"'{ValueText.Shown(text)}' is not an address, a prefix or an address range");
    }

    /// <summary>An interface name is a string taken whole (`eth0`, `eth*`), quoted in the text.</summary>
    private static Node InterfaceName(string text)
    {
        ValueText.CheckString(text, "interface name");
        if (Encoding.UTF8.GetByteCount(text) > MaxInterfaceNameBytes)
            throw new ArgumentException($"The interface name '{text}' is longer than {MaxInterfaceNameBytes} bytes, the most Linux allows.");
        return new SymbolNode { Text = text, Quoted = true, Span = new SourceSpan(new SourceText(text), 0, text.Length) };
    }

    /// <summary>A uid (a number) or a user name (a string, resolved when the rule is compiled).</summary>
    private static Node UserValue(string user)
    {
        if (uint.TryParse(user, out _)) return Parser.ParseOneValue(new SourceText(user), "uid");
        ValueText.CheckString(user, "user name");
        return new SymbolNode { Text = user, Quoted = true, Span = new SourceSpan(new SourceText(user), 0, user.Length) };
    }

    private static Node ProtocolValue(string protocol)
    {
        var value = Parser.ParseOneValue(new SourceText(protocol.ToLowerInvariant()), "protocol");
        return IsAtom(value) ? value : throw new NftEvaluationException(value.Span, $"'{ValueText.Shown(protocol)}' is not a protocol");
    }

    private static bool IsAtom(Node n) => n is SymbolNode { Quoted: false };

    private string AddressFamily(Node value)
    {
        if (Family == NftFamily.Ip) return "ip";
        if (Family == NftFamily.Ip6) return "ip6";
        bool? v6 = null;
        foreach (var v in value is SetNode s ? s.Elements : new List<Node> { value })
        {
            bool isV6;
            if (v is SetRefNode r)
            {
                var set = FindSet(r.Name) ?? throw new ArgumentException($"Set '{r.Name}' was not found in the table.");
                isV6 = set.KeyTypes.Count > 0 && set.KeyTypes[0] == DataTypeRegistry.Ipv6Addr;
            }
            else isV6 = ValueText.Print(v).Contains(':');
            if (v6 is { } seen && seen != isV6)
                throw new ArgumentException("IPv4 and IPv6 addresses cannot be matched in one rule: make one rule for each.");
            v6 = isV6;
        }
        return v6 == true ? "ip6" : "ip";
    }
}
