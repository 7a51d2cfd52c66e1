using NftPS.Language.Json;
using NftPS.Language.Syntax;
using NftPS.Netlink;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Rollback;
using NftPS.NfTables.Transactions;

namespace NftPS.Automation;

/// <summary>What a run of nftps may use that is not on its command line: where pending changes live and which
/// program is the rollback agent (the nftps executable itself by default). Tests point both elsewhere.</summary>
public sealed class NftpsHost
{
    /// <summary>Where pending changes live: NFTPS_STORE_ROOT when set (tests keep their own), else /run/nftps — where
    /// Confirm-NftChange and the module look too.</summary>
    public string StoreRoot { get; init; } =
        System.Environment.GetEnvironmentVariable("NFTPS_STORE_ROOT") is { Length: > 0 } root ? root : PendingChangeStore.DefaultRoot;
    /// <summary>The agent -ConfirmWithin starts; null: this process's own executable when it is nftps.</summary>
    public AgentProgram? Agent { get; init; }
    /// <summary>Environment variables (the rollback agent's id and store); null: the process's.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}

/// <summary>The native nftps command: get, test, set, export, diff and validate on a desired state, JSON on stdout,
/// human errors on stderr, documented exit codes (<see cref="ExitCodes"/>, docs/nftps.md). Every command is one call
/// of the same library the cmdlets use (DesiredRuleset, RulesetComparer, the netlink backend). The executable is a
/// thin Main around <see cref="Run"/>, so every command and error path is testable in-process.</summary>
public static class NftpsCli
{
    public const string Usage = """
        usage: nftps COMMAND [DESIRED STATE] [OPTIONS]

        commands:
          get        the managed tables as they are now (JSON: tables as nft text, _exist, managedTables)
          test       whether the ruleset is in the desired state: {inDesiredState, differences}; exit 0 yes, 1 no
          diff       the differences and the nft commands that remove them; exit 0 none, 1 some
          set        converge to the desired state (one atomic transaction); {changed, differences, ...}
          validate   compile the desired state and have the kernel check the change, applying nothing
          export     the managed tables (or, without a desired state, the whole ruleset) as nft prints them;
                     it reads a desired state from stdin only when given -
          confirm ID keep a change made with --confirm-within     undo ID   roll it back now
          pending    the pending changes
          dsc OP     the DSC v3 resource NftPS/Ruleset (get|test|set|export|validate; NftPS.dsc.resource.json)
          ansible M  the nftps.nftables Ansible modules (ruleset|info; the collection in ansible/)
          rollback-agent [ROOT ID]   (internal) the agent that rolls a pending change back at its deadline

        desired state (one of; default stdin):
          --path FILE, -p FILE     an nft file (define, include); --include-path DIR (repeatable) for includes
          --text TEXT, -t TEXT     nft text
          --json                   the file, text or stdin is libnftables JSON
          stdin                    nft text, libnftables JSON ({"nftables": [...]}), or the parameter object
                                   ({"tables": ..., "purge": ..., "netns": ..., ...}; see docs/nftps.md)

        options:
          --netns NAME, -n NAME    the network namespace /run/netns/NAME (or an absolute namespace path)
          --what-if, --check       set: change nothing; report what would change and the commands
          --keep-unlisted          leave what managed tables hold and the desired state does not list (no purge)
          --confirm-within TIME    set: roll back unless 'nftps confirm ID' in time (90, 90s, 500ms, 5m, 1h)
          --include-dynamic-elements, --include-object-values   as Set-NftRuleset's switches
          --max-retries N          set: compare and send again when the ruleset changed meanwhile (default 5)
          --format text|json       get/export: nft text (default) or libnftables JSON
          --stateless, -s          get/export: without counter values and other state
          --json-errors            errors on stderr as JSON lines ({"error": "..."})

        exit codes: 0 ok/in desired state, 1 drift (test/diff), 2 usage, 3 invalid desired state,
                    4 kernel refused or namespace/netlink error, 5 conflict, 6 pending change not found/too late
        """;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdin, stdout, stderr, new NftpsHost());

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, NftpsHost host)
    {
        CliOptions? options = null;
        try
        {
            options = CliOptions.Parse(args);
            var run = new AutomationCommands(options, stdin, stdout, stderr, host);
            return options.Command switch
            {
                "get" => run.Get(),
                "test" => run.Test(),
                "diff" => run.Diff(),
                "set" => run.Set(),
                "validate" => run.Validate(),
                "export" => run.Export(),
                "confirm" => run.Confirm(),
                "undo" => run.Undo(),
                "pending" => run.Pending(),
                "version" => Version(stdout),
                "dsc" => run.Dsc(),         // the DSC v3 resource (Automation/Dsc, NftPS.dsc.resource.json)
                "ansible" => run.Ansible(), // the nftps.nftables collection's modules (Automation/Ansible, ansible/)
                AgentLauncher.NativeCommand => run.RollbackAgent(),
                "help" or "" when args.Length == 0 || options.Command == "help" => Help(stdout),
                _ => throw new CliUsageException($"Unknown command '{options.Command}'. Commands: get, test, diff, set, validate, export, confirm, undo, pending."),
            };
        }
        catch (HelpRequested)
        {
            return Help(stdout);
        }
        catch (CliUsageException ex)
        {
            return Fail(stderr, options, ex.Message + (args.Length == 0 ? "" : "\nRun 'nftps --help' for usage."), ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is NftLanguageException or NftJsonException or NftOperationException or DesiredStateReadException or NftPS.Language.Script.NftInputFileException)
        {
            return Fail(stderr, options, ex.Message, ExitCodes.InvalidDesiredState);
        }
        catch (NftConflictException ex)
        {
            return Fail(stderr, options, "The ruleset kept changing while it was compared; nothing was applied. " + ex.Message, ExitCodes.Conflict);
        }
        catch (RulesetChangedException ex)
        {
            return Fail(stderr, options, ex.Message, ExitCodes.Conflict);
        }
        catch (Exception ex) when (ex is NftTransactionException or NetlinkException or NetworkNamespaceNotFoundException or UnauthorizedAccessException)
        {
            return Fail(stderr, options, ex.Message, ExitCodes.KernelRefused);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            // What the core refuses with its own argument checks (a bad namespace name, an unusable include path).
            return Fail(stderr, options, ex.Message, ex is IOException ? ExitCodes.KernelRefused : ExitCodes.InvalidDesiredState);
        }
        catch (Exception ex)
        {
            return Fail(stderr, options, $"nftps: internal error ({ex.GetType().Name}): {ex.Message}", ExitCodes.Internal);
        }
    }

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine("nftps " + (typeof(NftpsCli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
        return ExitCodes.Success;
    }

    private static int Help(TextWriter stdout)
    {
        stdout.Write(Usage);
        return ExitCodes.Success;
    }

    private static int Fail(TextWriter stderr, CliOptions? options, string message, int code)
    {
        if (options?.JsonErrors == true)
            stderr.Write(JsonOutput.Write(w =>
            {
                w.WriteString("error", message);
                w.WriteNumber("exitCode", code);
            }));
        else stderr.WriteLine(message);
        return code;
    }

    internal sealed class HelpRequested : Exception;
}
