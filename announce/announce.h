/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_ANNOUNCE_H
#define LB_ANNOUNCE_H

/*
 * VIP announcement through a routing daemon (BIRD 2, FRR) that runs in the
 * box's kernel and peers (BGP) with the ECMP router through the exception
 * path. Every announce.interval the control lcore judges each VIP
 * (announce_priv.h: quorum of its services, VRRP MASTER if configured);
 * when the set changes it rewrites announce.file atomically and asks the
 * daemon to reload ("configure" on BIRD's control socket, or
 * announce.command), without blocking: the socket is non-blocking, the
 * command a child process, both bounded by announce.timeout. A failed
 * reload is retried every second.
 *
 * Shutdown: on SIGTERM/SIGINT (lb_announce_stop_requested) the VIPs are
 * withdrawn first while the workers keep forwarding; once the daemon has
 * answered (or timed out), announce.shutdown_delay later, lb_force_quit
 * stops dplb. A second signal stops it at once.
 *
 * Control lcore only, but for the two flags the signal handler sets.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

/* True while announce is on: the signal handler asks it to withdraw first. */
extern volatile bool lb_announce_active;

/* Set by the signal handler: withdraw, then stop dplb. */
extern volatile bool lb_announce_stop_requested;

/*
 * Module init (after services, VRRP and health): with cfg->announce.on,
 * write an empty fragment (nothing is announced before the first
 * judgement) and keep cfg to judge from (the running config, which must
 * outlive the module). Returns 0, or -errno when the fragment cannot be
 * written (logged with the path).
 */
int lb_announce_init(const struct lb_config *cfg);

/*
 * Judge the VIPs when due, rewrite and reload on change, move a reload in
 * progress on, and run the shutdown sequence. now_us is monotonic. Never
 * blocks. Returns how much work it did (0: idle).
 */
unsigned int lb_announce_poll(uint64_t now_us);

/*
 * Module term: when the VIPs were not withdrawn yet (dplb stopped some
 * other way), withdraw them now, waiting for the daemon at most
 * announce.timeout. Then forget everything.
 */
void lb_announce_term(void);

/* `show announce`: settings, each VIP with its verdict, the daemon's last answer. */
void lb_announce_show(FILE *out);

#endif
