@{
    RootModule           = 'NftPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'dc568561-41be-4421-a3a6-9d15602e8fcb'
    Author               = 'NftPS contributors'
    CompanyName          = 'NftPS'
    Copyright            = '(c) NftPS contributors. All rights reserved.'
    Description          = 'Manage Linux nftables from PowerShell: reads and changes the nf_tables ruleset by speaking the kernel''s netlink protocol directly, with typed objects, pipeline binding and network namespace support.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NftPS.format.ps1xml')
    TypesToProcess       = @('NftPS.types.ps1xml')
    CmdletsToExport      = @(
        'Get-NftRuleset'
        'Get-NftTable'
        'Get-NftChain'
        'Get-NftRule'
        'Get-NftSet'
        'Get-NftSetElement'
        'Get-NftObject'
        'Get-NftFlowtable'
        'Export-NftRuleset'
        'ConvertTo-NftJson'
        'New-NftTable'
        'Remove-NftTable'
        'New-NftChain'
        'Set-NftChain'
        'Rename-NftChain'
        'Clear-NftChain'
        'Remove-NftChain'
        'New-NftRule'
        'Set-NftRule'
        'Remove-NftRule'
        'Move-NftRule'
        'New-NftSet'
        'New-NftMap'
        'Add-NftSetElement'
        'Remove-NftSetElement'
        'Clear-NftSet'
        'Remove-NftSet'
        'New-NftObject'
        'Remove-NftObject'
        'Reset-NftCounter'
        'Clear-NftRuleset'
        'Invoke-NftTransaction'
        'Import-NftRuleset'
        'ConvertFrom-NftJson'
        'Compare-NftRuleset'
        'Test-NftRuleset'
        'Set-NftRuleset'
        'Receive-NftLog'
        'Get-NftEvent'
        'Export-NftMetric'
        'Confirm-NftChange'
        'Undo-NftChange'
        'Get-NftPendingChange'
        'Trace-NftPacket'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('nftables', 'nft', 'firewall', 'netfilter', 'netlink', 'Linux', 'network', 'PSEdition_Core')
            ReleaseNotes = @'
0.1.0 — first release.
- Reads the whole nf_tables ruleset over netlink as typed objects (tables, chains, rules, sets and elements, maps,
  stateful objects, flowtables) and prints it exactly as `nft list` does; every cmdlet works in any network namespace.
- Writes: rules from nft text or structured parameters, compiled to kernel expressions by NftPS itself; tables,
  chains, sets, maps, elements and objects; atomic transactions checked against the ruleset generation; nft files
  imported as one transaction.
- -WhatIf/-Confirm on every change, tab completion of live names, format views, help for every cmdlet.
'@
        }
    }
}
