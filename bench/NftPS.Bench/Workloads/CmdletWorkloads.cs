namespace NftPS.Bench.Workloads;

/// <summary>A write workload done through the change cmdlets instead of the core calls: same ruleset preparation and
/// the same nft commands; the NftPS side is a script in the session (its input arrays are bound before the stopwatch
/// starts, as a script would already hold them). Ids end in "/cmdlet".</summary>
public sealed class CmdletVariant : Workload
{
    private readonly Workload _inner;
    private readonly Func<int, string> _script;
    private readonly Func<Dictionary<string, object>> _inputs;
    private Dictionary<string, object>? _bound;

    private readonly string _suffix;

    private CmdletVariant(Workload inner, Func<int, string> script, Func<Dictionary<string, object>>? inputs = null, Target? target = null,
        Target? pwshTarget = null, string suffix = "/cmdlet")
    {
        _inner = inner;
        _suffix = suffix;
        _script = script;
        _inputs = inputs ?? (() => new Dictionary<string, object>());
        Target = target;
        PwshTarget = pwshTarget;
    }

    public override Target? PwshTarget { get; }

    public override string Id => _inner.Id + _suffix;
    public override string Description => _inner.Description + " (cmdlets)";
    public override string NftPsVia => "cmdlet";
    public override Target? Target { get; }
    public override void Prepare(BenchContext context) => _inner.Prepare(context);
    public override void Reset(BenchContext context, int run) => _inner.Reset(context, run);
    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => _inner.NftCommands(context, run);

    public override void RunNftPs(NftPsSession session, int run)
    {
        _bound ??= _inputs();
        session.Invoke(_script(run), _bound);
    }

    /// <summary>The script in a fresh pwsh: each string[] input is read from a file written here (as a script would
    /// read its list), outside the timed part; inputs of any other shape have no script form.</summary>
    public override PwshWork? Pwsh(BenchContext context, int run)
    {
        _bound ??= _inputs();
        var prologue = new System.Text.StringBuilder();
        foreach (var (name, value) in _bound)
        {
            if (value is not string[] lines) return null;
            string file = context.File($"pwsh-{Id.Replace('/', '-')}-{name}.txt");
            if (!File.Exists(file)) File.WriteAllLines(file, lines);
            prologue.AppendLine($"${name} = [System.IO.File]::ReadAllLines('{file}')");
        }
        return new PwshWork(prologue.ToString(), _script(run));
    }

    private static string[] Ips(int count, uint offset = 0) => Enumerable.Range(0, count).Select(i => CoreOps.Ip(CoreOps.ElementAddress(i, offset))).ToArray();

    /// <summary>The rules as one array to `New-NftRule -Rule` (issue 18: many rules per call).</summary>
    public static CmdletVariant Rules(int rules, Target? target = null) => new(new RulesetTransaction(rules), _ => """
        Invoke-NftTransaction -NetworkNamespace $ns {
            New-NftTable -NetworkNamespace $ns -Family inet -Name filter
            New-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name output -Type filter -Hook output -Priority 0 -Policy accept
            New-NftRule -NetworkNamespace $ns -Family inet -Table filter -Chain output -Rule $rules
        }
        """, () => new() { ["rules"] = Enumerable.Range(0, rules).Select(CoreOps.RuleText).ToArray() }, target);

    /// <summary>One `New-NftRule` call per rule in a script loop (what the W1 cmdlet row measured before -Rule took arrays).</summary>
    public static CmdletVariant RulesLoop(int rules) => new(new RulesetTransaction(rules), _ => """
        Invoke-NftTransaction -NetworkNamespace $ns {
            New-NftTable -NetworkNamespace $ns -Family inet -Name filter
            New-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name output -Type filter -Hook output -Priority 0 -Policy accept
            foreach ($r in $rules) { New-NftRule -NetworkNamespace $ns -Family inet -Table filter -Chain output -Rule $r }
        }
        """, () => new() { ["rules"] = Enumerable.Range(0, rules).Select(CoreOps.RuleText).ToArray() }, suffix: "/loop");

    public static CmdletVariant NewSet(int count, Target? target = null, Target? pwshTarget = null) => new(new NewSetWithElements(count), _ => """
        Invoke-NftTransaction -NetworkNamespace $ns {
            New-NftTable -NetworkNamespace $ns -Name t
            New-NftSet -NetworkNamespace $ns -Table t -Name s -Type ipv4_addr -Element $elements
        }
        """, () => new() { ["elements"] = Ips(count) }, target, pwshTarget);

    public static CmdletVariant IntoSet(int count, Target? target = null) => new(new ElementsIntoExistingSet(count),
        _ => "Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element $elements", () => new() { ["elements"] = Ips(count) }, target);

    /// <summary>The strings arrive one by one through the pipeline (as from Get-Content or a ForEach-Object), all in
    /// one transaction.</summary>
    public static CmdletVariant PipedIntoSet(int count, Target? target = null) => new(new ElementsIntoExistingSet(count),
        _ => "$elements | Add-NftSetElement -NetworkNamespace $ns -Table t -Set s", () => new() { ["elements"] = Ips(count) }, target,
        suffix: "/pipe");

    public static CmdletVariant Interval(int count, Target? target = null) => new(new IntervalSetWithPrefixes(count), _ => """
        Invoke-NftTransaction -NetworkNamespace $ns {
            New-NftTable -NetworkNamespace $ns -Name t
            New-NftSet -NetworkNamespace $ns -Table t -Name s -Type ipv4_addr -Flags interval -Element $prefixes
        }
        """, () => new() { ["prefixes"] = Enumerable.Range(0, count).Select(i => CoreOps.Ip(CoreOps.PrefixAddress(i)) + "/25").ToArray() }, target);

    public static CmdletVariant AddElement(int prefixes, int rules) => new(new SmallChange(SmallChange.Kind.AddElement, prefixes, rules),
        run => $"Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element '{SmallChange.Element(run)}'", target: Target.Absolute(2));

    public static CmdletVariant DeleteRule(int prefixes, int rules) => new(new SmallChange(SmallChange.Kind.DeleteRule, prefixes, rules),
        run => $"Remove-NftRule -NetworkNamespace $ns -Family inet -Table filter -Chain output -Handle {SmallChange.Handle(run)}", target: Target.Absolute(2));

    public static CmdletVariant Transactions() => new(new ManySmallTransactions(), _ => """
        foreach ($chunk in $chunks) { Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element $chunk }
        """, () => new() { ["chunks"] = Enumerable.Range(0, 100).Select(t => (object)Ips(100, (uint)(t * 100))).ToArray() }, Target.Absolute(30));
}
