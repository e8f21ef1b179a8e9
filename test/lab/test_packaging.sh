#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Packaging: the man pages render with `man -l` and no groff warning
# (scripts/man.sh, as `make man`) and document what the binaries accept;
# `meson install` into a DESTDIR puts the binaries, pages, systemd units and
# the hugepage script in place; `systemd-analyze verify` accepts both units
# (paths pointed into the DESTDIR), or the check is skipped with why when
# systemd-analyze cannot run here. No namespaces, no traffic.
#
# usage: test/lab/test_packaging.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

OUT=$(bash "$LAB_REPO/scripts/man.sh" "$LAB_TMP/man" 2>&1)
lab_check_eq "every man page renders with man -l, no groff warning" 0 "$?"
echo "$OUT"
M=$LAB_TMP/man
for p in dplb.8 dplbctl.8 dplb.conf.5; do
	lab_check_grep "$p: has NAME and SYNOPSIS/DESCRIPTION" "^DESCRIPTION" "$(cat "$M/$p.txt")"
done
# every long option of dplb --help is in dplb(8)
missing=""
for o in $("$DPLB" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	grep -qF -- "$o" "$M/dplb.8.txt" || missing+=" $o"
done
lab_check_eq "dplb(8) documents every option of dplb --help" "" "$missing"
for w in SIGHUP /dplb/services /dplb/workers dpdk_telemetry.v2 dpdk-dumpcap /metrics; do
	lab_check_grep "dplb(8) documents $w" "$w" "$(cat "$M/dplb.8.txt")"
done
for w in 'metrics = \{ listen' dplb_worker_drops_total 'file_prefix' 'virtual_servers'; do
	lab_check_grep "dplb.conf(5) documents $w" "$w" "$(tr -s ' \n' ' ' <"$M/dplb.conf.5.txt")"
done
lab_check_grep "dplb --log-target with another word is refused with the choices" \
	"--log-target 'journal': give stderr, syslog or both" \
	"$("$DPLB" --log-target journal -f /dev/null 2>&1)"
lab_check_grep "dplbctl(8) documents DPLB_PASSWORD" DPLB_PASSWORD "$(cat "$M/dplbctl.8.txt")"

# meson install into a DESTDIR
ROOT=$LAB_TMP/root
OUT=$(meson install -C "$LAB_BUILD" --no-rebuild --destdir "$ROOT" 2>&1)
lab_check_eq "meson install --destdir succeeds" 0 "$?"
prefix=$(meson introspect "$LAB_BUILD" --buildoptions | "$LAB_PY" -c \
	'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
for f in bin/dplb bin/dplbctl share/man/man8/dplb.8 share/man/man8/dplbctl.8 \
	 share/man/man5/dplb.conf.5 libexec/dplb/hugepages.sh; do
	lab_check "installed: $prefix/$f" test -s "$ROOT$prefix/$f"
done
UNITS=$(find "$ROOT" -name 'dplb*.service' | sort)
lab_check_eq "installed: dplb.service and dplb-hugepages.service" \
	"dplb-hugepages.service dplb.service" "$(xargs -rn1 basename <<<"$UNITS" | xargs)"
UNIT=$(grep '/dplb.service$' <<<"$UNITS")
lab_check_grep "dplb.service: reload is SIGHUP" '^ExecReload=/bin/kill -HUP \$MAINPID$' "$(cat "$UNIT")"
lab_check_grep "dplb.service: needs dplb-hugepages.service" '^Requires=dplb-hugepages.service$' "$(cat "$UNIT")"
lab_check_grep "dplb.service: validates the config before starting" \
	"^ExecStartPre=$prefix/bin/dplb --config-test" "$(cat "$UNIT")"

# systemd-analyze verify, with the units' paths pointed into the DESTDIR
# and the pages on MANPATH (it checks Documentation=man:... too)
V=$LAB_TMP/verify
mkdir -p "$V"
for u in $UNITS; do
	sed "s|$prefix/|$ROOT$prefix/|g" "$u" >"$V/$(basename "$u")"
done
printf '[Unit]\nDescription=probe\n[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$V/probe.service"
if ! command -v systemd-analyze >/dev/null; then
	lab_skip "systemd-analyze verify accepts the units" "systemd-analyze is not installed (package systemd)"
elif ! why=$(cd "$V" && systemd-analyze verify ./probe.service 2>&1); then
	lab_skip "systemd-analyze verify accepts the units" \
		"systemd-analyze cannot run in this container: $(head -n 1 <<<"$why")"
else
	OUT=$(cd "$V" && MANPATH=$ROOT$prefix/share/man systemd-analyze verify \
		./dplb.service ./dplb-hugepages.service 2>&1)
	rc=$?
	lab_check_eq "systemd-analyze verify accepts dplb.service and dplb-hugepages.service" \
		"0 " "$rc $OUT"
	printf '[Service]\nExecStart=/nonexistent/dplb\nNoSuchKey=1\n' >"$V/broken.service"
	OUT=$(cd "$V" && systemd-analyze verify ./broken.service 2>&1)
	lab_check_grep "... and would refuse a broken unit (the check bites)" "NoSuchKey|not executable" "$OUT"
fi
lab_finish
