#Requires -Version 7.4
# Issue 11 defects 2 and 3 under real pwsh: a change lands in the namespace the user meant or nowhere, and a copy of
# an object (PSSerializer, as remoting gives; Select-Object) is checked for its host and namespace like the object.
# Two private namespaces A and B hold the same ruleset, so a change in the wrong one shows in nft's listing of it.
# Mirrors tests/NftPS.Tests/Safety/NamespaceSafetyTests.cs and OriginGuardTests.cs.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'NftPS namespace safety' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:A = New-NftTestNamespace
        $script:B = New-NftTestNamespace
        $script:Same = "table inet t {`n`tset s {`n`t`ttype ipv4_addr`n`t`telements = { 10.0.0.1 }`n`t}`n`n`tchain c {`n`t`ttcp dport 22 accept`n`t}`n}`n"
        function Get-Listings { @((Invoke-NftInNamespace $A @('list', 'ruleset')), (Invoke-NftInNamespace $B @('list', 'ruleset'))) -join "`n---`n" }
        function Copy-Deserialized($o) {
            [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($o))
        }
        # pwsh for a child process: a tool install runs as `dotnet pwsh.dll`.
        $script:Pwsh = if ([Environment]::ProcessPath -match 'dotnet$') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
    }

    AfterAll {
        $PSDefaultParameterValues.Remove('*-Nft*:NetworkNamespace')
        Remove-NftTestNamespace $script:A
        Remove-NftTestNamespace $script:B
    }

    BeforeEach {
        Set-NftTestRuleset $A $Same
        Set-NftTestRuleset $B $Same
        $PSDefaultParameterValues.Remove('*-Nft*:NetworkNamespace')
    }

    AfterEach {
        $PSDefaultParameterValues.Remove('*-Nft*:NetworkNamespace')
    }

    Context 'defaults and transactions' {
        It 'a -WhatIf transaction in B with the default A changes nothing anywhere' {
            $before = Get-Listings
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Invoke-NftTransaction -NetworkNamespace $B -WhatIf { New-NftTable -Family inet -Name x } 6>$null
            Get-Listings | Should -Be $before
        }

        It "the transaction's namespace wins over the default" {
            $beforeA = Invoke-NftInNamespace $A @('list', 'ruleset')
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Invoke-NftTransaction -NetworkNamespace $B { New-NftTable -Family inet -Name x }
            Invoke-NftInNamespace $A @('list', 'ruleset') | Should -Be $beforeA
            Invoke-NftInNamespace $B @('list', 'ruleset') | Should -Match 'table inet x'
        }

        It 'a typed other namespace inside the block is refused and nothing is applied' {
            $before = Get-Listings
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Invoke-NftTransaction -NetworkNamespace $B {
                New-NftTable -Family inet -Name y
                New-NftTable -NetworkNamespace $A -Family inet -Name x
            } -ErrorVariable failed -ErrorAction SilentlyContinue
            Get-Listings | Should -Be $before
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NftTransactionAborted*'
            $failed[0].Exception.Message | Should -Match 'nothing was applied'
        }
    }

    Context 'pipeline objects' {
        It "an object's origin wins over a default" {
            $null = Invoke-NftInNamespace $B @('add', 'element', 'inet', 't', 's', '{ 10.0.0.2 }')
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            $elements = Get-NftSet -NetworkNamespace $B | Get-NftSetElement
            $elements.Value | Sort-Object | Should -Be @('10.0.0.1', '10.0.0.2')
            $elements.NetworkNamespace | Select-Object -Unique | Should -Be $B
        }

        It "a typed namespace that contradicts the object's origin is an error" {
            $out = Get-NftSet -NetworkNamespace $B | Get-NftSetElement -NetworkNamespace $A -ErrorVariable failed -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NftObjectFromOtherNamespace*'
        }
    }

    Context 'names' {
        It "refuses -NetworkNamespace '' (run inside A, where the caller's own namespace is A)" {
            $before = Get-Listings
            $script = "Import-Module '$((Get-Module NftPS).Path -replace '\.dll$', '.psd1')'; New-NftTable -NetworkNamespace '' -Family inet -Name evil"
            $out = (& ip netns exec $A @Pwsh -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
            $out | Should -Match 'omit -NetworkNamespace'
            Get-Listings | Should -Be $before
        }

        It 'refuses a relative path out of /run/netns and accepts an absolute namespace path' {
            $sleeper = Start-Process ip -ArgumentList 'netns', 'exec', $B, 'sleep', '30' -PassThru
            try {
                Start-Sleep -Milliseconds 300
                $before = Get-Listings
                { New-NftTable -NetworkNamespace "../../proc/$($sleeper.Id)/ns/net" -Family inet -Name evil -ErrorAction Stop } |
                    Should -Throw -ErrorId 'NftNetworkNamespaceInvalid*'
                Get-Listings | Should -Be $before
                New-NftTable -NetworkNamespace "/proc/$($sleeper.Id)/ns/net" -Family inet -Name viapath
                Invoke-NftInNamespace $B @('list', 'ruleset') | Should -Match 'table inet viapath'
            }
            finally { $sleeper | Stop-Process -Force -ErrorAction SilentlyContinue }
        }
    }

    Context 'copies of objects' {
        It 'a deserialized rule with another Host is refused by <Command>' -ForEach @(
            @{ Command = 'Remove-NftRule'; Read = { Get-NftRule -NetworkNamespace $A -Table t } }
            @{ Command = 'Clear-NftChain'; Read = { Get-NftChain -NetworkNamespace $A -Table t } }
            @{ Command = 'Remove-NftTable'; Read = { Get-NftTable -NetworkNamespace $A -Name t } }
        ) {
            $before = Get-Listings
            $copy = Copy-Deserialized (& $Read)
            $copy.Host = 'elsewhere'
            $copy | & $Command -NetworkNamespace $B -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
            Get-Listings | Should -Be $before
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NftObjectFromOtherHost*'
        }

        It 'a Select-Object copy with another Host is refused' {
            $before = Get-Listings
            $copy = Get-NftRule -NetworkNamespace $A -Table t | Select-Object *
            $copy.Host = 'elsewhere'
            $copy | Remove-NftRule -NetworkNamespace $B -ErrorVariable failed -ErrorAction SilentlyContinue
            Get-Listings | Should -Be $before
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NftObjectFromOtherHost*'
        }

        It 'a deserialized rule from A is refused in B' {
            $before = Get-Listings
            Copy-Deserialized (Get-NftRule -NetworkNamespace $A -Table t) |
                Remove-NftRule -NetworkNamespace $B -ErrorVariable failed -ErrorAction SilentlyContinue
            Get-Listings | Should -Be $before
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NftObjectFromOtherNamespace*'
        }
    }

    Context 'tab completion' {
        BeforeAll {
            function Complete([string] $line) { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
        }
        BeforeEach {
            $null = Invoke-NftInNamespace $A @('add', 'table', 'inet', 'onlyina')
            $null = Invoke-NftInNamespace $B @('add', 'table', 'inet', 'onlyinb')
        }

        It 'honours $PSDefaultParameterValues' {
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Complete 'Get-NftChain -Table only' | Should -Be @('onlyina')
        }

        It '-NetworkNamespace on the command line wins over the default' {
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Complete "Get-NftChain -NetworkNamespace $B -Table only" | Should -Be @('onlyinb')
        }

        It "an enclosing transaction's namespace wins over the default" {
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Complete "Invoke-NftTransaction -NetworkNamespace $B { New-NftRule -Table only" | Should -Be @('onlyinb')
        }

        It 'reads nothing when the default cannot be known (a script block)' {
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = { $A }
            Complete 'Get-NftChain -Table only' | Should -BeNullOrEmpty
        }
    }
}
