#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `config save`: runtime edits made with ipvsadm through dplbctl go back
# into the commented file dplb runs from, and only the edited lines change.
#
#   client 198.18.1.10/24, dplb 198.18.1.1/24 + 198.18.2.1/24 (no traffic:
#   the table is what is checked)
#
# Checks: -E, -e, -d, -a, -A, -D, --set, real-server drain and vrrp
# set-priority, then `config save`: a real server only its health check
# holds out stays in the file; the diff against the file before touches only the lines of
# those entries, every other comment is still there, the file keeps its
# mode; dplb started again from the saved file lists the same `ipvsadm -L
# -n` and timeouts; `config save FILE` writes elsewhere; a dplb started
# with -k (keepalived.conf) refuses to save.
#
# usage: test/lab/test_config_save.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_lb lb || lab_finish
lab_dplb_start main "${LAB_NS[lb]}" "
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
connections = {
	tcp_timeout = 900;	# LVS's default
};

# --- services (edited at runtime, then saved) ---
virtual_servers = (
	# the web farm
	{
		protocol = \"tcp\"; address = \"$VIP\"; port = 80;
		scheduler = \"wlc\";	# weighted least-connection
		real_servers = (
			{ address = \"198.18.2.11\"; port = 80; weight = 1; },	# web1
			{ address = \"198.18.2.12\"; port = 80; weight = 1; },	# web2
			{ address = \"198.18.2.13\"; port = 80; weight = 1; },	# web3, retired below
			# web5 has no host: its check fails, it is out of the pool but stays in the file
			{ address = \"198.18.2.15\"; port = 80; delay_loop = 1; connect_timeout = 1;
			  retry = 0; checkers = ( { type = \"TCP_CHECK\"; } ); }
		);
	},
	# dns, removed below
	{ protocol = \"udp\"; address = \"$VIP\"; port = 53; scheduler = \"rr\";
	  real_servers = ( { address = \"198.18.2.21\"; port = 53; } ); }
);
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51;
	priority = 100;		# set at runtime below
	virtual_ipaddress = [ \"$VIP\" ];
} );
# end of file" || lab_finish
CONF=$LAB_TMP/dplb-main.conf
chmod 640 "$CONF"
cp -p "$CONF" "$LAB_TMP/before.conf"

listed() { lab_dplbctl ipvsadm -L -n | grep -Eq "^  -> $1:80 "; }
not_listed() { ! listed "$@"; }
lab_check "web5's check fails: it leaves the pool" lab_wait_until 10 not_listed 198.18.2.15
IPVSADM=lab_dplbctl
lab_check "ipvsadm -E: scheduler rr" $IPVSADM -E -t $VIP:80 -s rr
lab_check "ipvsadm -e: web2 weight 3" $IPVSADM -e -t $VIP:80 -r 198.18.2.12:80 -m -w 3
lab_check "ipvsadm -d: web3" $IPVSADM -d -t $VIP:80 -r 198.18.2.13:80
lab_check "ipvsadm -a: web4" $IPVSADM -a -t $VIP:80 -r 198.18.2.14:80 -m -w 2
lab_check "ipvsadm -A: :443 sh, persistent" $IPVSADM -A -t $VIP:443 -s sh -p 600
lab_check "ipvsadm -a: :443 web1" $IPVSADM -a -t $VIP:443 -r 198.18.2.11:443 -m
lab_check "ipvsadm -D: the dns service" $IPVSADM -D -u $VIP:53
lab_check "ipvsadm --set 7200 0 60" $IPVSADM --set 7200 0 60
lab_check "real-server drain web1" lab_dplbctl real-server drain $VIP:80 198.18.2.11:80
lab_check "vrrp set-priority VI_1 80" lab_dplbctl vrrp set-priority VI_1 80
LIST=$($IPVSADM -L -n)
TIMEOUTS=$($IPVSADM -L --timeout)
echo "$LIST"

OUT=$(lab_dplbctl config save 2>&1)
echo "$OUT"
lab_check_grep "config save: the file is written" "config save: .*dplb-main\.conf written" "$OUT"
DIFF=$(diff "$LAB_TMP/before.conf" "$CONF")
echo "$DIFF"
lab_check_eq "the diff removes only the edited lines (scheduler, tcp_timeout, web1-3, web5's comma, dns, priority)" "" \
	"$(grep '^<' <<<"$DIFF" | grep -Ev 'scheduler = "wlc"|tcp_timeout = 900|web[123]|dns|port = 53|priority = 100|retry = 0; checkers' )"
lab_check_eq "... 10 lines changed or removed" 10 "$(grep -c '^<' <<<"$DIFF")"
lab_check_grep "VI_1's priority is saved as set, its comment kept" \
	"^> 	priority = 80;		# set at runtime below$" "$DIFF"
lab_check "web5, out by its health check only, is still in the file" \
	grep -q '{ address = "198.18.2.15"; port = 80; delay_loop = 1;' "$CONF"
lab_check_eq "every comment but those of web3 and dns is still there" "" \
	"$(grep -E '#' "$LAB_TMP/before.conf" | grep -Ev 'web3|dns' |
	   while IFS= read -r l; do grep -qF -- "#${l#*#}" "$CONF" || echo "lost: $l"; done)"
lab_check_eq "the file keeps its mode (640)" 640 "$(stat -c %a "$CONF")"
OUT=$(lab_dplbctl config save 2>&1)
lab_check_grep "a second save has nothing to write" "already holds the running configuration" "$OUT"
lab_check "config save FILE writes elsewhere" lab_dplbctl config save "$LAB_TMP/copy.conf"
lab_check "... the same text" cmp "$CONF" "$LAB_TMP/copy.conf"
OUT=$(lab_dplbctl config save copy.conf 2>&1); rc=$?
lab_check_eq "config save with a relative path is refused (exit 1)" "1" "$rc"
lab_check_grep "... naming it" "'copy.conf' is not an absolute path" "$OUT"
OUT=$(lab_dplbctl config save a b 2>&1); rc=$?
lab_check_eq "config save with two names is refused (exit 1)" "1" "$rc"
lab_check_grep "... saying so" "config save \[FILE\]" "$OUT"

lab_dplb_restart main || lab_finish
lab_check "restarted: web5 leaves the pool again" lab_wait_until 10 not_listed 198.18.2.15
lab_check "... VI_1 runs at priority 80" lab_wait_until 5 lab_vrrp_is VI_1 MASTER 80
lab_check_eq "restarted from the saved file: the same ipvsadm -L -n" "$LIST" "$($IPVSADM -L -n)"
lab_check_eq "... and the same timeouts" "$TIMEOUTS" "$($IPVSADM -L --timeout)"
# service disable is saved as enabled = false (one changed line), enable as true
cp "$CONF" "$LAB_TMP/before2.conf"
lab_check "service disable :443" lab_dplbctl service disable tcp $VIP:443
lab_check "config save" lab_dplbctl config save
lab_check_grep "the saved :443 service says enabled = false" "enabled = false;" "$(cat "$CONF")"
lab_check "service enable :443" lab_dplbctl service enable tcp $VIP:443
lab_check "config save" lab_dplbctl config save
lab_check_eq "... now enabled = true, the only difference from before the disable" "enabled = true;" \
	"$(diff "$LAB_TMP/before2.conf" "$CONF" | grep -o 'enabled = [a-z]*;' | paste -sd '|')"
lab_dplb_stop main

# started from a keepalived.conf: refused, nothing written
LB_IF=${LAB_IF[lb]}
ip -n "${LAB_NS[lb]}" addr add 198.18.1.1/24 dev "$LB_IF"
cat >"$LAB_TMP/keepalived.conf" <<EOF
virtual_server $VIP 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 198.18.1.11 80 {
        weight 1
    }
}
EOF
cp "$LAB_TMP/keepalived.conf" "$LAB_TMP/keepalived.before"
lab_dplb_start_k kconf "${LAB_NS[lb]}" "$LAB_TMP/keepalived.conf" || lab_finish
lab_dplbctl -e -t $VIP:80 -r 198.18.1.11:80 -m -w 5 >/dev/null
OUT=$(lab_dplbctl config save 2>&1); rc=$?
lab_check_eq "dplb -k: config save fails (exit 1)" 1 "$rc"
lab_check_grep "... saying only a native config can be saved" \
	"runs from a keepalived.conf .*only a native config \(-f\) can be saved" "$OUT"
lab_check "... and the keepalived.conf is untouched" \
	cmp "$LAB_TMP/keepalived.conf" "$LAB_TMP/keepalived.before"
lab_dplb_stop kconf
lab_finish
