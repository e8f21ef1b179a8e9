/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_INSTANCE_H
#define LB_VRRP_INSTANCE_H

/*
 * The running vrrp_instances: one lb_vrrp_fsm each, on the control lcore.
 * Adverts in (lb_vrrp_input, from lb_local_input), timers polled from the
 * control loop (lb_vrrp_poll), adverts and gratuitous ARP out through
 * lb_ctrl_tx, VIP ownership through the svc_table gates. Everything here
 * runs on the control (main) lcore only.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>

#include "config/config.h"
#include "vrrp/codec.h"
#include "vrrp/fsm.h"

/* Counters of one instance (and of adverts no instance took: vrrp_other). */
struct lb_vrrp_counters {
	uint64_t rx_ok;			/* adverts accepted and fed to the FSM */
	uint64_t rx_err[LB_VRRP_ERR_MAX];	/* rejected, by lb_vrrp_err */
	uint64_t rx_addr_mismatch;	/* accepted, address list differs from ours */
	uint64_t tx_adverts;
	uint64_t tx_prio0;
	uint64_t tx_garp;
	uint64_t become_master;
	uint64_t leave_master;
	uint64_t transitions;		/* state changes of any kind */
};

/* One instance as monitoring sees it: a copy, no pointer into the module. */
struct lb_vrrp_info {
	char name[LB_NAME_LEN];
	char iface[LB_NAME_LEN];
	unsigned int vrid;
	enum lb_vrrp_state state;
	unsigned int priority;		/* effective (tracking applied) */
	unsigned int base_priority;	/* configured or `vrrp set-priority` */
	struct lb_vrrp_counters cnt;
};

/*
 * Module init (after ports and services): register every instance's VIPs
 * as gated (not owned), start every FSM (STARTUP). Returns 0 or -errno.
 */
int lb_vrrp_init(const struct lb_config *cfg);

/*
 * Module term, after the workers stopped and before the ports close: every
 * MASTER sends its priority-0 advert straight to the port's TX queue 0 and
 * disowns its VIPs.
 */
void lb_vrrp_term(void);

/*
 * Take a received IPv4 frame if it is VRRP (IP protocol 112, or AH (51)
 * to 224.0.0.18 or from a unicast peer): decode it, count a reject by
 * reason, feed the FSM.
 * Returns true when m was taken (always freed here: never to the kernel).
 */
bool lb_vrrp_input(struct rte_mbuf *m);

/* Run due timers (Adver_Timer, Master_Down_Timer, GARP repeats). */
void lb_vrrp_poll(void);

/*
 * The state (enum lb_vrrp_state) of the instance named name, or -ENOENT.
 * Control lcore.
 */
int lb_vrrp_instance_state(const char *name);

/* Number of instances running. */
unsigned int lb_vrrp_count(void);

/*
 * One word for the CLI prompt: the state every instance is in (MASTER,
 * BACKUP, FAULT, INIT), MIXED when they differ, NULL with no instance.
 */
const char *lb_vrrp_summary(void);

/*
 * The CLI's `vrrp set-priority NAME PRIO`: the instance's configured
 * priority becomes prio (1..255) until a restart; tracking weights apply on
 * top. Returns 0, -ENOENT (no such instance) or -ERANGE.
 */
int lb_vrrp_set_priority(const char *name, unsigned int prio);

/*
 * The configured priority of instance name as it runs (the config's, or
 * the one `vrrp set-priority` gave) into *prio. 0 or -ENOENT.
 */
int lb_vrrp_get_priority(const char *name, unsigned int *prio);

struct lb_vrrp_diff;

/*
 * Config reload: cfg, the running config, now holds the new VRRP settings,
 * which d (vrrp/diff.h, not restart) says can apply live. Instances that
 * are gone (or changed interface, vrid or version) stop as on shutdown: a
 * MASTER sends its priority-0 advert and releases its VIPs (they stay
 * gated, not owned, until a restart). Instances that stay keep their state
 * and counters and take their new settings: priority (replacing a `vrrp
 * set-priority`; tracking on top), interval, preemption, authentication,
 * unicast peers, tracking, garp and notify settings; a MASTER releases
 * removed VIPs and takes and announces (gratuitous ARP) added ones. New
 * instances start as at init. Returns 0, or the first error of an instance
 * that could not take its settings (logged; it is left out).
 */
int lb_vrrp_reload(const struct lb_config *cfg, const struct lb_vrrp_diff *d);

/*
 * Copy instance i (0..lb_vrrp_count()-1) into *out. Returns 0, or -ENOENT
 * past the last one. Control lcore.
 */
int lb_vrrp_info(unsigned int i, struct lb_vrrp_info *out);

/* Print each instance's state and counters, one block each. */
void lb_vrrp_show(FILE *out);

#endif
