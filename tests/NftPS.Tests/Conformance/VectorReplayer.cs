using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Conformance;

/// <summary>One accepted-or-not try of an `;ok` rule line in one (family, table, chain): the unit upstream counts.</summary>
public sealed class ReplayUnit(VectorFile file, RuleVector vector, TableDeclaration table, ChainTemplate chain)
{
    public VectorFile File { get; } = file;
    public RuleVector Vector { get; } = vector;
    public string Family => table.Family;
    public string Table => table.Name;
    public string Chain => chain.Name;
    public string Command => $"add rule {Family} {Table} {Chain} {Vector.Rule}";

    public bool Accepted { get; internal set; }
    /// <summary>nft's error when refused (or why the listing could not be mapped back).</summary>
    public string? Error { get; internal set; }
    /// <summary>"userspace" (parser/evaluator) or "kernel" ("Could not process rule") when refused.</summary>
    public string? RejectSide { get; internal set; }
    public ulong? Handle { get; internal set; }
    /// <summary>nft's listing of this rule (handle suffix cut off), per listing style recorded.</summary>
    public Dictionary<ListingStyle, string> Listings { get; } = new();
    /// <summary>What `nft --debug=netlink` printed for this rule (libnftnl 1.2.4 format), when recorded.</summary>
    public PayloadRecord? NetlinkDebug { get; internal set; }
    /// <summary>The statement array ("expr") of `nft -j -s -p list ruleset` for this rule, when JSON is recorded.</summary>
    public System.Text.Json.Nodes.JsonArray? NftJson { get; internal set; }
    /// <summary>The JSON reader's statement array for this rule, or null with <see cref="JsonError"/> set.</summary>
    public System.Text.Json.Nodes.JsonArray? OurJson { get; internal set; }
    public string? JsonError { get; internal set; }
    /// <summary>Per reader name: the reader's text, or null with <see cref="ReaderErrors"/> set.</summary>
    public Dictionary<string, string?> ReaderTexts { get; } = new();
    public Dictionary<string, string> ReaderErrors { get; } = new();

    public RuleLocation? Location => Handle is { } h ? new RuleLocation(Family, Table, Chain, h) : null;

    /// <summary>Upstream's verdict: the `-s -p` listing matches the `.t` line's expected form.</summary>
    public bool ListedAsExpected =>
        Listings.TryGetValue(ListingStyle.Upstream, out var l) && RuleTextComparison.MatchesExpected(Vector, l);

    public override string ToString() => $"{File.Name}:{Vector.Line} {Family} {Table} {Chain}";
}

/// <summary>How replaying one `.t` file went.</summary>
public sealed class FileReplay(VectorFile file)
{
    public VectorFile File { get; } = file;
    public List<ReplayUnit> Units { get; } = new();
    /// <summary>`;ok` directives (tables, chains, sets, elements, objects) that nft refused, with its message.</summary>
    public List<string> DirectiveErrors { get; } = new();
    /// <summary>Problems of the replay itself (timeouts, unmappable listings, reader failures).</summary>
    public List<string> HarnessErrors { get; } = new();
    public int NftInvocations { get; internal set; }
    public int LoadRounds { get; internal set; }
    public bool UsedPerLineFallback { get; internal set; }
    public TimeSpan Duration { get; internal set; }
}

public sealed class ReplayRun
{
    public List<FileReplay> Files { get; } = new();
    public TimeSpan Duration { get; internal set; }
    public int Workers { get; internal set; }
    public IReadOnlyList<IRuleTextReader> Readers { get; internal set; } = Array.Empty<IRuleTextReader>();
    public IEnumerable<ReplayUnit> Units => Files.SelectMany(f => f.Units);
}

public sealed class ReplayOptions
{
    /// <summary>Listing styles recorded for every accepted unit; <see cref="ListingStyle.Upstream"/> is always added.</summary>
    public List<ListingStyle> Styles { get; } = new() { ListingStyle.Upstream };
    /// <summary>NftPS (or control) readers asked for their text of every rule while the file's rules are loaded.</summary>
    public List<IRuleTextReader> Readers { get; } = new();
    public int Workers { get; set; } = DefaultWorkers();
    /// <summary>After this many `nft -f` rounds without success the file is replayed line by line.</summary>
    public int MaxLoadRounds { get; set; } = 40;
    public TimeSpan NftTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Load with `--debug=netlink` and keep each accepted rule's expressions (<see cref="ReplayUnit.NetlinkDebug"/>).</summary>
    public bool RecordNetlinkDebug { get; set; } = true;
    /// <summary>When set, each file's rules are also listed once with `nft -j -s -p list ruleset` and read by this
    /// reader (<see cref="ReplayUnit.NftJson"/>, <see cref="ReplayUnit.OurJson"/>).</summary>
    public IRuleJsonReader? JsonReader { get; set; }

    private static int DefaultWorkers() =>
        int.TryParse(Environment.GetEnvironmentVariable("NFTPS_CONFORMANCE_WORKERS"), out int w) && w > 0
            ? w : Math.Clamp(Environment.ProcessorCount + 1, 2, 4);
}

/// <summary>Replays `.t` files with nft inside private network namespaces. Per file, everything the file declares
/// and every `;ok` rule line in every (table, chain) goes into one `nft -f` script; lines nft refuses are found from
/// the error locations it prints and dropped, and the script is loaded again (at worst line by line). The loaded
/// ruleset is then listed once per style, each listed rule is mapped back to the line that added it (rules are
/// appended, so the n-th listed rule of a chain is the n-th accepted add to it), and the readers read it too.</summary>
public sealed partial class VectorReplayer(ReplayOptions options)
{
    private sealed record ScriptEntry(string Command, ReplayUnit? Unit, VectorLine Source);

    [GeneratedRegex(@"^/dev/stdin:(\d+):\d+(?:-\d+)?: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLocation();

    public ReplayRun ReplayAll(IEnumerable<VectorFile> files)
    {
        if (!options.Styles.Contains(ListingStyle.Upstream)) options.Styles.Add(ListingStyle.Upstream);
        foreach (var reader in options.Readers)
            if (reader.UnavailableReason is null && !options.Styles.Contains(reader.Style)) options.Styles.Add(reader.Style);

        var sw = Stopwatch.StartNew();
        // Biggest files first so that the workers finish together.
        var ordered = files.OrderByDescending(f => f.Lines.Count).ToList();
        int workers = Math.Max(1, Math.Min(options.Workers, ordered.Count));
        var results = ScratchNamespaceWorkers.Run(ordered, "replay", workers, (ns, file) =>
        {
            try
            {
                return ReplayFile(ns, file);
            }
            catch (Exception e)
            {
                // One broken file is reported with the others rather than stopping the whole replay.
                var broken = new FileReplay(file);
                broken.HarnessErrors.Add($"replay failed: {e.GetType().Name}: {e.Message}");
                return broken;
            }
        });

        var run = new ReplayRun { Duration = sw.Elapsed, Workers = workers, Readers = options.Readers.ToList() };
        run.Files.AddRange(results.OrderBy(r => r.File.Name, StringComparer.Ordinal));
        return run;
    }

    /// <summary>Replays one file in <paramref name="ns"/>, which must be empty; leaves the rules loaded.</summary>
    public FileReplay ReplayFile(ScratchNamespace ns, VectorFile file)
    {
        var sw = Stopwatch.StartNew();
        var replay = new FileReplay(file);
        var entries = BuildScript(file, replay);
        var active = entries.ToList();
        bool loaded = false;
        while (!loaded && replay.LoadRounds < options.MaxLoadRounds && active.Count > 0)
        {
            replay.LoadRounds++;
            replay.NftInvocations++;
            var r = Load(ns, active);
            if (r.ExitCode == 0)
            {
                loaded = true;
                AssignNetlinkDebug(replay, active, r.StdOut);
                break;
            }
            var refused = new HashSet<int>();
            foreach (Match m in ErrorLocation().Matches(r.StdErr))
            {
                int index = int.Parse(m.Groups[1].Value) - 1;
                if (index < 0 || index >= active.Count || !refused.Add(index)) continue;
                RecordRefusal(replay, active[index], m.Groups[2].Value.Trim());
            }
            if (refused.Count == 0 && r.ExitCode != -1)
            {
                // nft died (an assertion, "BUG: ...") without naming a line: find the first line that makes it die.
                int culprit = FindFirstFailingPrefix(ns, replay, active);
                if (culprit >= 0)
                {
                    refused.Add(culprit);
                    RecordRefusal(replay, active[culprit], $"nft crashed (exit {r.ExitCode}): {ScratchNamespaceWorkers.FirstLine(r.StdErr)}");
                }
            }
            if (refused.Count == 0)
            {
                replay.HarnessErrors.Add($"nft -f failed without a located error (exit {r.ExitCode}): {ScratchNamespaceWorkers.FirstLine(r.StdErr)}; replaying line by line");
                break;
            }
            active = active.Where((_, i) => !refused.Contains(i)).ToList();
        }
        if (!loaded && active.Count > 0)
        {
            replay.UsedPerLineFallback = true;
            ns.Flush();
            var kept = new List<ScriptEntry>();
            foreach (var e in active)
            {
                replay.NftInvocations++;
                var r = Load(ns, new[] { e });
                if (r.ExitCode == 0)
                {
                    kept.Add(e);
                    AssignNetlinkDebug(replay, new List<ScriptEntry> { e }, r.StdOut);
                }
                else RecordRefusal(replay, e, ErrorLocation().Match(r.StdErr) is { Success: true } m ? m.Groups[2].Value.Trim() : ScratchNamespaceWorkers.FirstLine(r.StdErr));
            }
            active = kept;
        }

        foreach (var e in active) if (e.Unit is not null) e.Unit.Accepted = true;
        RecordListings(ns, replay, active);
        RunReaders(ns, replay);
        if (options.JsonReader is { } jsonReader) RecordJson(ns, replay, jsonReader);
        replay.Duration = sw.Elapsed;
        return replay;
    }

    private ProcessResult Load(ScratchNamespace ns, IEnumerable<ScriptEntry> entries)
    {
        string script = string.Join('\n', entries.Select(e => e.Command)) + "\n";
        var args = options.RecordNetlinkDebug ? new[] { "--debug=netlink", "-f", "-" } : new[] { "-f", "-" };
        return NftRunner.Nft(ns.Name, args, script, options.NftTimeout);
    }

    private void AssignNetlinkDebug(FileReplay replay, IReadOnlyList<ScriptEntry> loaded, string stdout)
    {
        if (!options.RecordNetlinkDebug) return;
        var units = loaded.Where(e => e.Unit is not null).Select(e => e.Unit!).ToList();
        var records = PayloadFile.ParseNetlinkDebug(stdout);
        if (records.Count != units.Count)
        {
            replay.HarnessErrors.Add($"--debug=netlink printed {records.Count} rule blocks for {units.Count} rules");
            return;
        }
        for (int i = 0; i < units.Count; i++) units[i].NetlinkDebug = records[i];
    }

    /// <summary>Binary search for the shortest prefix of the script on which nft fails without locating an error;
    /// returns the index of its last entry, or -1. Leaves the namespace flushed.</summary>
    private int FindFirstFailingPrefix(ScratchNamespace ns, FileReplay replay, List<ScriptEntry> active)
    {
        int lo = 0, hi = active.Count;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            replay.NftInvocations++;
            var r = NftRunner.Load(ns.Name, string.Join('\n', active.Take(mid).Select(e => e.Command)) + "\n", options.NftTimeout);
            bool unlocated = r.ExitCode != 0 && !ErrorLocation().IsMatch(r.StdErr);
            if (r.ExitCode == 0) ns.Flush();
            if (unlocated) hi = mid; else lo = mid;
        }
        var last = NftRunner.Load(ns.Name, string.Join('\n', active.Take(hi).Select(e => e.Command)) + "\n", options.NftTimeout);
        replay.NftInvocations++;
        if (last.ExitCode == 0) ns.Flush();
        return last.ExitCode != 0 && !ErrorLocation().IsMatch(last.StdErr) ? hi - 1 : -1;
    }


    private static void RecordRefusal(FileReplay replay, ScriptEntry entry, string message)
    {
        if (entry.Unit is { } u)
        {
            u.Accepted = false;
            u.Error = message;
            u.RejectSide = message.Contains("Could not process rule") ? "kernel" : "userspace";
        }
        else
        {
            replay.DirectiveErrors.Add($"{replay.File.Name}:{entry.Source.Line}: `{entry.Command}`: {message}");
        }
    }

    private static List<ScriptEntry> BuildScript(VectorFile file, FileReplay replay)
    {
        var entries = new List<ScriptEntry>();
        var tables = new List<TableDeclaration>();
        foreach (var line in file.Lines)
        {
            switch (line)
            {
                case TableDeclaration t:
                    tables.Add(t);
                    entries.Add(new ScriptEntry($"add table {t.Family} {t.Name}", null, t));
                    foreach (var c in t.Chains)
                        entries.Add(new ScriptEntry($"add chain {t.Family} {t.Name} {c.Name} {{ {c.Spec}; }}", null, t));
                    break;
                case SetDirective { Expect: Expectation.Ok } s:
                    foreach (var t in tables) entries.Add(new ScriptEntry(s.ToCommand(t.Family, t.Name), null, s));
                    break;
                case ElementDirective { Expect: Expectation.Ok } el:
                    foreach (var t in tables) entries.Add(new ScriptEntry(el.ToCommand(t.Family, t.Name), null, el));
                    break;
                case ObjectDirective { Expect: Expectation.Ok } o:
                    foreach (var t in tables) entries.Add(new ScriptEntry(o.ToCommand(t.Family, t.Name), null, o));
                    break;
                case RuleVector { Disabled: false, Expect: Expectation.Ok } r:
                    foreach (var t in tables)
                        foreach (var c in t.Chains)
                        {
                            var unit = new ReplayUnit(file, r, t, c);
                            replay.Units.Add(unit);
                            entries.Add(new ScriptEntry(unit.Command, unit, r));
                        }
                    break;
            }
        }
        return entries;
    }

    private void RecordListings(ScratchNamespace ns, FileReplay replay, List<ScriptEntry> loaded)
    {
        var added = loaded.Where(e => e.Unit is not null).Select(e => e.Unit!)
            .GroupBy(u => (u.Family, u.Table, u.Chain)).ToDictionary(g => g.Key, g => g.ToList());
        bool handlesAssigned = false;
        foreach (var style in options.Styles)
        {
            replay.NftInvocations++;
            var r = NftRunner.Nft(ns.Name, style.NftOptions().Prepend("-a").Concat(new[] { "list", "ruleset" }), null, options.NftTimeout, style.TimeZone);
            if (r.ExitCode != 0)
            {
                replay.HarnessErrors.Add($"nft -a list ruleset ({style}) failed: {ScratchNamespaceWorkers.FirstLine(r.StdErr)}");
                continue;
            }
            var listing = NftListing.Parse(r.StdOut);
            var listed = listing.Rules.GroupBy(x => (x.Family, x.Table, x.Chain)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (key, units) in added)
            {
                var rules = listed.GetValueOrDefault(key) ?? new List<ListedRule>();
                if (rules.Count != units.Count)
                {
                    string msg = $"{key.Family} {key.Table} {key.Chain}: {units.Count} rules added but {rules.Count} listed ({style})";
                    replay.HarnessErrors.Add(msg);
                    foreach (var u in units) u.Error ??= msg;
                    continue;
                }
                for (int i = 0; i < units.Count; i++)
                {
                    if (!handlesAssigned) units[i].Handle = rules[i].Handle;
                    else if (units[i].Handle != rules[i].Handle) units[i].Error ??= "listings disagree on handles";
                    units[i].Listings[style] = rules[i].Text;
                }
            }
            handlesAssigned = true;
        }
    }

    /// <summary>One `nft -j -s -p list ruleset` (in the process's time zone, like the in-process reader) and one read
    /// by the JSON reader per file; rules are matched by family, table, chain and handle.</summary>
    private void RecordJson(ScratchNamespace ns, FileReplay replay, IRuleJsonReader reader)
    {
        var accepted = replay.Units.Where(u => u.Location is not null).ToList();
        if (accepted.Count == 0) return;
        replay.NftInvocations++;
        var r = NftRunner.Nft(ns.Name, new[] { "-j", "-s", "-p", "list", "ruleset" }, null, options.NftTimeout, timeZone: null);
        if (r.ExitCode != 0) replay.HarnessErrors.Add($"nft -j list ruleset failed: {ScratchNamespaceWorkers.FirstLine(r.StdErr)}");
        else
        {
            var byLocation = new Dictionary<RuleLocation, System.Text.Json.Nodes.JsonArray>();
            foreach (var item in System.Text.Json.Nodes.JsonNode.Parse(r.StdOut)?["nftables"]?.AsArray() ?? new System.Text.Json.Nodes.JsonArray())
            {
                if (item?["rule"] is not System.Text.Json.Nodes.JsonObject rule) continue;
                var location = new RuleLocation((string)rule["family"]!, (string)rule["table"]!, (string)rule["chain"]!, (ulong)rule["handle"]!);
                byLocation[location] = rule["expr"]?.AsArray() ?? new System.Text.Json.Nodes.JsonArray();
            }
            foreach (var u in accepted) u.NftJson = byLocation.GetValueOrDefault(u.Location!.Value);
        }
        IReadOnlyDictionary<RuleLocation, (System.Text.Json.Nodes.JsonArray? Expr, string? Error)> ours;
        try
        {
            ours = reader.ReadRuleJson(ns.Name);
        }
        catch (Exception e)
        {
            replay.HarnessErrors.Add($"{reader.Name} failed: {e.GetType().Name}: {e.Message}");
            foreach (var u in accepted) u.JsonError = $"{e.GetType().Name}: {e.Message}";
            return;
        }
        foreach (var u in accepted)
        {
            if (ours.TryGetValue(u.Location!.Value, out var got)) (u.OurJson, u.JsonError) = got;
            else u.JsonError = "rule not returned by the JSON reader";
        }
    }

    private void RunReaders(ScratchNamespace ns, FileReplay replay)
    {
        var accepted = replay.Units.Where(u => u.Location is not null).ToList();
        foreach (var reader in options.Readers)
        {
            if (reader.UnavailableReason is { } why)
            {
                foreach (var u in accepted) u.ReaderErrors[reader.Name] = "not available: " + why;
                continue;
            }
            IReadOnlyDictionary<RuleLocation, string> texts;
            try
            {
                texts = reader.ReadRuleTexts(ns.Name);
            }
            catch (Exception e)
            {
                string msg = $"{e.GetType().Name}: {e.Message}";
                replay.HarnessErrors.Add($"{reader.Name} failed: {msg}");
                foreach (var u in accepted) u.ReaderErrors[reader.Name] = msg;
                continue;
            }
            foreach (var u in accepted)
            {
                if (texts.TryGetValue(u.Location!.Value, out var text)) u.ReaderTexts[reader.Name] = text;
                else u.ReaderErrors[reader.Name] = "rule not returned by the reader";
            }
        }
    }
}
