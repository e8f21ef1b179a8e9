/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_TRACK_H
#define LB_VRRP_TRACK_H

/*
 * vrrp_scripts run on the control lcore, never waited for: each script
 * starts every interval (posix_spawn, its own process group), is killed at
 * its timeout (a failure), and its exit status counts towards rise
 * successes / fall failures in a row, as keepalived does. Control lcore.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

/* Start tracking cfg's vrrp_scripts (first runs at once). 0 or -errno. */
int lb_vrrp_track_init(const struct lb_config *cfg, uint64_t now_us);

/* Run due scripts, reap finished ones. True when a script's state changed. */
bool lb_vrrp_track_poll(uint64_t now_us);

/* Is vrrp_script idx OK now (else FAILED)? */
bool lb_vrrp_script_ok(unsigned int idx);

/* One line per script: state, counts, last result. */
void lb_vrrp_track_show(FILE *out);

/* Kill running scripts. */
void lb_vrrp_track_term(void);

#endif
