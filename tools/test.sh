#!/usr/bin/env bash
# The whole test suite: the xunit tests (dotnet test) and the Pester specs under real pwsh 7.6.10 (the tool
# manifest's) with Pester 5.7.1 (restored as a NuGet PackageDownload). Kernel tests run in private network
# namespaces they create and delete; as root they run, elsewhere they skip (under CI=true they fail instead).
# Prints one closing line: "tests: N passed, N failed, N skipped" (both runners together).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash tools/prerequisites.sh || exit 1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# xunit: dotnet test also builds out/NftPS (the module the specs import) and restores Pester.
dotnet test "$@" 2>&1 | tee "$work/xunit.log"
xunit_status=${PIPESTATUS[0]}
summary=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+' "$work/xunit.log" || true)
if [[ -z $summary ]]; then
    echo "no xunit summary: the build or the test run failed" >&2
    echo "tests: 0 passed, 1 failed, 0 skipped"
    exit 1
fi
sum() { sed -E "s/.*$1: +([0-9]+),.*/\\1/" <<<"$summary" | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
(( xunit_status == 0 )) || (( failed > 0 )) || failed=$((failed + 1))

# Pester, under the tool manifest's pwsh.
dotnet pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-PesterSpecs.ps1 -ResultPath "$work/pester.json" 2>&1 | tee "$work/pester.log"
if [[ -s $work/pester.json ]]; then
    p_passed=$(grep -oE '"passed": *[0-9]+' "$work/pester.json" | grep -oE '[0-9]+$')
    p_failed=$(grep -oE '"failed": *[0-9]+' "$work/pester.json" | grep -oE '[0-9]+$')
    p_skipped=$(grep -oE '"skipped": *[0-9]+' "$work/pester.json" | grep -oE '[0-9]+$')
else
    echo "Pester did not run to the end" >&2
    p_passed=0; p_failed=1; p_skipped=0
fi

passed=$((passed + p_passed)); failed=$((failed + p_failed)); skipped=$((skipped + p_skipped))
echo "xunit and Pester together:"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if (( passed == 0 )); then echo "no test ran" >&2; exit 1; fi
(( failed == 0 ))
