# A default-deny egress policy rolled out safely, in a network namespace:
#   1. log-only: the output chain accepts everything, its last rule counts and logs what the allow-list misses;
#   2. watch the drop counter while traffic flows;
#   3. add the missing destinations to the allow-list;
#   4. switch the chain's policy to drop.
# Runs with pwsh or, without it, with tools/NftPS.Run (only the core engine is used):
#   ip netns add egress-demo
#   dotnet tools/NftPS.Run/bin/Debug/net10.0/NftPS.Run.dll -File examples/egress-allowlist.ps1 -NetworkNamespace egress-demo
param(
    [Parameter(Mandatory)] [string] $NetworkNamespace,
    # Destinations found missing in stage 2 (in real life: read from the kernel log lines with the prefix).
    [string[]] $MissingDestination = @('203.0.113.25')
)
$ErrorActionPreference = 'Stop'
$ns = $NetworkNamespace

# Stage 1: table, allow-list, chain with policy accept, rules; one transaction.
Invoke-NftTransaction -NetworkNamespace $ns {
    New-NftTable -NetworkNamespace $ns -Family inet -Name egress -Comment 'outbound allow-list'
    New-NftSet -NetworkNamespace $ns -Family inet -Table egress -Name allowed_v4 -Type ipv4_addr -Flags interval -Element 10.10.0.10, 10.10.0.20, 198.51.100.0/24
    New-NftObject -NetworkNamespace $ns -Family inet -Table egress -Name egress_dropped -Type counter
    New-NftChain -NetworkNamespace $ns -Family inet -Table egress -Name output -Hook output -Priority filter -Policy accept
    $r = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'egress'; Chain = 'output' }
    New-NftRule @r -ConnectionState established, related -Action Accept
    New-NftRule @r -OutputInterface lo -Action Accept
    New-NftRule @r -Protocol udp -DestinationPort 53 -DestinationAddress 10.10.0.10 -Action Accept
    New-NftRule @r -Protocol udp -DestinationPort 123 -DestinationAddress 10.10.0.20 -Action Accept
    New-NftRule @r -Protocol tcp -DestinationPort 443 -DestinationAddress '@allowed_v4' -Action Accept
    # Log-only: what would be dropped is counted and logged, and still accepted by the policy.
    New-NftRule @r -Rule 'counter name "egress_dropped" log prefix "egress-drop: " level info'
}
'Stage 1: log-only egress policy in place' | Out-Default
Get-NftRule -NetworkNamespace $ns -Table egress -Chain output | Out-Default

# Stage 2: the drop counter (a real rollout watches it, and the log, for days).
$dropped = Reset-NftCounter -NetworkNamespace $ns -Family inet -Table egress -Name egress_dropped -PassThru
"Stage 2: $($dropped.Packets) packet(s) would have been dropped since the last look" | Out-Default

# Stage 3: the missing destinations join the allow-list (one transaction for all of them).
if ($MissingDestination) {
    $MissingDestination | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table egress -Set allowed_v4
}
'Stage 3: allow-list now holds' | Out-Default
Get-NftSetElement -NetworkNamespace $ns -Table egress -Set allowed_v4 | Out-Default

# Stage 4: default deny. The log rule stays, so drops remain visible.
Get-NftChain -NetworkNamespace $ns -Table egress -Name output | Set-NftChain -Policy drop
"Stage 4: policy is now $((Get-NftChain -NetworkNamespace $ns -Table egress -Name output).Policy)" | Out-Default
Export-NftRuleset -NetworkNamespace $ns -Stateless
