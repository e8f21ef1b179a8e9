#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Best-effort hugepage setup for dplb and its tests:
#   - mount hugetlbfs at /dev/hugepages when nothing is mounted there;
#   - when fewer than WANT (512) 2 MB pages are free, try to raise
#     vm.nr_hugepages to WANT (the kernel may give fewer: fragmentation).
# Prints exactly one line, "hugepages: N free" or
# "hugepages: unavailable, dplb will use --no-huge", and always exits 0:
# dplb's `hugepages = "auto"` falls back to --no-huge by itself.
WANT=${HUGEPAGES_WANT:-512}
MNT=/dev/hugepages
SYS=/sys/kernel/mm/hugepages/hugepages-2048kB

free_pages() {
	if [ -r "$SYS/free_hugepages" ]; then
		cat "$SYS/free_hugepages"
	else
		awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0
	fi
}

mounted() {
	awk -v m="$MNT" '$2 == m && $3 == "hugetlbfs" { found = 1 } END { exit !found }' \
		/proc/mounts 2>/dev/null
}

unavailable() {
	echo "hugepages: unavailable, dplb will use --no-huge"
	exit 0
}

# Not root: nothing can be changed, only reported.
if [ "$(id -u)" -ne 0 ]; then
	if mounted && [ "$(free_pages)" -gt 0 ]; then
		echo "hugepages: $(free_pages) free"
		exit 0
	fi
	unavailable
fi

if ! mounted; then
	mkdir -p "$MNT" 2>/dev/null || true
	mount -t hugetlbfs -o pagesize=2M nodev "$MNT" 2>/dev/null ||
		mount -t hugetlbfs nodev "$MNT" 2>/dev/null || true
fi
mounted || unavailable

free=$(free_pages)
if [ "${free:-0}" -lt "$WANT" ]; then
	# Raise the pool to WANT pages, never lower it; pages that dplb or
	# anything else holds stay theirs (we do not grow past WANT for them).
	total=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
	if [ "$total" -lt "$WANT" ]; then
		echo "$WANT" > "$SYS/nr_hugepages" 2>/dev/null ||
			echo "$WANT" > /proc/sys/vm/nr_hugepages 2>/dev/null || true
	fi
	free=$(free_pages)
fi

if [ "${free:-0}" -gt 0 ]; then
	echo "hugepages: $free free"
else
	unavailable
fi
exit 0
