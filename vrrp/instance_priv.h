/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_INSTANCE_PRIV_H
#define LB_VRRP_INSTANCE_PRIV_H

/*
 * Private to vrrp/instance.c and vrrp/reload.c: the running instances and
 * the steps both take. Control lcore only.
 */
#include <rte_log.h>

#include "pmd-glue/port.h"
#include "vrrp/instance.h"
#include "vrrp/unicast.h"

extern int lb_vrrp_logtype;
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_vrrp_logtype, "vrrp: " fmt "\n", ##__VA_ARGS__)

struct instance {
	const struct lb_cfg_vrrp *cfg;	/* &own (lb_vrrp_rebind after a move) */
	struct lb_cfg_vrrp own;		/* its settings, copied from the config */
	struct lb_port *port;
	struct lb_vrrp_wire wire;
	struct lb_vrrp_fsm fsm;
	rte_be32_t primary;
	rte_be32_t vips[LB_VRRP_MAX_VIPS];
	uint16_t ip_id;
	uint64_t started_us;
	uint64_t last_rx_us;		/* last accepted advert */
	rte_be32_t last_rx_saddr;
	uint8_t last_rx_prio;
	uint64_t garp_at;		/* second GARP burst, 0 = none */
	uint64_t refresh_at;		/* next garp_master_refresh burst, 0 = none */
	bool own_fault;			/* its own link, interfaces or weight-0 scripts */
	char fault_why[96];
	int prio;			/* priority its tracking asks for */
	uint8_t base_prio;		/* configured, or set by `vrrp set-priority` */
	struct lb_vrrp_counters cnt;
	struct lb_vrrp_uc uc;		/* unicast_peer instances */
};

/* The running instances, in the order of the running config's vrrp[]. */
extern struct instance lb_vrrp_instances[LB_MAX_VRRP];
extern unsigned int lb_vrrp_nb_instances;
/* The running config: its vrrp_scripts, sync groups, interfaces, FIFO. */
extern const struct lb_config *lb_vrrp_root;

/* Monotonic microseconds, never 0. */
uint64_t lb_vrrp_now_us(void);

/*
 * in takes c (copied) of cfg: port, addresses, wire, FSM in INIT. Not yet
 * started, VIPs gated (not owned). 0, -ENODEV (interface not running),
 * -ENOSPC (too many gated addresses) or an FSM/auth error.
 */
int lb_vrrp_setup(struct instance *in, const struct lb_cfg_vrrp *c,
		  const struct lb_config *cfg, uint64_t now);

/*
 * From in's settings (in->cfg): its primary address, wire (version, vrid,
 * interval, unicast, authentication) and the FSM settings into *fc.
 * 0 or the authentication error.
 */
int lb_vrrp_settings(struct instance *in, const struct lb_config *cfg,
		     struct lb_vrrp_fsm_cfg *fc);

/* Start in (STARTUP event); with state MASTER it takes over after one interval. */
void lb_vrrp_start(struct instance *in, uint64_t now);

/* Point in's cfg and wire at its own settings again (after it was moved). */
void lb_vrrp_rebind(struct instance *in);

/* Carry out the FSM's actions a, in bit order; log the transition (why). */
void lb_vrrp_act(struct instance *in, unsigned int a, enum lb_vrrp_state before,
		 const char *why, uint64_t now, bool direct);

/* repeat gratuitous ARPs for each of the n addresses vips, out of in's port. */
void lb_vrrp_send_garps(struct instance *in, const rte_be32_t *vips, unsigned int n,
			unsigned int repeat);

/* Track every instance, then feed faults and priorities to the FSMs. */
void lb_vrrp_evaluate_all(uint64_t now);

#endif
