namespace NftPS.NfTables;

/// <summary>What a rule does with a packet it matches: New-NftRule -Action takes it, and a rule read back shows it
/// (NftRule.Action). None: the rule has no verdict of its own (it counts, logs, limits, sets marks, or rewrites
/// addresses); the kernel then goes on with the next rule. Queue hands the packet to user space (nfqueue).</summary>
public enum NftRuleAction { None, Accept, Drop, Reject, Jump, Goto, Return, Continue, Queue }
