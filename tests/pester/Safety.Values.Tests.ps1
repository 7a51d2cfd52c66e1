#Requires -Version 7.4
# Issue 11 defects 1, 5 and 7 under real pwsh: values given to the element and rule cmdlets are values, never nft
# syntax; a pipeline of elements lands whole or not at all; overlapping intervals are refused as nft refuses them.
# (Mirrors tests/NftPS.Tests/Safety/.)

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'Values are never code' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        $script:Base = @"
table ip keepme {
}
table inet t {
	set s {
		type ipv4_addr
		elements = { 9.9.9.9 }
	}
	set i {
		type ipv4_addr
		flags interval
	}
	set small {
		type ipv4_addr
		size 100
	}
	chain c {
	}
}

"@
        function Get-Listing { Invoke-NftInNamespace $ns @('list', 'ruleset') }
        function Get-Tables { Invoke-NftInNamespace $ns @('list', 'tables') }
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
    }

    BeforeEach {
        Set-NftTestRuleset $ns $Base
        $script:before = Get-Listing
    }

    Context 'set elements' {
        It 'refuses the issue''s element that deleted keepme and created evil, with a caret, and changes nothing' {
            $err = $null
            Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue `
                -Element '1.1.1.1 }; delete table ip keepme; add table ip evil; add element inet t s { 2.2.2.2'
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -Match "unexpected '\}'"
            (Get-Tables) | Should -Match 'table ip keepme'
            (Get-Tables) | Should -Not -Match 'evil'
            Get-Listing | Should -Be $before
        }

        It 'refuses the same through a pipeline, New-NftSet -Element and Remove-NftSetElement' {
            $bad = '1.1.1.1 }; add table ip evil; add element inet t s { 2.2.2.2'
            '10.0.0.1', $bad | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name x -Type ipv4_addr -Element $bad -ErrorAction SilentlyContinue
            Remove-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element $bad -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Get-Listing | Should -Be $before
        }

        It 'keeps a comment with nft syntax in it as the comment, and refuses one with a double quote' {
            Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element '10.0.0.1' -Comment '}; add table ip evil'
            Get-Listing | Should -Match ([regex]::Escape('10.0.0.1 comment "}; add table ip evil"'))
            $err = $null
            Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -Element @{ Key = '10.0.0.2'; Comment = 'a"b' } -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -Match 'double quote'
            Get-Listing | Should -Not -Match '10\.0\.0\.2'
        }
    }

    Context 'rule parameters' {
        It 'refuses a port that carries a statement' {
            $err = $null
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Protocol tcp -DestinationPort '22 meta mark set 5' -Action Accept -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -Match 'expected one port'
            Get-Listing | Should -Be $before
        }

        It 'refuses an address that carries statements' {
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -SourceAddress '10.0.0.1 counter meta mark set 5' -Action Accept -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].Exception.Message | Should -Match 'expected one address'
            Get-Listing | Should -Be $before
        }

        It 'keeps a log prefix and an interface name as strings' {
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -InputInterface 'we;rd}' -LogPrefix 'x; add table ip evil' -Action Accept
            Get-Listing | Should -Match ([regex]::Escape('iifname "we;rd}" log prefix "x; add table ip evil" accept'))
            (Get-Tables) | Should -Not -Match 'evil'
        }

        It 'refuses rule text with a second command in it' {
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule "accept; add table ip evil" -ErrorAction SilentlyContinue
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule "counter`nflush ruleset" -ErrorAction SilentlyContinue
            Get-Listing | Should -Be $before
        }

        It 'changes nothing under -WhatIf (the text it shows is checked in the xunit RuleParameterInjectionTests)' {
            New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -InputInterface 'a;b' -Protocol tcp -DestinationPort 22, 443 -Action Accept -WhatIf
            Get-Listing | Should -Be $before
        }
    }

    Context 'atomic pipelines and intervals' {
        It 'leaves the set unchanged when one of 100,000 piped addresses is bad' {
            $list = [System.Collections.Generic.List[string]]::new()
            for ($n = 0; $n -lt 100000; $n++) { $list.Add("10.$(($n -shr 16) -band 255).$(($n -shr 8) -band 255).$($n -band 255)") }
            $list[99999] = '10.0.0.256'
            $err = $null
            $list | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set s -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err.Count | Should -Be 1
            Get-Listing | Should -Be $before
        }

        It 'leaves the set unchanged when the kernel refuses part of the batch' {
            $list = 0..999 | ForEach-Object { "10.0.$(($_ -shr 8) -band 255).$($_ -band 255)" }
            $list | Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set small -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -BeGreaterThan 0
            Get-Listing | Should -Be $before
        }

        It 'refuses overlapping intervals in one call as nft does' {
            Add-NftSetElement -NetworkNamespace $ns -Family inet -Table t -Set i -Element '10.0.0.0/8', '10.1.0.0/16' -ErrorAction SilentlyContinue -ErrorVariable err -WarningAction SilentlyContinue
            $err[0].Exception.Message | Should -Match 'conflicting intervals specified'
            Get-Listing | Should -Be $before
        }
    }
}
