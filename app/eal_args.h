/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_EAL_ARGS_H
#define LB_EAL_ARGS_H

#include <stdbool.h>

#include "config/config.h"

#define LB_EAL_MAX_ARGC (LB_MAX_EAL_ARGS * 2 + LB_MAX_IFACES * 2 + 32)
#define LB_NO_HUGE_DEFAULT_MB 512u

/*
 * Build EAL's argv from the config's EAL defaults followed by the
 * operator's args after `--` (uargc/uargv). An option the operator gives
 * (-l, -m, --file-prefix, --no-huge, -a, --no-pci, --log-level, ...)
 * replaces dplb's default for it. PCI interfaces are put on the allow list;
 * with none, PCI is not scanned. With hugepages "auto", --no-huge is used
 * when huge_ok is false. Strings in out[] point into cfg, uargv or a static
 * buffer valid until the next call. Pure; returns argc or -E2BIG.
 */
int lb_eal_args(const struct lb_config *cfg, const char *prog, int uargc,
		char **uargv, bool huge_ok, char **out, int max);

/*
 * Memory (MB) dplb needs for cfg: connection table, mbuf pools, slack.
 * Used to size -m under --no-huge and to decide hugepages "auto". Pure.
 */
unsigned int lb_eal_memory_need_mb(const struct lb_config *cfg);

/*
 * True when hugetlbfs is mounted and the free hugepages hold need_mb.
 * Reads /proc; any thread.
 */
bool lb_hugepages_available(unsigned int need_mb);

#endif
