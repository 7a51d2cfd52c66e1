# What NftPS reads back from a namespace that nft has loaded (see tools/demo.sh).
param([Parameter(Mandatory)][string] $NetworkNamespace)
$ErrorActionPreference = 'Stop'
# tools/demo.sh runs this in real pwsh (the tool manifest's): load the module dotnet build assembled.
if (-not (Get-Module NftPS)) { Import-Module (Join-Path $PSScriptRoot '../out/NftPS/NftPS.psd1') }

Get-NftTable -NetworkNamespace $NetworkNamespace | Out-Default
Get-NftTable -NetworkNamespace $NetworkNamespace -Name filter | Get-NftChain | Out-Default
Get-NftRule -NetworkNamespace $NetworkNamespace -Table filter | Out-Default
'Rules whose counter has seen traffic:' | Out-Default
Get-NftRule -NetworkNamespace $NetworkNamespace -Table filter | Where-Object Counter -gt 0 | Out-Default
Export-NftRuleset -NetworkNamespace $NetworkNamespace
