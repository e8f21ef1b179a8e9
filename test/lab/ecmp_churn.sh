#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# How many flows change director when one of N directors leaves an ECMP
# route, as the Linux router of test_ecmp.sh hashes them (hash-threshold,
# net.ipv4.fib_multipath_hash_policy=1: addresses, protocol, ports). A
# measurement for the README, not a test: in one namespace, a /32 route
# with N next hops; `ip route get` for FLOWS client ports before and after
# the last next hop is removed; prints the count per N.
#
# usage: test/lab/ecmp_churn.sh [BUILD]      (root; FLOWS=1000)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"
FLOWS=${FLOWS:-1000}
lab_netns churn || lab_finish
NS=${LAB_NS[churn]} IF=$(lab_ifname -c0) PEER=$(lab_ifname -c1)
ip -n "$NS" link add "$IF" type veth peer name "$PEER"
ip -n "$NS" link set "$IF" up
ip -n "$NS" link set "$PEER" up
ip -n "$NS" addr add 198.18.1.254/24 dev "$IF"
lab_in churn sysctl -qw net.ipv4.fib_multipath_hash_policy=1 net.ipv4.ip_forward=1
for i in $(seq 1 8); do ip -n "$NS" neigh add 198.18.1.$i lladdr 02:00:00:00:00:0$i dev "$IF"; done
hops() { local n; for n; do printf 'nexthop via 198.18.1.%s dev %s ' "$n" "$IF"; done; }
map() {	# the next hop of each client port
	lab_in churn bash -c "for p in \$(seq 10000 $((10000 + FLOWS - 1))); do
		ip route get 198.18.5.100 from 198.18.3.10 iif $PEER ipproto tcp sport \$p dport 80 |
			grep -o 'via [0-9.]*'; done"
}
for n in 2 3 4 8; do
	# shellcheck disable=SC2046
	ip -n "$NS" route replace 198.18.5.100/32 $(hops $(seq 1 $n))
	before=$(map)
	# shellcheck disable=SC2046
	ip -n "$NS" route replace 198.18.5.100/32 $(hops $(seq 1 $((n - 1))))
	after=$(map)
	moved=$(paste <(echo "$before") <(echo "$after") | awk '$2 != $4' | wc -l)
	on=$(grep -c "via 198.18.1.$n\$" <<<"$before")
	echo "FIGURE: N=$n directors, one leaves: $moved of $FLOWS flows change director ($on were on the one that left; 1/N = $((FLOWS / n)))"
	lab_check_ge "N=$n: at least the flows of the director that left move" "$on" "$moved"
done
lab_finish
