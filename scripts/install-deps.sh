#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Install the Debian packages dplb needs to build and to run its tests and
# demo, but only those that are missing. Non-interactive; safe to re-run.
# `apt-get update` runs once, and only when something has to be installed.
# Works as root on a fresh Debian 12; as another user it uses sudo if present.
set -euo pipefail

# Build: compiler and C library headers (gcc only recommends libc6-dev, and
# we install without recommends), meson/ninja, DPDK, libconfig, OpenSSL, CUnit.
# Lab: nginx (real servers), curl/wrk (clients), keepalived (VRRP peer),
# tshark (wire checks), dpdk-testpmd (in dpdk-dev, memif peer), iproute2,
# ping, ethtool, procps (sysctl, nstat is in iproute2), psmisc (fuser),
# python3 (test/lab/frames.py: raw and malformed frames, pcap files), jq
# (telemetry JSON), prometheus (for promtool check metrics; on a box run by
# systemd its package starts a Prometheus server on :9090:
# `systemctl disable --now prometheus` when that is not wanted), bird2 (BIRD 2:
# the ECMP router and the directors' BGP speakers of test_ecmp.sh; on a box run
# by systemd its package starts a system bird on /etc/bird/bird.conf, which
# the lab never talks to: each lab BIRD has its own config, control socket and
# namespace; `systemctl disable --now bird` when that is not wanted; without
# systemd, policy-rc.d or invoke-rc.d keep it from starting).
# Benchmarks: valgrind (test/perf/instr_count.sh: callgrind's instruction
# counts, and valgrind/callgrind.h for bench_pipeline's marks).
PACKAGES=(
	gcc libc6-dev make pkg-config meson ninja-build
	libdpdk-dev dpdk dpdk-dev
	libconfig-dev libssl-dev libcunit1-dev
	nginx-light curl wrk keepalived tshark jq prometheus bird2
	iproute2 iputils-ping ethtool procps psmisc python3 openssl
	clang libclang-rt-14-dev valgrind
)

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: dpkg-query not found; this script is for Debian/Ubuntu" >&2
	exit 1
fi

# A package counts as present when dpkg says "install ok installed".
missing=()
for p in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	if [ "$status" != "install ok installed" ]; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all ${#PACKAGES[@]} packages already installed"
	exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	else
		echo "install-deps: not root and no sudo; install these by hand:" >&2
		echo "  ${missing[*]}" >&2
		exit 1
	fi
fi

echo "install-deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# wireshark-common asks whether non-root users may capture; answer "no"
# before tshark is installed so the install never prompts.
if command -v debconf-set-selections >/dev/null 2>&1; then
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		"${SUDO[@]}" debconf-set-selections
fi

"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends \
	-o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${missing[@]}"

# The nginx package starts a system nginx; the lab runs its own instances
# inside namespaces and does not touch the system one.
echo "install-deps: done"
