# A mail server's inbound guard with rate limits, in a network namespace: SMTP and submission are accepted
# within limits, clients that open submission connections too fast land in a set that drops them for 10 minutes.
#   ip netns add mail-demo
#   dotnet tools/NftPS.Run/bin/Debug/net10.0/NftPS.Run.dll -File examples/mail-server.ps1 -NetworkNamespace mail-demo
param([Parameter(Mandatory)] [string] $NetworkNamespace)
$ErrorActionPreference = 'Stop'
$ns = $NetworkNamespace

Invoke-NftTransaction -NetworkNamespace $ns {
    $p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'mailguard' }
    New-NftTable -NetworkNamespace $ns -Family inet -Name mailguard
    New-NftSet @p -Name auth_ports -Type inet_service -Element 465, 587, 993
    New-NftSet @p -Name offenders -Type ipv4_addr -Size 65535 -Flags dynamic, timeout -Timeout ([timespan]::FromMinutes(10))
    New-NftChain @p -Name input -Hook input -Priority 'filter - 10' -Policy accept
    $r = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 'mailguard'; Chain = 'input' }
    New-NftRule @r -SourceAddress '@offenders' -Action Drop
    New-NftRule @r -Rule 'tcp dport @auth_ports ct state new add @offenders { ip saddr limit rate over 10/minute } counter drop'
    New-NftRule @r -Protocol tcp -DestinationPort '@auth_ports' -ConnectionState new -Limit '50/second burst 20 packets' -Action Accept
    New-NftRule @r -Protocol tcp -DestinationPort 25 -ConnectionState new -Limit '30/minute burst 10 packets' -Counter -Action Accept
    New-NftRule @r -Limit 5/minute -LogPrefix 'mailguard: ' -LogLevel warn
}

'Rules of the mail guard:' | Out-Default
Get-NftRule -NetworkNamespace $ns -Table mailguard -Chain input | Out-Default
'Clients currently blocked:' | Out-Default
Get-NftSetElement -NetworkNamespace $ns -Table mailguard -Set offenders | Out-Default
