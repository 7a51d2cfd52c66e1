#Requires -Version 7.4
# The change cmdlets and Invoke-NftTransaction in a private namespace, nft listing the result
# (mirrors PowerShell/ChangeCmdletTests.cs and PowerShell/TransactionTests.cs).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'NftPS change cmdlets' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        $script:Base = "table inet t {`n`tchain c {`n`t}`n}`n"
        function Get-Listing { Invoke-NftInNamespace $ns @('list', 'ruleset') }
        function Get-JsonListing { Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset') }
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
    }

    BeforeEach {
        Set-NftTestRuleset $ns ''
    }

    Context 'tables, chains and rules' {
        It 'creates a table, a base chain and a counted rule that nft lists with the handle -PassThru returns' {
            New-NftTable -NetworkNamespace $ns -Family inet -Name filter
            $chain = New-NftChain -NetworkNamespace $ns -Family inet -Table filter -Name c -Hook input -Priority filter -Policy accept -PassThru
            $rule = New-NftRule -NetworkNamespace $ns -Family inet -Table filter -Chain c -Protocol tcp -DestinationPort 22 -Counter -Action Accept -PassThru
            $rule.Text | Should -Be 'tcp dport 22 counter packets 0 bytes 0 accept'
            $listing = Invoke-NftInNamespace $ns @('-a', 'list', 'ruleset')
            $listing | Should -Match ([regex]::Escape("chain c { # handle $($chain.Handle)"))
            $listing | Should -Match ([regex]::Escape("tcp dport 22 counter packets 0 bytes 0 accept # handle $($rule.Handle)"))
        }

        It 'changes the policy, renames and removes chains' {
            Set-NftTestRuleset $ns "table inet t {`n`tchain c {`n`t`ttype filter hook output priority filter; policy accept;`n`t}`n`tchain old {`n`t}`n}`n"
            Get-NftChain -NetworkNamespace $ns -Table t -Name c | Set-NftChain -Policy drop
            (Get-NftChain -NetworkNamespace $ns -Table t -Name c).Policy | Should -Be 'drop'
            Rename-NftChain -NetworkNamespace $ns -Family inet -Table t -Name old -NewName renamed
            Get-Listing | Should -Match 'chain renamed'
            Remove-NftChain -NetworkNamespace $ns -Family inet -Table t -Name renamed
            Get-Listing | Should -Not -Match 'chain renamed'
        }

        It '-WhatIf shows the nft commands and changes nothing' {
            Set-NftTestRuleset $ns "table inet t {`n`tchain c {`n`t`ttcp dport 22 accept`n`t}`n}`n"
            $before = Get-JsonListing
            $text = Invoke-NftPSChild $ns @'
New-NftTable -NetworkNamespace $ns -Family inet -Name other -WhatIf
New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Protocol tcp -DestinationPort 80, 443 -Action Accept -WhatIf
Get-NftRule -NetworkNamespace $ns -Table t | Remove-NftRule -WhatIf
Remove-NftTable -NetworkNamespace $ns -Family inet -Name t -WhatIf
'@
            Get-JsonListing | Should -Be $before
            $text | Should -Match 'add table inet other'
            $text | Should -Match ([regex]::Escape('add rule inet t c tcp dport { 80, 443 } accept'))
            $text | Should -Match 'delete rule inet t c handle'
            $text | Should -Match 'delete table inet t'
        }

        It 'removes the rules piped in after filtering, in one transaction' {
            Set-NftTestRuleset $ns "table inet filter {`n`tchain c {`n`t`ttcp dport 22 counter packets 5 bytes 300 accept`n`t`ttcp dport 80 counter accept`n`t`ttcp dport 443 counter packets 1 bytes 60 accept`n`t}`n}`n"
            Get-NftRule -NetworkNamespace $ns -Table filter | Where-Object Counter -gt 0 | Remove-NftRule
            $listing = Get-Listing
            $listing | Should -Not -Match 'dport 22'
            $listing | Should -Not -Match 'dport 443'
            $listing | Should -Match 'tcp dport 80 counter'
        }
    }

    Context 'sets, elements and objects' {
        It 'creates a set, adds and removes elements' {
            Set-NftTestRuleset $ns $Base
            New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name allowed -Type ipv4_addr -Flags interval -Element 10.0.0.1
            '192.0.2.0/24', '198.51.100.7' | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set allowed
            Get-Listing | Should -Match ([regex]::Escape('elements = { 10.0.0.1, 192.0.2.0/24,'))
            Remove-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set allowed -Element 10.0.0.1
            Get-Listing | Should -Not -Match '10\.0\.0\.1'
            Clear-NftSet -NetworkNamespace $ns -Family inet -Table t -Name allowed
            Get-NftSetElement -NetworkNamespace $ns -Table t -Set allowed | Should -BeNullOrEmpty
        }

        It 'creates a named counter and resets it, returning the values it had' {
            Set-NftTestRuleset $ns "table inet t {`n`tcounter hits {`n`t`tpackets 3 bytes 120`n`t}`n}`n"
            $before = Reset-NftCounter -NetworkNamespace $ns -Family inet -Table t -Name hits -PassThru
            $before.Packets | Should -Be 3
            (Get-NftObject -NetworkNamespace $ns -Table t -Name hits).Packets | Should -Be 0
            New-NftObject -NetworkNamespace $ns -Family inet -Table t -Name smtp_rate -Type limit -Rate '10/minute'
            (Get-NftObject -NetworkNamespace $ns -Table t -Type Limit).Name | Should -Be 'smtp_rate'
        }
    }

    Context 'Invoke-NftTransaction' {
        It 'commits everything together' {
            $rule = Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftTable -NetworkNamespace $ns -Family inet -Name t
                New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -Hook input -Policy drop
                New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name allowed -Type ipv4_addr -Element 10.0.0.1, ([ipaddress]'10.0.0.2')
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Protocol tcp -DestinationPort 22 -SourceAddress '@allowed' -Action Accept -PassThru
            }
            $rule.Text | Should -Be 'tcp dport 22 ip saddr @allowed accept'
            $listing = Get-Listing
            $listing | Should -Match ([regex]::Escape('elements = { 10.0.0.1, 10.0.0.2 }'))
            $listing | Should -Match ([regex]::Escape('tcp dport 22 ip saddr @allowed accept'))
        }

        It 'applies nothing when the block throws' {
            Set-NftTestRuleset $ns $Base
            $before = Get-JsonListing
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 22 accept'
                throw 'stop here'
            } -ErrorVariable err -ErrorAction SilentlyContinue
            Get-JsonListing | Should -Be $before
            ($err | Where-Object { $_.FullyQualifiedErrorId -like 'NftTransactionAborted*' }) | Should -Not -BeNullOrEmpty
        }

        It 'applies nothing when one of a thousand operations is refused, and names it' {
            Set-NftTestRuleset $ns $Base
            $before = Get-JsonListing
            Invoke-NftTransaction -NetworkNamespace $ns {
                foreach ($i in 1..1000) {
                    if ($i -eq 700) { New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'jump missing_chain' }
                    else { New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule "tcp dport $i accept" }
                }
            } -ErrorVariable err -ErrorAction SilentlyContinue
            Get-JsonListing | Should -Be $before
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -Match 'operation 700 '
            $err[0].Exception.Message | Should -Match 'add rule inet t c jump missing_chain'
            $err[0].FullyQualifiedErrorId | Should -Match '^NftObjectNotFound'
        }

        It '-Validate checks without applying' {
            Set-NftTestRuleset $ns $Base
            Invoke-NftTransaction -NetworkNamespace $ns -Validate {
                New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 22 accept'
            } -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -BeNullOrEmpty
            Get-Listing | Should -Not -Match 'dport 22'
        }

        It '-WhatIf prints the batch and changes nothing' {
            Set-NftTestRuleset $ns $Base
            $before = Get-JsonListing
            $text = Invoke-NftPSChild $ns @'
Invoke-NftTransaction -NetworkNamespace $ns -WhatIf {
    New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name extra
    New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain extra -Rule 'udp dport 53 accept'
}
'@
            Get-JsonListing | Should -Be $before
            $text | Should -Match 'add chain inet t extra'
            $text | Should -Match 'add rule inet t extra udp dport 53 accept'
        }
    }

    Context 'Import-NftRuleset and Clear-NftRuleset' {
        It 'validates, imports and clears a file in the namespace' {
            $file = Join-Path $TestDrive 'policy.nft'
            Set-Content -Path $file -Value "table inet mailguard {`n`tchain input {`n`t`ttype filter hook input priority filter; policy accept;`n`t`ttcp dport 25 accept`n`t}`n}`n"
            Import-NftRuleset -NetworkNamespace $ns -Path $file -Validate
            Get-Listing | Should -BeNullOrEmpty
            Import-NftRuleset -NetworkNamespace $ns -Path $file
            Get-Listing | Should -Match 'tcp dport 25 accept'
            Clear-NftRuleset -NetworkNamespace $ns -Confirm:$false
            Get-Listing | Should -BeNullOrEmpty
        }
    }
}
