# The egress guide's four numbers for a default-deny policy, from NFLOG objects and counters:
#   1. denied new connections (connections, not packets: a retransmitted SYN is not counted twice);
#   2. the most frequently denied destinations;
#   3. denied connections by local user (uid from NFLOG, the socket's owner: meta skuid);
#   4. the drop rate (denied / new connections) before and after a policy change.
# The deny rule logs to an NFLOG group, which Receive-NftLog reads as objects; counters give the totals.
# Everything happens in the given namespace, with traffic only to 127.0.0.0/8:
#   ip netns add egress-watch
#   pwsh examples/egress-watch.ps1 -NetworkNamespace egress-watch -GenerateTraffic
param(
    [Parameter(Mandatory)] [string] $NetworkNamespace,
    [int] $Group = 1,
    # How long each measurement window listens.
    [double] $Seconds = 8,
    # Send a scripted mix (two users, three denied destinations) in each window, for a demonstration.
    [switch] $GenerateTraffic
)
$ErrorActionPreference = 'Stop'
$ns = $NetworkNamespace

# The policy: web (tcp 80) on 127.0.0.1 is allowed, the allow-list set adds destinations; every other new TCP
# connection is counted, logged to the NFLOG group and refused with a reset.
& ip netns exec $ns ip link set lo up
Invoke-NftTransaction -NetworkNamespace $ns {
    New-NftTable -NetworkNamespace $ns -Family inet -Name egress_watch
    New-NftSet -NetworkNamespace $ns -Family inet -Table egress_watch -Name allowed -Type 'ipv4_addr . inet_service'
    New-NftObject -NetworkNamespace $ns -Family inet -Table egress_watch -Name new_connections -Type counter
    New-NftObject -NetworkNamespace $ns -Family inet -Table egress_watch -Name denied -Type counter
    New-NftChain -NetworkNamespace $ns -Family inet -Table egress_watch -Name output -Hook output -Priority filter -Policy accept
    $r = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'egress_watch'; Chain = 'output' }
    New-NftRule @r -Rule 'ct state new meta l4proto tcp ip daddr 127.0.0.0/8 counter name "new_connections"'
    New-NftRule @r -Rule 'ip daddr 127.0.0.1 tcp dport 80 accept'
    New-NftRule @r -Rule 'ip daddr . tcp dport @allowed accept'
    New-NftRule @r -Rule "ct state new meta l4proto tcp ip daddr 127.0.0.0/8 counter name `"denied`" log prefix `"egress-deny: `" group $Group reject with tcp reset"
}

# The scripted mix: root and nobody connect to three destinations that are not allowed, and to the allowed web port.
function Send-Mix {
    $connects = @(
        @('root', '127.0.0.2', 9), @('root', '127.0.0.2', 9), @('root', '127.0.0.2', 9), @('root', '127.0.0.3', 9),
        @('root', '127.0.0.3', 9), @('nobody', '127.0.0.4', 25), @('nobody', '127.0.0.2', 9), @('root', '127.0.0.1', 80),
        @('nobody', '127.0.0.1', 80)
    )
    $lines = foreach ($c in $connects) {
        $as = if ($c[0] -eq 'nobody') { 'setpriv --reuid=65534 --regid=65534 --clear-groups ' } else { '' }
        "ip netns exec $ns ${as}timeout 3 bash -c 'exec 3<>/dev/tcp/$($c[1])/$($c[2])' 2>/dev/null"
    }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('bash')
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add("sleep 1; $($lines -join '; ')")
    [System.Diagnostics.Process]::Start($psi)
}

function Get-CounterPackets([string] $Name) {
    (Get-NftObject -NetworkNamespace $ns -Family inet -Table egress_watch -Name $Name).Packets
}

# One window: what was denied (as objects) and the counters' growth.
function Measure-Window([string] $Label) {
    $newBefore = Get-CounterPackets new_connections
    $deniedBefore = Get-CounterPackets denied
    $traffic = if ($GenerateTraffic) { Send-Mix }
    $log = @(Receive-NftLog -NetworkNamespace $ns -Group $Group -Timeout $Seconds)
    if ($traffic) { $traffic.WaitForExit() }
    # A connection is its first SYN: retransmissions repeat the same source port.
    $connections = @($log | Where-Object { $_.TcpFlags -band [NftPS.NfTables.Log.NftTcpFlags]::Syn -and -not ($_.TcpFlags -band [NftPS.NfTables.Log.NftTcpFlags]::Ack) } |
        Sort-Object { "$($_.SourceAddress) $($_.SourcePort) $($_.DestinationAddress) $($_.DestinationPort)" } -Unique)
    $new = (Get-CounterPackets new_connections) - $newBefore
    $denied = (Get-CounterPackets denied) - $deniedBefore
    [pscustomobject]@{
        Window            = $Label
        DeniedConnections = $connections.Count
        TopDestinations   = @($connections | Group-Object { "$($_.DestinationAddress):$($_.DestinationPort)" } |
            Sort-Object -Property @{ Expression = 'Count'; Descending = $true }, Name | Select-Object -First 3 |
            ForEach-Object { [pscustomobject]@{ Destination = $_.Name; Connections = $_.Count } })
        ByUser            = @($connections | Group-Object Uid | Sort-Object Name |
            ForEach-Object { [pscustomobject]@{ Uid = [uint32]$_.Name; User = (& id -nu $_.Name 2>$null); Connections = $_.Count } })
        NewConnections    = $new
        DropRate          = if ($new -gt 0) { [math]::Round($denied / $new, 3) } else { 0 }
    }
}

$before = Measure-Window 'before'
# The policy change: 127.0.0.3 port 9 joins the allow-list.
Add-NftSetElement -NetworkNamespace $ns -Family inet -Table egress_watch -Set allowed -Element '127.0.0.3 . 9'
$after = Measure-Window 'after'

$before, $after
