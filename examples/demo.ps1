# What NftPS reads back from a namespace that nft has loaded (see tools/demo.sh).
param([Parameter(Mandatory)][string] $NetworkNamespace)

Get-NftTable -NetworkNamespace $NetworkNamespace | Out-Default
Get-NftTable -NetworkNamespace $NetworkNamespace -Name filter | Get-NftChain | Out-Default
Get-NftRule -NetworkNamespace $NetworkNamespace -Table filter | Out-Default
'Rules whose counter has seen traffic:' | Out-Default
Get-NftRule -NetworkNamespace $NetworkNamespace -Table filter | Where-Object Counter -gt 0 | Out-Default
Export-NftRuleset -NetworkNamespace $NetworkNamespace
