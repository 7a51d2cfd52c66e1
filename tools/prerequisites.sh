#!/usr/bin/env bash
# Installs what building, the demo and the tests need on a fresh Debian machine, when it is missing:
# nft (the oracle the tests compare with), ip (private network namespaces), setpriv (tests that drop capabilities),
# gcc with libc's and zlib's headers (NativeAOT links the native nftps with them),
# and the tools from the local tool manifest (pwsh 7.6.10). Needs root only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

missing=()
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# Real components the tests run against: iptables-nft/ebtables-nft write compat rules as Docker and fail2ban do,
# ulogd2 reads NFLOG, promtool checks the metrics format, ansible-core runs the Ansible module.
command -v iptables-nft >/dev/null 2>&1 || missing+=(iptables)
command -v ebtables-nft >/dev/null 2>&1 || missing+=(ebtables)
command -v ulogd >/dev/null 2>&1 || missing+=(ulogd2)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible-core)
# The native nftps command is linked by NativeAOT with the C toolchain: gcc (or clang), libc's headers and zlib's.
command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 || missing+=(gcc)
[[ -e /usr/include/stdio.h ]] || missing+=(libc6-dev)
[[ -e /usr/include/zlib.h ]] || missing+=(zlib1g-dev)
if (( ${#missing[@]} )); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "prerequisites: missing ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "prerequisites: installing ${missing[*]}"
    apt-get update -qq
    # Packages like prometheus and ulogd2 start their daemon on install; the tests start their own, inside private
    # namespaces, so no service may start on the host (policy-rc.d 101 = "not allowed"), and none is enabled after.
    policy=/usr/sbin/policy-rc.d
    had_policy=0; [[ -e $policy ]] && had_policy=1
    (( had_policy )) || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    (( had_policy )) || rm -f "$policy"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
