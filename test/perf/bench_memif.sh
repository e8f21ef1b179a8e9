#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# memif lab benchmark in the testpmd tradition: dplb against a plain
# dpdk-testpmd `io` and `macswap` forwarder, over the same memif pair, in
# the same run. Prints Mpps, dplb's ratio to each baseline, and each
# forwarder's busy cycles per packet. Never fails on timing; exits 2 when
# something could not run, else 0.
#
# Topology (one namespace "$LAB_ID-perf", one memif socket in it):
#
#   testpmd "refl" (memif client)  <== memif ==>  DUT (memif server)
#   5tswap: swaps MACs, IPs, ports                io | macswap | dplb
#
# The loop is closed: the reflector seeds it with `start tx_first N`
# (N bursts of 32 64-byte UDP frames, --txonly-multi-flow: 256 clients
# 198.18.X.101:1024 -> VIP 198.18.0.100:5001), then 5tswaps every frame
# it gets back, so the N x 32 frames go round and round. dplb serves the
# VIP as a UDP NAT service with 4 real servers 198.19.0.10-13: a client's
# frame becomes client -> RS, the reflector turns it into the RS's reply
# RS -> client, dplb NATs that back to VIP -> client, and so on; dplb sees
# half requests, half replies of 256 established UDP connections.
# testpmd io / macswap just send each frame back. dplb's next hops (real
# servers, gateway 198.19.0.254) are the reflector's MAC: it runs
# `icmpecho` (answers any ARP request) until dplb has resolved them.
#
# CPUs: the DUT's forwarding lcore alone on the last CPU; the reflector's
# forwarding lcore on the one before; every main/control lcore (testpmd's
# prompt, dplb's control lcore, which wakes every 200 us) on the one before
# that, which on a 2-CPU box is the reflector's. Mpps is what the
# reflector receives (testpmd's Rx-pps over the window); the loop runs at
# the pace of its slower side, so the busy % columns (busy cycles x rate /
# TSC Hz) say which side that was.
#
# usage: test/perf/bench_memif.sh [BUILD]         (root)
#   BENCH_MEMIF_ROUNDS=2    rounds; each runs io, macswap and dplb once
#   BENCH_MEMIF_SECONDS=5   measured window per run (after 2 s warm-up)
#   BENCH_MEMIF_BURSTS=16   bursts of 32 frames in flight
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "bench_memif: needs root (network namespace, hugepages)" >&2
	exit 2
fi
if ! command -v dpdk-testpmd >/dev/null; then
	echo "bench_memif: dpdk-testpmd not found (Debian package dpdk)" >&2
	exit 2
fi
# shellcheck source=test/lab/lib.sh
. "$HERE/../lab/lib.sh"
# shellcheck source=test/perf/lib_testpmd.sh
. "$HERE/lib_testpmd.sh"
trap '' PIPE	# a testpmd that died: writing to its FIFO fails, does not kill us

ROUNDS=${BENCH_MEMIF_ROUNDS:-2}
SECS=${BENCH_MEMIF_SECONDS:-5}
BURSTS=${BENCH_MEMIF_BURSTS:-16}
WARM=2
VIP=198.18.0.100 VPORT=5001
REFL_MAC=02:be:00:00:00:01 DUT_MAC=02:be:00:00:00:02
NCPU=$(nproc)
DUT_CPU=$((NCPU - 1))
REFL_CPU=$((NCPU > 1 ? NCPU - 2 : 0))
MAIN_CPU=$((NCPU > 2 ? NCPU - 3 : REFL_CPU))
RUN=0		# memif socket per run
COULD_NOT=0	# runs that could not be measured

bench_finish() {
	lab_cleanup
	LAB_FINISHED=1
	exit "$1"
}

lab_init "${1:-}" >/dev/null || exit 2
if [ "$NCPU" -lt 2 ]; then
	echo "bench_memif: needs 2 CPUs (the DUT's and the reflector's); this box has 1" >&2
	bench_finish 2
fi
lab_netns perf || bench_finish 2
NS=${LAB_NS[perf]}

# Hugepages for every process of the run, or for none (dplb's auto could
# differ from testpmd's otherwise): about 300 MB are needed at a time.
if [ "$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)" -ge 200 ] &&
	[ "$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)" -eq 2048 ]; then
	TP_MEM="-m 128" LAB_HUGEPAGES=yes MEMNOTE="hugepages (2 MB)"
else
	TP_MEM="--no-huge -m 256" LAB_HUGEPAGES=no MEMNOTE="--no-huge (4 KB pages)"
fi

refl_vdev() { echo "net_memif0,role=client,socket=$1,rsize=11,mac=$REFL_MAC"; }
dut_vdev() { echo "net_memif0,role=server,socket=$1,rsize=11,mac=$DUT_MAC"; }

# refl_start SOCK MODE: the reflector, forwarding in MODE, seeds ready.
refl_start() {
	tp_start refl "$NS" "0@$MAIN_CPU,1@$REFL_CPU" "$(refl_vdev "$1")" \
		--forward-mode="$2" --port-topology=loop --record-core-cycles --burst=32 \
		--eth-peer="0,$DUT_MAC" --tx-ip="$VIP,$VIP" --tx-udp="1024,$VPORT" \
		--txonly-multi-flow
}

refl_link_up() {
	tp_ask refl "show port info 0" "Link status" 3 | grep -q "Link status: *up"
}

# measure DUT: warm up, then the window. Sets MPPS, REFL_CPP, TSC_MHZ and,
# for a testpmd DUT, DUT_CPP; for dplb, S0/S1 (`show stats` around it).
measure() {
	local out
	sleep "$WARM"
	[ "$1" = dplb ] && S0=$(lab_dplbctl show stats)
	[ "$1" = dplb ] || tp_ask dut "clear fwd stats all" "" 3 >/dev/null
	tp_ask refl "clear fwd stats all" "" 3 >/dev/null
	tp_ask refl "show port stats 0" "Tx-pps" 5 >/dev/null
	sleep "$SECS"
	out=$(tp_ask refl "show port stats 0" "Tx-pps" 5)
	[ "$1" = dplb ] && S1=$(lab_dplbctl show stats)
	MPPS=$(tp_value "$out" "Rx-pps:")
	MPPS=$(awk -v p="${MPPS:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')
	out=$(tp_ask refl "show fwd stats all" "CPU cycles/packet" 3)
	REFL_CPP=$(tp_value "$out" "CPU cycles/packet=")
	TSC_MHZ=$(grep -Eo 'at [0-9]+ MHz' <<<"$out" | grep -Eo '[0-9]+')
	if [ "$1" != dplb ]; then
		out=$(tp_ask dut "show fwd stats all" "CPU cycles/packet" 3)
		DUT_CPP=$(tp_value "$out" "CPU cycles/packet=")
	fi
}

# run_testpmd MODE: testpmd MODE in dplb's place.
run_testpmd() {
	local sock=$LAB_TMP/memif-$((++RUN)).sock
	MPPS=0 DUT_CPP="" REFL_CPP="" NOTE=""
	if ! tp_start dut "$NS" "0@$MAIN_CPU,1@$DUT_CPU" "$(dut_vdev "$sock")" \
		--forward-mode="$1" --port-topology=loop --record-core-cycles --burst=32 ||
	   ! tp_ask dut start "" 3 >/dev/null || ! refl_start "$sock" 5tswap ||
	   ! lab_wait_until 10 refl_link_up; then
		NOTE="could not start (logs: $LAB_TMP)"
	else
		tp_ask refl "start tx_first $BURSTS" "" 3 >/dev/null
		measure testpmd
	fi
	tp_stop refl
	tp_stop dut
}

# The NAT service's dplb config (see the header).
dplb_body() {
	local rs="" i
	for i in 10 11 12 13; do
		rs+="${rs:+,}
		{ address = \"198.19.0.$i\"; port = $VPORT; forward = \"nat\"; }"
	done
	# decrement_ttl = false: the reflector sends every frame back, so a
	# forwarder taking one off the TTL would age the loop out in 64 passes
	cat <<EOF
neigh_timeout = 3600;
decrement_ttl = false;
connections = { max = 65536; };
interfaces = ( { name = "p0"; device = "$(dut_vdev "$1")";
	addresses = [ "198.19.0.1/24" ]; gateway = "198.19.0.254"; exception = false; } );
virtual_servers = ( { protocol = "udp"; address = "$VIP"; port = $VPORT; scheduler = "wlc";
	real_servers = ( $rs ); } );
EOF
}

# worker_field STATS FIELD: FIELD of `show stats`' "worker 0" line.
worker_field() {
	awk -v f="$2" '/^worker 0 / { for (i = 1; i < NF; i++) if ($i == f) { v = $(i + 1) } }
		END { gsub(/,/, "", v); print v + 0 }' <<<"$1"
}

# run_dplb: dplb as the DUT.
run_dplb() {
	local sock=$LAB_TMP/memif-$((++RUN)).sock r0 r1 c0 c1 n
	MPPS=0 DUT_CPP="" REFL_CPP="" NOTE=""
	if ! LAB_TRY=1 lab_dplb_start bench "$NS" "$(dplb_body "$sock")" \
		--lcores "0@$MAIN_CPU,1@$DUT_CPU" >/dev/null; then
		NOTE="dplb could not start: $(grep -v '^EAL:' "${DPLB_LOG[bench]}" | tail -n 2)"
		return
	fi
	if ! refl_start "$sock" icmpecho || ! tp_ask refl start "" 3 >/dev/null ||
	   ! lab_wait_until 10 refl_link_up; then
		NOTE="reflector could not connect (logs: $LAB_TMP)"
	elif ! lab_dplb_wait_neigh 198.19.0.10 198.19.0.11 198.19.0.12 198.19.0.13 \
			198.19.0.254; then
		NOTE="dplb did not resolve its next hops: $(lab_dplbctl show neigh | tr '\n' ' ')"
	else
		tp_ask refl stop "" 3 >/dev/null
		tp_ask refl "set fwd 5tswap" "" 3 >/dev/null
		tp_ask refl "start tx_first $BURSTS" "" 3 >/dev/null
		measure dplb
		r0=$(worker_field "$S0" rx_packets) r1=$(worker_field "$S1" rx_packets)
		c0=$(worker_field "$S0" busy_cycles_per_packet)
		c1=$(worker_field "$S1" busy_cycles_per_packet)
		# busy cycles = cyc/pkt x packets, each cyc/pkt truncated: +-2 cycles
		[ "$r1" -gt "$r0" ] && DUT_CPP=$(awk -v r0="$r0" -v r1="$r1" -v c0="$c0" \
			-v c1="$c1" 'BEGIN { printf "%.0f", (c1 * r1 - c0 * r0) / (r1 - r0) }')
		n=$(lab_dplbctl ipvsadm -L -n -c | grep -c '^UDP')
		NOTE="$n connections; drops in window: $(($(worker_field "$S1" drops) - \
			$(worker_field "$S0" drops)))"
	fi
	# dplb first: when the reflector leaves, DPDK 22.11's memif PMD unmaps
	# the rings on its interrupt thread while the worker may be in
	# rx/tx_burst on them (a segfault inside librte_net_memif, seen 4 times
	# in 20 runs). A memif peer must not vanish under a polling DUT.
	lab_dplb_stop bench >/dev/null
	tp_stop refl
}

# busy MPPS CPP MHZ: percent of a CPU that CPP cycles per packet take at MPPS.
busy() {
	awk -v m="$1" -v c="$2" -v h="$3" \
		'BEGIN { if (c == "" || h == "") print "-"; else printf "%.0f", m * c / h * 100 }'
}

declare -A MP=()	# "round kind" -> Mpps
row() {	# KIND ROUND
	local k=$1
	MP["$2 $k"]=$MPPS
	[ "$MPPS" = 0.000 ] && [ -z "$NOTE" ] && NOTE="nothing came back"
	[ "$MPPS" = 0.000 ] && COULD_NOT=$((COULD_NOT + 1))
	printf "%-16s %5s %7s %8s %9s %8s %9s  %s\n" "$k" "$2" "$MPPS" "${DUT_CPP:--}" \
		"$(busy "$MPPS" "$DUT_CPP" "${TSC_MHZ:-}")" "${REFL_CPP:--}" \
		"$(busy "$MPPS" "$REFL_CPP" "${TSC_MHZ:-}")" "$NOTE"
}

echo "memif benchmark: DUT forwarding lcore on CPU $DUT_CPU, reflector (testpmd 5tswap) on" \
	"CPU $REFL_CPU, main/control lcores on CPU $MAIN_CPU"
echo "  $BURSTS x 32 frames of 64 bytes in flight, ${WARM} s warm-up, ${SECS} s window," \
	"$ROUNDS round(s); memory: $MEMNOTE"
echo "  DUT cyc/pkt: testpmd --record-core-cycles (rx_burst + forward + tx_burst, non-empty" \
	"polls); dplb: busy cycles of its worker (forward + tx, non-empty polls, no rx_burst)"
echo "  busy %: cyc/pkt x Mpps / TSC: the side near 100 % set the pace"
echo
printf "%-16s %5s %7s %8s %9s %8s %9s  %s\n" forwarder round Mpps "DUT c/p" "DUT busy%" \
	"refl c/p" "refl bsy%" notes
for ((r = 1; r <= ROUNDS; r++)); do
	run_testpmd io;      row "testpmd io" "$r"
	run_testpmd macswap; row "testpmd macswap" "$r"
	run_dplb;            row "dplb NAT (UDP)" "$r"
done

# Ratios per round (same run, same box), then their median and range.
echo
printf "%-26s %s\n" "dplb NAT / baseline" "per round (median, min-max)"
for base in "testpmd io" "testpmd macswap"; do
	list=""
	for ((r = 1; r <= ROUNDS; r++)); do
		list+=" $(awk -v d="${MP["$r dplb NAT (UDP)"]}" -v b="${MP["$r $base"]}" \
			'BEGIN { if (b > 0) printf "%.2f", d / b; else print "-" }')"
	done
	printf "%-26s%s  (%s)\n" "  vs $base" "$list" "$(tr ' ' '\n' <<<"$list" | grep -v -- - |
		sort -n | awk 'NF { v[n++] = $1 } END { if (n) printf "median %.2f, %.2f-%.2f",
			n % 2 ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1];
			else print "none" }')"
done
[ "$COULD_NOT" -gt 0 ] && bench_finish 2
bench_finish 0
