#Requires -Version 7.4
# Trace-NftPacket under real pwsh in a private namespace: a loopback SYN through a base chain, a jump and a return is one
# object whose path the ruleset's handles confirm, and the temporary table is gone afterwards — also after a kill -9
# (an owner table: the kernel deletes it when the dead process's netlink socket closes).
# (mirrors tests/NftPS.Tests/Observe/TraceNftPacketCmdletTests.cs)

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'Trace-NftPacket' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        & ip netns exec $ns ip link set lo up
        function Get-Listing { Invoke-NftInNamespace $ns @('-a', 'list', 'ruleset') }
        function Get-Handle([string] $Text) { [ulong]([regex]::Match((Get-Listing), [regex]::Escape($Text) + '.* # handle (\d+)').Groups[1].Value) }
        function Start-Connect([int] $Port) {
            Start-Job { Start-Sleep -Milliseconds 1000; & ip netns exec $using:ns timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$using:Port" }
        }
    }

    AfterAll {
        Get-Job | Remove-Job -Force
        Remove-NftTestNamespace $script:ns
    }

    BeforeEach {
        Set-NftTestRuleset $ns "table inet filter {`n chain web {`n  tcp dport 8080 counter`n }`n chain input {`n  type filter hook input priority 0; policy drop;`n  tcp dport 8080 jump web`n  tcp dport 8080 accept`n  tcp flags rst accept`n }`n}`n"
    }

    It 'shows the path of a SYN through a jump and back: chains, handles, verdicts and rule text' {
        $job = Start-Connect 8080
        $trace = Trace-NftPacket -NetworkNamespace $ns -Protocol tcp -DestinationPort 8080 -Count 1 -Timeout 20
        $job | Wait-Job | Remove-Job
        $trace | Should -HaveCount 1
        $trace.GetType().FullName | Should -Be 'NftPS.NfTables.Trace.NftPacketTrace'
        $trace.DestinationPort | Should -Be 8080
        ($trace.Steps | ForEach-Object { "$($_.Chain) $($_.Handle) $($_.Verdict)" }) | Should -Be @(
            "input $(Get-Handle 'tcp dport 8080 jump web') jump"
            "web $(Get-Handle 'tcp dport 8080 counter') continue"
            'web  continue'
            "input $(Get-Handle 'tcp dport 8080 accept') accept")
        $trace.Steps[0].Rule | Should -Be 'tcp dport 8080 jump web'
        $trace.Verdict | Should -Be 'accept'
        $trace.Policy | Should -BeNullOrEmpty
        Get-Listing | Should -Not -Match 'nftps_trace_'
    }

    It 'ends quietly at -Timeout when no packet came, and leaves no table' {
        $elapsed = Measure-Command { $out = @(Trace-NftPacket -NetworkNamespace $ns -Protocol udp -DestinationPort 9 -Timeout 0.5) }
        $out.Count | Should -Be 0
        $elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.45
        Get-Listing | Should -Not -Match 'nftps_trace_'
    }

    It 'reports the drop policy' {
        $job = Start-Connect 8082
        $traces = @(Trace-NftPacket -NetworkNamespace $ns -Protocol tcp -DestinationPort 8082 -Count 1 -Timeout 20)
        $job | Wait-Job | Remove-Job
        $traces.Count | Should -BeGreaterThan 0
        $traces[0].Verdict | Should -Be 'drop'
        $traces[0].Policy | Should -Be 'drop'
        $traces[0].Steps[-1].Kind | Should -Be 'Policy'
        Get-Listing | Should -Not -Match 'nftps_trace_'
    }

    It 'leaves no table after the tracing process is killed' {
        $pwsh = Get-PwshPath
        $script = "Import-Module '$ModuleManifest'; Trace-NftPacket -NetworkNamespace '$ns' -Protocol udp"
        $child = Start-Process -FilePath $pwsh -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', $script) -PassThru
        try {
            $deadline = (Get-Date).AddSeconds(20)
            while ((Get-Date) -lt $deadline -and (Get-Listing) -notmatch 'nftps_trace_') { Start-Sleep -Milliseconds 100 }
            Get-Listing | Should -Match 'nftps_trace_'
        }
        finally {
            & kill -9 $child.Id
            $child.WaitForExit(5000) | Out-Null
        }
        Start-Sleep -Milliseconds 300
        Get-Listing | Should -Not -Match 'nftps_trace_'
    }
}
