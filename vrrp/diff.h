/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_DIFF_H
#define LB_VRRP_DIFF_H

/*
 * What a config reload changes in the VRRP instances, and whether it can
 * be applied while they run. Pure (no DPDK state): instance.c applies it.
 * Instances are matched by name; one whose interface, virtual_router_id or
 * version changed is removed and added again. Changes to interfaces,
 * vrrp_sync_groups, or vrrp_scripts other than their weight leave every
 * VRRP change to the next restart.
 */
#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"

#define LB_VRRP_CH_PRIORITY 0x01	/* priority */
#define LB_VRRP_CH_ADVERT   0x02	/* advert_int */
#define LB_VRRP_CH_VIPS     0x04	/* virtual_ipaddress */
#define LB_VRRP_CH_PREEMPT  0x08	/* nopreempt, preempt_delay */
#define LB_VRRP_CH_AUTH     0x10	/* authentication */
#define LB_VRRP_CH_TRACK    0x20	/* track_scripts, track_interfaces */
#define LB_VRRP_CH_PEERS    0x40	/* unicast_peer, unicast_src_ip */
#define LB_VRRP_CH_OTHER    0x80	/* state, garp_*, notify*: read when used */

struct lb_vrrp_diff {
	bool changed;			/* anything differs */
	bool restart;			/* it cannot apply live: why */
	char why[160];
	int old_of[LB_MAX_VRRP];	/* per new instance: its running index, -1 = added */
	unsigned int what[LB_MAX_VRRP];	/* per new instance: LB_VRRP_CH_* */
	bool removed[LB_MAX_VRRP];	/* per running instance: it goes */
	bool weights;			/* a vrrp_script weight changed */
	bool fifo;			/* vrrp_notify_fifo changed */
};

/* Compare the running config's VRRP settings (run) with the new ones (n) into *d. */
void lb_vrrp_diff(const struct lb_config *run, const struct lb_config *n, struct lb_vrrp_diff *d);

/* One "reload: vrrp_instance NAME: ..." line per change in d, to out. */
void lb_vrrp_diff_print(const struct lb_config *run, const struct lb_config *n,
			const struct lb_vrrp_diff *d, FILE *out);

#endif
