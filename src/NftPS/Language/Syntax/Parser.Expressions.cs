using NftPS.Language.Protocols;

namespace NftPS.Language.Syntax;

internal sealed partial class Parser
{
    private static readonly HashSet<string> UnqualifiedMeta = new()
    {
        "mark", "iif", "iifname", "iiftype", "oif", "oifname", "oiftype", "skuid", "skgid", "nftrace", "rtclassid",
        "ibriport", "obriport", "ibrname", "obrname", "pkttype", "cpu", "iifgroup", "oifgroup", "cgroup", "ipsec", "time", "day", "hour",
    };

    private static readonly string[] ExthdrNames = { "hbh", "rt", "rt0", "rt2", "srh", "frag", "dst", "mh" };

    /// <summary>An expression: concatenation of binary-operator terms, optionally followed by `map`.
    /// On the left of a match only keyword expressions are allowed; elsewhere constants too.</summary>
    internal Node ParseExpression(bool lhs, bool natContext = false)
    {
        var first = ParseOr(lhs, natContext);
        Node result = first;
        if (AtPunct(".") )
        {
            var c = new ConcatNode();
            c.Items.Add(first);
            while (AcceptPunct(".")) c.Items.Add(ParseOr(lhs, natContext));
            c.Span = c.Items[0].Span.To(c.Items[^1].Span);
            result = c;
        }
        if (AtWord("map"))
        {
            Take();
            var map = ParseMapTarget();
            result = new MapLookupNode { Key = result, Map = map, Span = result.Span.To(map.Span) };
        }
        return result;
    }

    private Node ParseMapTarget()
    {
        if (Cur.Kind == TokenKind.At)
        {
            var t = Take();
            return new SetRefNode { Name = t.Text, Span = t.Span };
        }
        if (AtPunct("{")) return ParseSetLiteral();
        if (Cur.Kind == TokenKind.Variable) return ExpandVariable(Take(), p => p.ParseMapTarget());
        throw Unexpected();
    }

    private Node ParseOr(bool lhs, bool nat)
    {
        var left = ParseXor(lhs, nat);
        int level = _nesting;
        while (AtPunct("|") || AtWord("or"))
        {
            Deeper(Take());
            var right = ParseXor(false, nat);
            left = new BinaryNode { Op = BinaryOp.Or, Left = left, Right = right, Span = left.Span.To(right.Span) };
        }
        _nesting = level;
        return left;
    }

    private Node ParseXor(bool lhs, bool nat)
    {
        var left = ParseAnd(lhs, nat);
        int level = _nesting;
        while (AtPunct("^") || AtWord("xor"))
        {
            Deeper(Take());
            var right = ParseAnd(false, nat);
            left = new BinaryNode { Op = BinaryOp.Xor, Left = left, Right = right, Span = left.Span.To(right.Span) };
        }
        _nesting = level;
        return left;
    }

    private Node ParseAnd(bool lhs, bool nat)
    {
        var left = ParseShift(lhs, nat);
        int level = _nesting;
        while (AtPunct("&") || AtWord("and"))
        {
            Deeper(Take());
            var right = ParseShift(false, nat);
            left = new BinaryNode { Op = BinaryOp.And, Left = left, Right = right, Span = left.Span.To(right.Span) };
        }
        _nesting = level;
        return left;
    }

    private Node ParseShift(bool lhs, bool nat)
    {
        var left = ParsePrimary(lhs, nat);
        int level = _nesting;
        while (AtPunct("<<") || AtPunct(">>") || AtWord("lshift") || AtWord("rshift"))
        {
            Deeper(Cur);
            var op = Take().Text is "<<" or "lshift" ? BinaryOp.LShift : BinaryOp.RShift;
            var right = ParsePrimary(false, nat);
            left = new BinaryNode { Op = op, Left = left, Right = right, Span = left.Span.To(right.Span) };
        }
        _nesting = level;
        return left;
    }

    private Node ParsePrimary(bool lhs, bool nat)
    {
        if (AtPunct("("))
        {
            var open = Take();
            Deeper(open);
            var inner = ParseExpression(lhs);
            _nesting--;
            var close = Cur;
            ExpectPunct(")");
            inner.Span = open.Span.To(close.Span);
            return inner;
        }
        var keyed = TryParseKeywordExpression(strict: lhs);
        if (keyed is not null) return keyed;
        if (lhs)
        {
            if (Cur.Kind == TokenKind.Variable) return ExpandVariable(Take(), p => p.ParseExpression(true));
            throw Unexpected();
        }
        if (AtPunct("{")) return ParseSetLiteral();
        return ParseRangeValue();
    }

    /// <summary>Keyword-led expressions: header fields, meta, ct, rt, socket, fib, numgen, hash, osf, ipsec, raw payload.</summary>
    /// <summary>A raw payload offset or length in bits. nft wraps offsets past 2^32 silently and aborts on lengths
    /// past 2^31; both are refused here (the evaluator then holds lengths to 128 bits).</summary>
    private int RawPayloadNumber(Token t)
    {
        ulong v = ParseUnsigned(t);
        if (v > int.MaxValue) throw new NftEvaluationException(t.Span, "value too large");
        return (int)v;
    }

    private Node? TryParseKeywordExpression(bool strict)
    {
        Token t = Cur;
        if (t.Kind == TokenKind.At && PeekTok().IsPunct(",") && t.Text is "ll" or "nh" or "th" or "ih")
        {
            Take(); Take();
            var offTok = ExpectWord();
            int off = RawPayloadNumber(offTok);
            ExpectPunct(",");
            var lenTok = ExpectWord();
            int len = RawPayloadNumber(lenTok);
            var b = t.Text switch { "ll" => ProtoBase.LinkLayer, "nh" => ProtoBase.Network, "th" => ProtoBase.Transport, _ => ProtoBase.Inner };
            return new PayloadNode { Raw = true, Base = b, OffsetBits = off, LengthBits = len, Span = t.Span.To(lenTok.Span) };
        }
        if (t.Kind != TokenKind.Word) return null;
        Token next = PeekTok();
        string w = t.Text;
        switch (w)
        {
            case "meta":
            {
                if (next.Kind != TokenKind.Word) return strict ? throw Unexpected(next) : null;
                var key = MetaKeys.FromToken(next.Text) ?? throw Unexpected(next);
                Take(); Take();
                return new MetaNode { Key = key, Span = t.Span.To(next.Span) };
            }
            case "ct":
                return ParseCt(strict);
            case "rt" when next.Kind != TokenKind.Word || ExtensionHeaders.Rt.Field(next.Text) is null:
            {
                Take();
                string? fam = AtWord("ip") || AtWord("ip6") ? Take().Text : null;
                var k = ExpectWord();
                int key = k.Text switch
                {
                    "classid" => 0, "nexthop" => fam == "ip6" ? 2 : 1, "mtu" => 3, "ipsec" => 4,
                    _ => throw Unexpected(k),
                };
                return new KeyedNode { Kind = "rt", Key = key, Direction = fam is null ? null : fam == "ip" ? 2 : 10, Span = t.Span.To(k.Span) };
            }
            case "socket":
            {
                Take();
                var k = ExpectWord();
                int key = k.Text switch { "transparent" => 0, "mark" => 1, "wildcard" => 2, "cgroupv2" => 3, _ => throw Unexpected(k) };
                int? level = null;
                if (key == 3) { ExpectWord("level"); level = (int)ExpectNumberAtMost(int.MaxValue); }
                return new KeyedNode { Kind = "socket", Key = key, Level = level, Span = t.Span.To(_tokens[_pos - 1].Span) };
            }
            case "osf":
            {
                Take();
                int? ttl = null;
                if (AcceptWord("ttl"))
                {
                    var tt = ExpectWord();
                    ttl = tt.Text switch { "loose" => 1, "skip" => 2, _ => throw Unexpected(tt) };
                }
                var k = ExpectWord();
                if (k.Text is not ("name" or "version")) throw Unexpected(k);
                return new KeyedNode { Kind = "osf", Key = k.Text == "version" ? 1 : 0, Level = ttl, Span = t.Span.To(k.Span) };
            }
            case "fib":
            {
                Take();
                uint flags = 0;
                do
                {
                    var f = ExpectWord();
                    flags |= f.Text switch
                    {
                        "saddr" => 1u, "daddr" => 2u, "mark" => 4u, "iif" => 8u, "oif" => 16u,
                        _ => throw Unexpected(f),
                    };
                } while (AcceptPunct("."));
                var r = ExpectWord();
                int key = r.Text switch { "oif" => 1, "oifname" => 2, "type" => 3, _ => throw Unexpected(r) };
                return new KeyedNode { Kind = "fib", Key = key, Flags = flags, Span = t.Span.To(r.Span) };
            }
            case "numgen":
            {
                Take();
                var k = ExpectWord();
                int key = k.Text switch { "inc" => 0, "random" => 1, _ => throw Unexpected(k) };
                ExpectWord("mod");
                uint mod = (uint)ExpectNumberAtMost(uint.MaxValue);
                uint off = 0;
                if (AcceptWord("offset")) off = (uint)ExpectNumberAtMost(uint.MaxValue);
                return new KeyedNode { Kind = "numgen", Key = key, Modulus = mod, Offset = off, Span = t.Span.To(_tokens[_pos - 1].Span) };
            }
            case "jhash" or "symhash":
            {
                Take();
                Node? input = w == "jhash" ? ParseExpression(true) : null;
                ExpectWord("mod");
                uint mod = (uint)ExpectNumberAtMost(uint.MaxValue);
                uint seed = 0, off = 0;
                bool seedSet = false;
                if (AcceptWord("seed")) { seed = (uint)ExpectNumberAtMost(uint.MaxValue); seedSet = true; }
                if (AcceptWord("offset")) off = (uint)ExpectNumberAtMost(uint.MaxValue);
                return new KeyedNode { Kind = w, Key = w == "jhash" ? 0 : 1, HashInput = input, Modulus = mod, Seed = seed, SeedSet = seedSet,
                    Offset = off, Span = t.Span.To(_tokens[_pos - 1].Span) };
            }
            case "ipsec":
            {
                if (!(next.IsWord("in") || next.IsWord("out"))) break; // unqualified `ipsec exists` is meta ipsec
                Take();
                int dir = Take().Text == "in" ? 0 : 1;
                ulong spnum = 0;
                SourceSpan spnumSpan = default;
                if (AtWord("spnum"))
                {
                    var kw = Take();
                    var num = ExpectWord();
                    spnum = ParseUnsigned(num);
                    spnumSpan = kw.Span.To(num.Span);
                }
                var k = ExpectWord();
                int key;
                if (k.Text is "ip" or "ip6")
                {
                    var f = ExpectWord();
                    bool v6 = k.Text == "ip6";
                    key = f.Text switch { "daddr" => v6 ? 2 : 1, "saddr" => v6 ? 4 : 3, _ => throw Unexpected(f) };
                }
                else key = k.Text switch { "reqid" => 5, "spi" => 6, _ => throw Unexpected(k) };
                // Checked after the whole expression is read, so a missing key is reported first, as nft does.
                if (spnum > 255) throw new NftEvaluationException(spnumSpan, "value too large");
                return new KeyedNode { Kind = "xfrm", Key = key, Direction = dir, Spnum = (int)spnum, Span = t.Span.To(_tokens[_pos - 1].Span) };
            }
            case "exthdr":
            {
                Take();
                var n = ExpectWord();
                var desc = ExtensionHeaders.Ipv6ById.FirstOrDefault(d => d?.Name == n.Text) ?? throw Unexpected(n);
                return new ExthdrNode { Op = ExthdrOp.Ipv6, Desc = desc, Exists = true, Span = t.Span.To(n.Span) };
            }
        }
        if (Array.IndexOf(ExthdrNames, w) >= 0 && next.Kind == TokenKind.Word)
        {
            var desc = ExtensionHeaders.Ipv6ById.First(d => d?.Name == w)!;
            // `srh sid[1]`, `rt0 addr[2]`: an indexed field is one name in the header's table.
            int used = 2;
            string fieldName = next.Text;
            if (PeekTok(2).IsPunct("[") && IsNumber(PeekTok(3)) && PeekTok(4).IsPunct("]") && desc.Field($"{next.Text}[{PeekTok(3).Text}]") is not null)
            {
                fieldName = $"{next.Text}[{PeekTok(3).Text}]";
                used = 5;
            }
            var field = desc.Field(fieldName);
            // `rt` is also a routing-expression keyword; `frag` ... only as exthdr with a known field.
            if (field is null)
            {
                if (w == "rt") field = ExtensionHeaders.Rt.Field(next.Text);
                if (field is null) return strict && w != "rt" ? throw Unexpected(next) : null;
            }
            var lastTok = PeekTok(used - 1);
            _pos += used;
            return new ExthdrNode { Op = ExthdrOp.Ipv6, Desc = desc, Field = field, Span = t.Span.To(lastTok.Span) };
        }
        // Only where an expression to match is expected: `ip protocol gre` names the protocol.
        if (strict && Tunnels.FromName(w) is { } tunnel && next.Kind == TokenKind.Word
            && (tunnel.Header?.Field(next.Text) is not null || ProtocolHeaders.FromName(next.Text) is not null || next.Text == "meta"))
            return ParseTunnelExpression(tunnel, strict);
        var header = w == "icmp6" ? null : ProtocolHeaders.FromName(w);
        if (header is not null && next.Kind == TokenKind.Word)
        {
            if (w == "tcp" && next.Text == "option") return ParseOption(ExthdrOp.TcpOption, ExtensionHeaders.TcpOptions);
            if (w == "ip" && next.Text == "option") return ParseOption(ExthdrOp.Ipv4Option, ExtensionHeaders.IpOptions);
            if (w == "sctp" && next.Text == "chunk") return ParseOption(ExthdrOp.SctpChunk, ExtensionHeaders.SctpChunks);
            string fieldName = next.Text;
            int used = 2;
            if (header == ProtocolHeaders.Arp && next.Text is "saddr" or "daddr" && PeekTok(2).Kind == TokenKind.Word &&
                PeekTok(2).Text is "ether" or "ip")
            {
                fieldName = next.Text + " " + PeekTok(2).Text;
                used = 3;
            }
            var field = header.Field(fieldName);
            if (field is null) return strict ? throw Unexpected(next) : null;
            var last = PeekTok(used - 1);
            _pos += used;
            return new PayloadNode { Header = header, Field = field, Base = header.Base, OffsetBits = field.OffsetBits,
                LengthBits = field.LengthBits, Span = t.Span.To(last.Span) };
        }
        if (UnqualifiedMeta.Contains(w))
        {
            Take();
            return new MetaNode { Key = MetaKeys.FromToken(w)!, Span = t.Span };
        }
        return null;
    }

    /// <summary>`vxlan vni 10` (a field of the tunnel header), `vxlan ip saddr 1.2.3.4` (a header field of the packet
    /// inside the tunnel): nft 1.1's inner expressions.</summary>
    private Node? ParseTunnelExpression(TunnelDesc tunnel, bool strict)
    {
        var t = Take();
        if (tunnel.Header?.Field(Cur.Text) is { } own)
        {
            var f = Take();
            return new PayloadNode { Header = tunnel.Header, Field = own, Base = tunnel.Header.Base, OffsetBits = own.OffsetBits,
                LengthBits = own.LengthBits, Inner = tunnel.Header.Base == ProtoBase.Tunnel ? tunnel : null, Span = t.Span.To(f.Span) };
        }
        if (Cur.Kind == TokenKind.Word && Tunnels.FromName(Cur.Text) is not null) throw Unexpected();
        var inner = TryParseKeywordExpression(strict: true);
        switch (inner)
        {
            case PayloadNode { Raw: false } p:
                p.Inner = tunnel;
                p.Span = t.Span.To(p.Span);
                return p;
            case MetaNode m:
                m.Inner = tunnel;
                m.Span = t.Span.To(m.Span);
                return m;
            default:
                throw new NftSyntaxException(inner?.Span ?? Cur.Span, $"{tunnel.Name} can only match header fields of the packet inside it");
        }
    }

    private Node ParseOption(ExthdrOp op, ExthdrDesc[] table, bool typeOnly = false)
    {
        var start = Take();
        Take();
        if (op == ExthdrOp.TcpOption && !typeOnly && Cur.Kind == TokenKind.At && Cur.Text.All(char.IsDigit))
        {
            // `tcp option @KIND,OFFSET,LENGTH`: bits of any option.
            var kindTok = Take();
            int rawKind = OptionKind(kindTok);
            ExpectPunct(",");
            var offTok = ExpectWord();
            int off = RawPayloadNumber(offTok);
            ExpectPunct(",");
            var lenTok = ExpectWord();
            int len = RawPayloadNumber(lenTok);
            var rawDesc = ExtensionHeaders.TcpOptionByKind(rawKind);
            return new ExthdrNode { Op = op, Desc = rawDesc, Field = new HeaderField($"@{rawKind},{off},{len}", off, len, DataTypes.DataTypeRegistry.Integer),
                Span = start.Span.To(lenTok.Span) };
        }
        if (op == ExthdrOp.TcpOption && IsNumber(Cur))
        {
            // `tcp option 6 exists`: an option by kind number; only its presence can be tested.
            var kindTok = Take();
            return new ExthdrNode { Op = op, Desc = ExtensionHeaders.TcpOptionByKind(OptionKind(kindTok)), Exists = true, Span = start.Span.To(kindTok.Span) };
        }
        var n = ExpectWord();
        // sack0..sack3 name one SACK block: `sack0 left` is `sack left`, `sack2 right` the third block's right edge.
        int sackBlock = op == ExthdrOp.TcpOption && n.Text.Length == 5 && n.Text.StartsWith("sack") && n.Text[4] is >= '0' and <= '3' ? n.Text[4] - '0' : -1;
        string descName = sackBlock >= 0 ? "sack" : n.Text;
        var desc = table.FirstOrDefault(d => d.Name == descName) ?? throw Unexpected(n);
        HeaderField? field = null;
        if (!typeOnly && Cur.Kind == TokenKind.Word && desc.Field(Cur.Text) is { } f)
        {
            // `tcp option sack left` means the first block.
            field = sackBlock > 0 && f.Name is "left" or "right" ? f with { OffsetBits = f.OffsetBits + 64 * sackBlock } : f;
            Take();
        }
        // A field of another option (`tcp option eol left`) or a second option (`tcp option sack window`): nft's
        // grammar has each option's own fields.
        else if (!typeOnly && Cur.Kind == TokenKind.Word
                 && table.Any(d => d.Field(Cur.Text) is not null || (op == ExthdrOp.TcpOption && d.Name == Cur.Text)))
            throw Unexpected();
        return new ExthdrNode { Op = op, Desc = desc, Field = field, Exists = field is null, Span = start.Span.To(_tokens[_pos - 1].Span) };
    }

    private int OptionKind(Token t)
    {
        ulong kind = ParseUnsigned(t);
        if (kind > 255) throw new NftEvaluationException(t.Span, "value too large");
        return (int)kind;
    }

    private Node ParseCt(bool strict)
    {
        var t = Take();
        int? dir = null;
        if (AtWord("original") || AtWord("reply")) dir = Take().Text == "original" ? 0 : 1;
        var k = ExpectWord();
        string token = k.Text;
        int? nfproto = null;
        if (token is "ip" or "ip6")
        {
            var f = ExpectWord();
            nfproto = token == "ip" ? 2 : 10;
            token = token + " " + f.Text;
        }
        var key = CtKeys.FromToken(token) ?? throw Unexpected(k);
        return new CtNode { Key = key, Direction = dir, NfProto = nfproto, Span = t.Span.To(_tokens[_pos - 1].Span) };
    }

    // ------------------------------------------------------------------ right-hand sides

    /// <summary>The right side of a match: a set, a set reference, or a value/list, with nft's `value / mask` form.</summary>
    internal Node ParseRhs()
    {
        if (AtPunct("{")) return ParseSetLiteral();
        if (Cur.Kind == TokenKind.At)
        {
            var t = Take();
            return new SetRefNode { Name = t.Text, Span = t.Span };
        }
        var value = ParseRhsList();
        if (AtPunct("/"))
        {
            Take();
            var mask = ParseRhsList();
            return new BinaryNode { Op = BinaryOp.And, Left = value, Right = mask, Span = value.Span.To(mask.Span) };
        }
        return value;
    }

    private Node ParseRhsList()
    {
        var first = ParseRhsValue();
        if (!AtPunct(",")) return first;
        var list = new ListNode();
        list.Items.Add(first);
        while (AcceptPunct(",")) list.Items.Add(ParseRhsValue());
        list.Span = first.Span.To(list.Items[^1].Span);
        return list;
    }

    /// <summary>A constant: concatenation of ranges/prefixes/atoms, with `|` between flag values.</summary>
    internal Node ParseRhsValue()
    {
        var first = ParseRangeValue();
        if (!AtPunct(".")) return first;
        var c = new ConcatNode();
        c.Items.Add(first);
        while (AcceptPunct(".")) c.Items.Add(ParseRangeValue());
        c.Span = first.Span.To(c.Items[^1].Span);
        return c;
    }

    /// <summary>nft's basic_rhs_expr: `|` over `^` over `&` (tightest), left to right.</summary>
    private Node ParseRhsOr() => ParseRhsBinary(0);

    private static int RhsPrecedence(Token t) =>
        t.Kind != TokenKind.Punct ? 0 : t.Text switch { "|" => 1, "^" => 2, "&" => 3, _ => 0 };

    private Node ParseRhsBinary(int above)
    {
        var left = ParseAtom();
        int level = _nesting;
        for (int p = RhsPrecedence(Cur); p > above; p = RhsPrecedence(Cur))
        {
            var opTok = Take();
            Deeper(opTok);
            var op = opTok.Text switch { "|" => BinaryOp.Or, "&" => BinaryOp.And, _ => BinaryOp.Xor };
            var right = ParseRhsBinary(p);
            left = new BinaryNode { Op = op, Left = left, Right = right, Span = left.Span.To(right.Span) };
        }
        _nesting = level;
        return left;
    }

    /// <summary>nft's multiton_rhs_expr: a prefix `basic / NUM` or a range `basic - basic`, else the basic value.
    /// The bounds are whole basic expressions, so `1-2 | 3` is the range 1-3 as in nft, and a range or prefix is never
    /// an operand (`33-44/1` is nft's syntax error at the `/`).</summary>
    private Node ParseRangeValue()
    {
        var low = ParseRhsOr();
        if (AtPunct("/") && IsNumber(PeekTok()))
        {
            Take();
            var n = Take();
            ulong len = ParseUnsigned(n);
            if (len > int.MaxValue) throw new NftEvaluationException(n.Span, "prefix length too large");
            return NoFurtherRangeOrPrefix(new PrefixNode { Inner = low, PrefixLength = (int)len, Span = low.Span.To(n.Span) });
        }
        if (!AtPunct("-")) return low;
        Take();
        var high = ParseRhsOr();
        return NoFurtherRangeOrPrefix(new RangeNode { Low = low, High = high, Span = low.Span.To(high.Span) });
    }

    private Node NoFurtherRangeOrPrefix(Node node)
    {
        if (AtPunct("/") || AtPunct("-")) throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Text}");
        return node;
    }

    private Node ParseAtom()
    {
        var t = Cur;
        switch (t.Kind)
        {
            case TokenKind.Word:
                Take();
                return new SymbolNode { Text = t.Text, Span = t.Span };
            case TokenKind.QuotedString:
                Take();
                return new SymbolNode { Text = t.Text, Quoted = true, Span = t.Span };
            case TokenKind.Variable:
                Take();
                return ExpandVariable(t, p => p.ParseRhs());
            case TokenKind.Punct when t.Text == "(":
            {
                // nft's primary_rhs_expr: '(' basic_rhs_expr ')'.
                Take();
                Deeper(t);
                var inner = ParseRhsOr();
                _nesting--;
                ExpectPunct(")");
                return inner;
            }
            case TokenKind.Punct when t.Text == "*":
                Take();
                return new CatchAllNode { Span = t.Span };
            case TokenKind.Punct when t.Text == "-" && IsNumber(PeekTok()):
            {
                Take();
                var n = Take();
                return new SymbolNode { Text = "-" + n.Text, Span = t.Span.To(n.Span) };
            }
        }
        throw Unexpected();
    }

    /// <summary>Parses what `$name` stands for with <paramref name="parse"/>, which must read all of it.</summary>
    internal Node ExpandVariable(Token v, Func<Parser, Node> parse)
    {
        var sub = VariableParser(v);
        var node = parse(sub);
        if (sub.Cur.Kind != TokenKind.EndOfInput) throw Unexpected(sub.Cur);
        return node;
    }

    /// <summary>A parser over the tokens `$name` stands for, one nesting level deeper than this one (so a chain of
    /// expansions counts against <see cref="MaxNesting"/>). The caller decides whether it must be read to the end.</summary>
    internal Parser VariableParser(Token v)
    {
        var def = Resolve(v);
        var tokens = new List<Token>(def.Tokens) { new(TokenKind.EndOfInput, "", v.Span, false) };
        var sub = new Parser(tokens, _defs) { _nesting = _nesting };
        sub.Deeper(v);
        return sub;
    }

    internal SetNode ParseSetLiteral()
    {
        var open = Take();
        Deeper(open);
        var set = new SetNode();
        SkipSeparators();
        while (!AtPunct("}"))
        {
            var elem = ParseSetElement();
            if (elem is SetNode nested) set.Elements.AddRange(nested.Elements);
            else set.Elements.Add(elem);
            SkipSeparators();
            if (AcceptPunct(",")) { SkipSeparators(); continue; }
            if (!AtPunct("}")) throw Unexpected();
        }
        var close = Take();
        _nesting--;
        set.Span = open.Span.To(close.Span);
        return set;
    }

    private void SkipSeparators()
    {
        while (Cur.Kind == TokenKind.Separator && Cur.Text == "\n") _pos++;
    }

    private Node ParseSetElement()
    {
        Node key;
        if (AtPunct("{")) return ParseSetLiteral();
        if (Cur.Kind == TokenKind.Variable)
        {
            var v = Take();
            key = ExpandVariable(v, p => p.ParseRhs());
            if (key is SetNode) return key;
        }
        else key = ParseRhsValue();
        Node result = key;
        SetElementNode? holder = null;
        while (Cur.Kind == TokenKind.Word && Cur.Text is "timeout" or "expires" or "comment" or "counter" or "limit" or "quota")
        {
            holder ??= new SetElementNode { Key = key, Span = key.Span };
            var w = Take();
            switch (w.Text)
            {
                case "timeout": holder.TimeoutMs = ParseTimeToken(ExpectWord()); break;
                case "expires": holder.ExpiresMs = ParseTimeToken(ExpectWord()); break;
                case "comment": holder.Comment = ExpectComment(); break;
                case "counter":
                    _pos--;
                    holder.Statements.Add(ParseStatement()); // through ParseStatement, so errors have its span
                    break;
                case "limit":
                    _pos--;
                    holder.Statements.Add(ParseStatement()); // through ParseStatement, so errors have its span
                    break;
                case "quota":
                    _pos--;
                    holder.Statements.Add(ParseStatement()); // through ParseStatement, so errors have its span
                    break;
            }
        }
        if (holder is not null) result = holder;
        if (AcceptPunct(":"))
        {
            Node value = Cur.Kind == TokenKind.Word && Verdicts.Contains(Cur.Text) ? ParseVerdict() : ParseRhsValue();
            var map = new MappingNode { Key = result, Value = value, Span = result.Span.To(value.Span) };
            return map;
        }
        return result;
    }
}
