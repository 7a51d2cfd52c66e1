using NftPS.NfTables.Model;

namespace NftPS.NfTables.Rollback;

/// <summary>Rules that can cut the caller off: a drop or reject on the input or forward hook of the family carrying
/// the caller's connection, which (as far as its typed facts tell) matches that connection.</summary>
internal static partial class LockoutRisk
{
    private const int SshPort = 22;

    /// <summary>The warning for adding or replacing <paramref name="rule"/> (its facts from the compiled rule) in
    /// <paramref name="chain"/>, or null when it cannot cut the caller off. With an SSH connection the rule must be
    /// able to match it (a field the rule does not test, or that its facts cannot tell, counts as matching); without
    /// one, a rule narrowed to other ports or to source addresses (a ban) is not warned about.</summary>
    /// <paramref name="earlier"/>: the chain's rules that come before the new one (when known); an accept among them that
    /// surely takes the caller's connection (or, without one, established sessions and SSH) means no risk.
    public static string? OfRule(NftChain chain, NftRule rule, SshConnection? ssh, IEnumerable<NftRule>? earlier = null)
    {
        var facts = rule.Facts;
        if (facts.Action is not (NftRuleAction.Drop or NftRuleAction.Reject)) return null;
        if (chain.HookNumber is not (InputHook or ForwardHook) || !CarriesCaller(chain.Family, ssh)) return null;
        string hook = chain.HookNumber == InputHook ? "input" : "forward";
        string verb = facts.Action == NftRuleAction.Drop ? "drops" : "rejects";
        if (earlier is not null && earlier.Any(r => r.Facts.Action == NftRuleAction.Accept && SurelyAccepts(r, ssh))) return null;
        if (ssh is not null)
        {
            if (!MayMatch(facts, ssh)) return null;
            return $"rule '{rule.Text}' in {chain} (hook {hook}) {verb} your SSH connection ({ssh}) unless an earlier rule accepts it; " +
                   "use -ConfirmWithin on Invoke-NftTransaction to have the change roll back unless confirmed from a new session.";
        }
        if (Narrower(facts)) return null;
        return $"rule '{rule.Text}' in {chain} (hook {hook}) {verb} remote sessions (such as SSH on port {SshPort}) unless an earlier rule accepts them; " +
               "use -ConfirmWithin on Invoke-NftTransaction to have the change roll back unless confirmed from a new session.";
    }

    /// <summary>Whether a packet of the caller's established TCP connection (client to server) can pass the rule's
    /// matches. Only fields the rule tests can rule it out; fields the facts do not know about (interfaces, marks,
    /// named sets...) count as matching.</summary>
    internal static bool MayMatch(NftRuleFacts facts, SshConnection ssh)
    {
        var m = facts.Matches;
        var n = facts.Not;
        if (Tests(m.Protocol, n.Protocol) && !NftRuleQuery.NamePasses(m.Protocol, n.Protocol, "tcp")) return false;
        if (Tests(m.SourceAddress, n.SourceAddress) && !NftRuleQuery.AddressPasses(m.SourceAddress, n.SourceAddress, ssh.Client)) return false;
        if (Tests(m.DestinationAddress, n.DestinationAddress) && !NftRuleQuery.AddressPasses(m.DestinationAddress, n.DestinationAddress, ssh.Server)) return false;
        if (Tests(m.SourcePort, n.SourcePort) && !NftRuleQuery.PortPasses(m.SourcePort, n.SourcePort, new NftPortRange(ssh.ClientPort, ssh.ClientPort))) return false;
        if (Tests(m.DestinationPort, n.DestinationPort) && !NftRuleQuery.PortPasses(m.DestinationPort, n.DestinationPort, new NftPortRange(ssh.ServerPort, ssh.ServerPort))) return false;
        // The caller's connection exists already: `ct state new drop` does not cut it.
        if (Tests(m.ConnectionState, n.ConnectionState) && !NftRuleQuery.NamePasses(m.ConnectionState, n.ConnectionState, "established")) return false;
        return true;
    }

    /// <summary>Whether an accept rule takes the caller's connection whatever its facts do not tell: every field it
    /// tests passes, and it tests nothing the facts cannot judge (interfaces, named sets, undecoded expressions).
    /// Without a known connection, the stand-in is an established TCP session to port 22 from anywhere.</summary>
    internal static bool SurelyAccepts(NftRule rule, SshConnection? ssh)
    {
        var facts = rule.Facts;
        var m = facts.Matches;
        var n = facts.Not;
        if (rule.HasUndecodedExpressions || facts.Sets.Length > 0) return false;
        if (Tests(m.InputInterface, n.InputInterface) || Tests(m.OutputInterface, n.OutputInterface) || Tests(m.User, n.User)) return false;
        if (ssh is not null) return MayMatch(facts, ssh);
        if (Tests(m.SourceAddress, n.SourceAddress) || Tests(m.DestinationAddress, n.DestinationAddress) || Tests(m.SourcePort, n.SourcePort)) return false;
        if (Tests(m.Protocol, n.Protocol) && !NftRuleQuery.NamePasses(m.Protocol, n.Protocol, "tcp")) return false;
        if (Tests(m.DestinationPort, n.DestinationPort) &&
            !NftRuleQuery.PortPasses(m.DestinationPort, n.DestinationPort, new NftPortRange(SshPort, SshPort))) return false;
        return !Tests(m.ConnectionState, n.ConnectionState) || NftRuleQuery.NamePasses(m.ConnectionState, n.ConnectionState, "established");
    }

    /// <summary>Without a known connection: a rule that names source addresses (a ban), or destination ports that
    /// leave out SSH's, or only new connections, is narrower than "remote sessions".</summary>
    private static bool Narrower(NftRuleFacts facts)
    {
        var m = facts.Matches;
        var n = facts.Not;
        // A source address, literal or a named set (`ip saddr @blocked`), makes it a ban rather than a wall.
        if (m.SourceAddress.Length > 0 || facts.Sets.Length > 0) return true;
        if (Tests(m.DestinationPort, n.DestinationPort) &&
            !NftRuleQuery.PortPasses(m.DestinationPort, n.DestinationPort, new NftPortRange(SshPort, SshPort))) return true;
        if (Tests(m.Protocol, n.Protocol) && !NftRuleQuery.NamePasses(m.Protocol, n.Protocol, "tcp")) return true;
        return Tests(m.ConnectionState, n.ConnectionState) && !NftRuleQuery.NamePasses(m.ConnectionState, n.ConnectionState, "established");
    }

    private static bool Tests<T>(T[] required, T[] excluded) => required.Length > 0 || excluded.Length > 0;
}
