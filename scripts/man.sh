#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Render every man page of man/ (hand-written roff: the single source that
# meson installs) to OUTDIR/PAGE.txt with man -l, and fail on any warning
# groff gives (a macro it does not know, a line it cannot break, ...).
# `make man` runs it; test/lab/test_packaging.sh too.
#
# usage: scripts/man.sh OUTDIR
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: scripts/man.sh OUTDIR}
mkdir -p "$OUT"
rc=0
for page in "$HERE"/man/*.[1-8]; do
	name=$(basename "$page")
	if ! warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -E UTF-8 -l "$page" 2>&1 \
			>"$OUT/$name.txt"); then
		echo "man: $name: man -l failed: $warn" >&2
		rc=1
	elif [ -n "$warn" ]; then
		echo "man: $name: $warn" >&2
		rc=1
	elif [ ! -s "$OUT/$name.txt" ]; then
		echo "man: $name: renders to nothing" >&2
		rc=1
	else
		echo "man: $name -> $OUT/$name.txt ($(wc -l <"$OUT/$name.txt") lines)"
	fi
done
exit $rc
