#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# dplb started from a keepalived.conf as is, on a box set up the way a
# keepalived LVS-NAT director is: the LB's kernel interface holds the box's
# addresses (198.18.1.1/24 towards clients, 198.18.2.1/24 towards the real
# servers) and answers ARP for them.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.2.11/24 ──┤ br0   (rs1, rs2: default gateway 198.18.2.1)
#   rs2    198.18.2.12/24 ──┤
#   lb     kernel interface with 198.18.1.1/24 + 198.18.2.1/24, then dplb -k
#
# Checks: dplb takes the interface (af_packet) and its addresses (the kernel
# holds none while dplb runs, so nothing answers twice), `ipvsadm -L -n`
# shows the table the file describes, the checkers run, curl through the VIP
# reaches both nginx real servers, and on exit the kernel interface has its
# addresses back.
#
# usage: test/lab/test_keepalived_conf.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

lab_add_nat_hosts 198.18.2.1 || lab_finish
LB_IF=${LAB_IF[lb]}
# the director before dplb: addresses on the kernel interface, ARP on
ip -n "${LAB_NS[lb]}" link set dev "$LB_IF" arp on
lab_in lb sysctl -qw "net.ipv4.conf.$LB_IF.arp_ignore=0"
ip -n "${LAB_NS[lb]}" addr add 198.18.1.1/24 dev "$LB_IF"
ip -n "${LAB_NS[lb]}" addr add 198.18.2.1/24 dev "$LB_IF"
kernel_addrs() { lab_in lb ip -4 -o addr show dev "$LB_IF" | awk '{ print $4 }' | sort | xargs; }
lab_check_eq "before dplb: the kernel interface holds the box's addresses" \
	"198.18.1.1/24 198.18.2.1/24" "$(kernel_addrs)"

CONF=$LAB_TMP/keepalived.conf
cat >"$CONF" <<'KEOF'
! Configuration File for keepalived (an LVS-NAT director, as in the tutorials)
global_defs {
   notification_email {
     admin@example.com
   }
   router_id LVS_LAB
}

virtual_server 198.18.1.100 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    persistence_timeout 0
    protocol TCP

    real_server 198.18.2.11 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            connect_port 80
        }
    }
    real_server 198.18.2.12 80 {
        weight 2
        HTTP_GET {
            url {
              path /
            }
            connect_timeout 1
            nb_get_retry 1
            delay_before_retry 1
        }
    }
}
KEOF

lab_dplb_start_k main "${LAB_NS[lb]}" "$CONF" || lab_finish
lab_check_eq "while dplb runs: the kernel interface holds no IPv4 address" "" "$(kernel_addrs)"
lab_check_grep "the log says which addresses dplb took" \
	"took 198\.18\.2\.1/24 from kernel interface $LB_IF" "$(cat "${DPLB_LOG[main]}")"

LIST=$(lab_dplbctl ipvsadm -L -n)
echo "$LIST"
lab_check_grep "ipvsadm -L -n: the virtual_server, wrr" "^TCP  198\.18\.1\.100:80 wrr$" "$LIST"
lab_check_grep "ipvsadm -L -n: rs1 Masq weight 1" "^  -> 198\.18\.2\.11:80 +Masq +1 " "$LIST"
lab_check_grep "ipvsadm -L -n: rs2 Masq weight 2" "^  -> 198\.18\.2\.12:80 +Masq +2 " "$LIST"
lab_check_eq "ipvsadm -L -n: exactly one service with two real servers" 3 \
	"$(grep -cE '^(TCP|UDP)  |^  -> [0-9]' <<<"$LIST")"

lab_dplb_wait_neigh 198.18.2.11 198.18.2.12
lab_check "show health: both checkers pass" lab_wait_until 5 eval \
	"[ \$(lab_dplbctl show health | grep -cE '(TCP_CHECK|HTTP_GET) .* UP ') -eq 2 ]"
lab_requests client 9 http://198.18.1.100/
lab_check_eq "curl through the VIP: wrr 1:2 over rs1 and rs2, none failed" "3 6 0" \
	"${LAB_SEEN[rs1]:-0} ${LAB_SEEN[rs2]:-0} $LAB_FAILS"
PING=$(lab_in client ping -n -c 3 -i 0.2 -W 2 198.18.1.1 2>&1)
lab_check "the box's address answers ping (through dplb)" grep -q " 0% packet loss" <<<"$PING"
lab_check "... exactly once per request (the kernel does not answer too)" \
	test "$(grep -c 'DUP!' <<<"$PING")" -eq 0

lab_dplb_stop main
lab_check_eq "after dplb: the kernel interface has its addresses back" \
	"198.18.1.1/24 198.18.2.1/24" "$(kernel_addrs)"
lab_finish
