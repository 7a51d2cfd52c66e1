using System.Globalization;

namespace NftPS.Automation;

/// <summary>The command line of nftps, parsed: a command, where the desired state comes from, and the options. Every
/// value is taken as exactly one value of its type; an unknown option or a missing value is a usage error.</summary>
internal sealed class CliOptions
{
    public string Command { get; set; } = "";
    public List<string> Positionals { get; } = new();
    public string? Path { get; set; }
    public string? Text { get; set; }
    public bool Json { get; set; }
    public List<string> IncludePath { get; } = new();
    public string? Netns { get; set; }
    public bool NetnsGiven { get; set; }
    public bool WhatIf { get; set; }
    public bool KeepUnlisted { get; set; }
    public TimeSpan? ConfirmWithin { get; set; }
    public bool IncludeDynamicElements { get; set; }
    public bool IncludeObjectValues { get; set; }
    public int MaxRetries { get; set; } = 5;
    /// <summary>get/export: "text" (nft's language) or "json" (libnftables JSON).</summary>
    public string Format { get; set; } = "text";
    public bool Stateless { get; set; }
    /// <summary>Errors on stderr as one JSON line each ({"error": "..."}), for engines that parse stderr (DSC).</summary>
    public bool JsonErrors { get; set; }

    /// <summary>The shortest and longest confirmation window, as -ConfirmWithin takes them.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(1), MaxWindow = TimeSpan.FromDays(1);

    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CliOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new CliUsageException($"{a} needs a value.");
                return args[++i];
            }
            switch (a)
            {
                case "--path" or "-p": o.Path = Value(); break;
                case "--text" or "-t": o.Text = Value(); break;
                case "--json": o.Json = true; break;
                case "--include-path" or "-I": o.IncludePath.Add(Value()); break;
                case "--netns" or "-n": o.Netns = Value(); o.NetnsGiven = true; break;
                case "--what-if" or "--check": o.WhatIf = true; break;
                case "--keep-unlisted" or "--no-purge": o.KeepUnlisted = true; break;
                case "--confirm-within": o.ConfirmWithin = ParseWindow(Value(), a); break;
                case "--include-dynamic-elements": o.IncludeDynamicElements = true; break;
                case "--include-object-values": o.IncludeObjectValues = true; break;
                case "--max-retries": o.MaxRetries = ParseInt(Value(), a, 0, 1000); break;
                case "--format":
                    o.Format = Value() switch
                    {
                        "text" => "text",
                        "json" => "json",
                        var f => throw new CliUsageException($"--format takes text or json, not '{f}'."),
                    };
                    break;
                case "--stateless" or "-s": o.Stateless = true; break;
                case "--json-errors": o.JsonErrors = true; break;
                case "-": o.Positionals.Add(a); break;
                case "--help" or "-h": throw new NftpsCli.HelpRequested();
                case "--version": o.Command = "version"; break;
                default:
                    if (a.StartsWith('-')) throw new CliUsageException($"Unknown option '{a}'. Run 'nftps --help' for the options.");
                    if (o.Command.Length == 0) o.Command = a;
                    else o.Positionals.Add(a);
                    break;
            }
        }
        if (o.Path is not null && o.Text is not null) throw new CliUsageException("Give the desired state as --path or --text, not both.");
        return o;
    }

    /// <summary>A confirmation window: seconds as a number ("90", "2.5"), or with a unit ("500ms", "90s", "5m", "1h").</summary>
    public static TimeSpan ParseWindow(string text, string what)
    {
        string t = text.Trim();
        double factor = 1;
        if (t.EndsWith("ms", StringComparison.Ordinal)) { factor = 0.001; t = t[..^2]; }
        else if (t.EndsWith('s')) t = t[..^1];
        else if (t.EndsWith('m')) { factor = 60; t = t[..^1]; }
        else if (t.EndsWith('h')) { factor = 3600; t = t[..^1]; }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) || double.IsNaN(n) || n * factor > MaxWindow.TotalSeconds)
            throw new CliUsageException($"{what} takes a time from 1ms to 1 day (90, 90s, 500ms, 5m, 1h), not '{text}'.");
        var window = TimeSpan.FromSeconds(n * factor);
        if (window < MinWindow) throw new CliUsageException($"{what} takes a time from 1ms to 1 day (90, 90s, 500ms, 5m, 1h), not '{text}'.");
        return window;
    }

    private static int ParseInt(string text, string what, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new CliUsageException($"{what} takes a whole number from {min} to {max}, not '{text}'.");
}

/// <summary>A bad command line or parameter object (exit code 2).</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message) : base(message) { }
}
