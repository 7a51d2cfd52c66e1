#Requires -Version 7.4
# Every example of docs/cmdlets runs for real, as its text stands, and must succeed (no error record, no exception);
# where its prose states a result, the result is checked (nft inside the namespace is the oracle).
# How: one runner process (HelpExamples.Runner.ps1) under `unshare --mount` with its own empty /run/netns and
# /run/nftps, so the namespaces the examples name (blue, green, staging, prod, mail, router1, router2) are private
# namespaces that exist only for it, never a host namespace of the same name, and the pending changes the
# -ConfirmWithin examples make and undo are never another test's. Before each example the namespaces it names, and
# blue, are reset to tests/fixtures/help-examples.nft (the ruleset the examples assume; docs/about_NftPS.md says so);
# cmdlets without -NetworkNamespace act in blue through $PSDefaultParameterValues; `nft` in an example is nft in blue;
# files the examples read (./policy.nft...) come from tests/fixtures/help-examples, in a fresh working directory.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = (Test-NftKernelAvailable) -and [bool](Get-Command unshare -ErrorAction SilentlyContinue)
    . (Join-Path $PSScriptRoot 'HelpExamples.Cases.ps1')
    $script:Examples = foreach ($example in Get-HelpExample (Join-Path $PSScriptRoot '../../docs/cmdlets')) {
        $case = $HelpExampleCases["$($example.Cmdlet) $($example.Number)"]
        $example + @{ Case = $case; Skip = [bool]($case -and $case.Skip) }
    }
}

Describe 'The examples of docs/cmdlets' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'HelpExamples.Cases.ps1')
        $script:Runner = Start-HelpExampleRunner
    }

    AfterAll {
        Stop-HelpExampleRunner $script:Runner
    }

    It '<Cmdlet> example <Number>: <Title>' -ForEach $Examples {
        if ($Skip) { Set-ItResult -Skipped -Because $Case.Skip; return }
        $script:Runner = Restart-HelpExampleRunnerIfGone $script:Runner
        $r = Invoke-HelpExample $script:Runner $_
        if ($env:NFTPS_HELPEX_TIMING) { Add-Content -Path $env:NFTPS_HELPEX_TIMING -Value "$Cmdlet $Number`: $($r.Values.Timing)" }
        if ($Case -and $Case.ExpectError) {
            # An example that shows an error: exactly that error, as its prose quotes it.
            @($r.Errors) + @($r.Exception | Where-Object { $_ }) | Should -HaveCount 1
            "$($r.Errors)$($r.Exception)" | Should -Match $Case.ExpectError
        }
        else {
            $r.Exception | Should -BeNullOrEmpty -Because "the example throws`n$($_.Code)"
            $r.Errors | Should -BeNullOrEmpty -Because "the example writes errors`n$($_.Code)"
        }
        if ($Case -and $Case.Check) { . $Case.Check $r }
    }
}
