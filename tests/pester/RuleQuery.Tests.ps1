#Requires -Version 7.4
# Rules as users query them: the typed properties and Get-NftRule's filters under real pwsh
# (mirrors tests/NftPS.Tests/Query/RuleQueryTests.cs).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'Querying rules' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        Set-NftTestRuleset $ns @'
table inet q {
  set allowed { type ipv4_addr; flags interval; elements = { 198.51.100.0/24, 203.0.113.7 } }
  chain input {
    type filter hook input priority 0; policy accept;
    ct state established,related accept comment "return-traffic"
    iifname "lo" accept comment "loopback"
    tcp dport 22 ip saddr 10.0.0.0/8 counter packets 3 bytes 180 accept comment "ssh-from-ten"
    tcp dport { 25, 465, 587 } counter packets 40 bytes 9000 accept comment "mail"
    tcp dport 443 ip saddr @allowed accept comment "https-allowed"
    tcp dport != 22 ip saddr != 10.0.0.0/8 counter packets 7 bytes 700 drop comment "not-ten"
    limit rate 5/minute log prefix "q: " level info comment "log-rest"
  }
}
'@
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
    }

    It 'finds rules by destination port, including a port inside a set literal' {
        (Get-NftRule -NetworkNamespace $ns | Where-Object DestinationPort -contains 443).Comment | Should -Be 'https-allowed'
        (Get-NftRule -NetworkNamespace $ns | Where-Object DestinationPort -contains 465).Comment | Should -Be 'mail'
        (Get-NftRule -NetworkNamespace $ns -DestinationPort 587).Comment | Sort-Object | Should -Be @('mail', 'not-ten')
    }

    It 'finds rules whose source prefix holds an address' {
        (Get-NftRule -NetworkNamespace $ns -SourceAddress 10.1.2.3).Comment | Should -Be 'ssh-from-ten'
        (Get-NftRule -NetworkNamespace $ns | Where-Object { $_.Matches('SourceAddress', '10.200.0.1') }).Comment | Should -Be 'ssh-from-ten'
        $rule = Get-NftRule -NetworkNamespace $ns -Comment 'ssh-from-ten'
        $rule.SourceAddress[0] | Should -BeOfType [System.Net.IPNetwork]
        $rule.SourceAddress[0].Contains([ipaddress]'10.9.9.9') | Should -BeTrue
    }

    It 'shows negated matches under Not, never among the required values' {
        $notTen = Get-NftRule -NetworkNamespace $ns -Comment 'not-ten'
        $notTen.Not.DestinationPort | Should -Be 22
        "$($notTen.Not.SourceAddress)" | Should -Be '10.0.0.0/8'
        (Get-NftRule -NetworkNamespace $ns | Where-Object DestinationPort -contains 22).Comment | Should -Be 'ssh-from-ten'
        (Get-NftRule -NetworkNamespace $ns | Where-Object { $_.Not.DestinationPort -contains 22 }).Comment | Should -Be 'not-ten'
    }

    It 'filters by action, protocol, state, interface, set and comment' {
        (Get-NftRule -NetworkNamespace $ns -Action Drop).Comment | Should -Be 'not-ten'
        (Get-NftRule -NetworkNamespace $ns -Protocol tcp).Count | Should -Be 4
        (Get-NftRule -NetworkNamespace $ns -ConnectionState established).Comment | Should -Be 'return-traffic'
        (Get-NftRule -NetworkNamespace $ns -InputInterface 'l*').Comment | Should -Be 'loopback'
        (Get-NftRule -NetworkNamespace $ns -UsesSet allowed).Comment | Should -Be 'https-allowed'
        (Get-NftRule -NetworkNamespace $ns -Comment '*ten').Comment | Sort-Object | Should -Be @('not-ten', 'ssh-from-ten')
    }

    It 'sorts rules by counter and reads log and limit' {
        (Get-NftRule -NetworkNamespace $ns | Where-Object Counter -gt 0 | Sort-Object Counter -Descending).Comment |
            Should -Be @('mail', 'not-ten', 'ssh-from-ten')
        $log = Get-NftRule -NetworkNamespace $ns -Comment 'log-rest'
        $log.Action | Should -Be 'None'
        $log.LogPrefix | Should -Be 'q: '
        $log.LogLevel | Should -Be 'info'
        "$($log.Limit)" | Should -Be '5/minute'
        $ports = (Get-NftRule -NetworkNamespace $ns).DestinationPort | Sort-Object -Unique
        $ports | Should -Be @(22, 25, 443, 465, 587)
    }

    It 'refuses a filter value that is not one value of its type' {
        { Get-NftRule -NetworkNamespace $ns -DestinationPort '22; drop' -ErrorAction Stop } | Should -Throw -ErrorId 'NftRuleFilterInvalid*'
        { Get-NftRule -NetworkNamespace $ns -SourceAddress '10.0.0.0/8 accept' -ErrorAction Stop } | Should -Throw -ErrorId 'NftRuleFilterInvalid*'
    }

    It 'gives set elements typed values next to their text' {
        $elements = Get-NftSetElement -NetworkNamespace $ns -Table q -Set allowed
        ($elements | Where-Object { $_.TypedValue -is [System.Net.IPNetwork] -and $_.TypedValue.Contains([ipaddress]'198.51.100.9') }).Value |
            Should -Be '198.51.100.0/24'
        ($elements | Where-Object { $_.TypedValue -is [ipaddress] }).Value | Should -Be '203.0.113.7'
    }
}
