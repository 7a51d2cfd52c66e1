#!/usr/bin/env bash
# Builds NftPS, creates a private network namespace, loads examples/sample-policy.nft into it with nft,
# and shows what NftPS reads back (examples/demo.ps1) in real pwsh 7.6.10 from the local tool manifest.
# Run as root (namespaces and nf_tables need it). The host's own ruleset is never read or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) -ne 0 ]]; then
    echo "demo.sh: run as root (network namespaces and nf_tables need CAP_SYS_ADMIN and CAP_NET_ADMIN)" >&2
    exit 1
fi
export PATH="$PATH:/usr/sbin:/sbin"
bash tools/prerequisites.sh

echo "Building NftPS (out/NftPS)..."
if ! log=$(dotnet build src/NftPS --nologo 2>&1); then echo "$log"; exit 1; fi

ns="nftps-demo-$$"
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
ip netns exec "$ns" nft -f examples/sample-policy.nft
# Some traffic, so counters have something to show.
ip -n "$ns" link set lo up
ip netns exec "$ns" nft add rule inet filter output tcp dport 9 counter reject
ip netns exec "$ns" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null || true

dotnet pwsh -NoProfile -NonInteractive -File examples/demo.ps1 -NetworkNamespace "$ns"
