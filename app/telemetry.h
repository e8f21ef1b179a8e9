/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_TELEMETRY_H
#define LB_TELEMETRY_H

/*
 * dplb's DPDK telemetry endpoints, next to DPDK's own (/ethdev/stats, ...)
 * on the socket EAL opens at RUNTIME_DIR/dpdk_telemetry.v2 (as root
 * /var/run/dpdk/FILE_PREFIX/dpdk_telemetry.v2; `dpdk-telemetry.py -f
 * FILE_PREFIX` finds it):
 *   /dplb/services[,PARAM]      services: counters and rates
 *   /dplb/realservers[,PARAM]   real servers (of one service)
 *   /dplb/vrrp                  VRRP instances: state, priority, counters
 *   /dplb/health[,PARAM]        checkers: state, counts, last latency
 *   /dplb/workers               lcores: packets, busy cycles, drops
 * PARAM: [TCP:|UDP:]VIP:PORT (that service's), SKIP (pass over that many
 * entries), or both: "TCP:198.18.1.100:80,32".
 * The callbacks run on EAL's telemetry thread and read only the
 * observability snapshot (app/obs.h) the control lcore publishes once a
 * second. Each reply is a dict: "snapshot" (its sequence number), a count,
 * and one entry per object under a plain key (svc0, rs3, check1, worker0,
 * control, the VRRP instance's name with other bytes than A-Z a-z 0-9 _ /
 * as '_': DPDK's rule for keys) holding its name ("service", "server",
 * "name") and values. A reply is at most 16 KB (DPDK's limit): past 32
 * entries it is cut short with "truncated": 1 and "next": the SKIP for
 * the rest.
 */

#include "config/config.h"

/*
 * Register the endpoints and log where the telemetry socket is. Control
 * lcore, after EAL init. Returns 0 or -errno.
 */
int lb_telemetry_init(const struct lb_config *cfg);

/* Drop the snapshots; endpoints then answer "starting". Control lcore. */
void lb_telemetry_term(void);

#endif
