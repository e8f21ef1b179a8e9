/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SVC_TABLE_H
#define LB_SVC_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "app/service.h"

/*
 * The published set of virtual services. Workers read the current snapshot
 * through lb_svc_snapshot_get() between quiescent states; the control lcore
 * replaces it whole (lb_svc_apply) and frees the old one after an RCU grace
 * period.
 */
struct lb_svc_snapshot {
	unsigned int nb_services;
	uint32_t mask;				/* slots - 1, slots a power of two */
	struct lb_service **slots;		/* open addressing on (proto, vip, port) */
	struct lb_service **services;		/* in config order */
	unsigned int nb_vips;
	rte_be32_t vips[LB_MAX_SERVICES];	/* distinct VIPs, for ARP and classify */
	unsigned int nb_laddrs;
	rte_be32_t laddrs[LB_MAX_SERVICES];	/* distinct FNAT local addresses, for ARP */
};

extern struct lb_svc_snapshot *lb_svc_current;

/* The current snapshot (may be NULL). Worker lcores, between quiescent states. */
static inline const struct lb_svc_snapshot *
lb_svc_snapshot_get(void)
{
	return __atomic_load_n(&lb_svc_current, __ATOMIC_ACQUIRE);
}

/* The service of (proto, vip, port), network order; NULL if none. Pure. */
struct lb_service *lb_svc_lookup(const struct lb_svc_snapshot *snap, uint8_t proto,
				 rte_be32_t vip, rte_be16_t port);

/* True when addr is one of the snapshot's VIPs. Pure. */
bool lb_svc_is_vip(const struct lb_svc_snapshot *snap, rte_be32_t addr);

/*
 * True when dplb answers ARP for addr: a VIP or an FNAT local address, or
 * a VRRP-gated address while its instance is MASTER; a gated address is
 * not owned while its instance is not MASTER, even if it is a service VIP.
 */
bool lb_svc_owns(const struct lb_svc_snapshot *snap, rte_be32_t addr);

/*
 * VRRP gating of VIPs. An address registered here (a virtual_ipaddress of
 * a vrrp_instance) is owned only while lb_svc_gate_set(addr, true) holds:
 * ARP is answered and its traffic accepted only then. Addresses never
 * registered keep today's behaviour (owned whenever they are VIPs).
 * Registration happens on the control lcore before the workers start;
 * the owned flags change at any time (atomics) and workers read them.
 */
#define LB_SVC_MAX_GATES (LB_MAX_VRRP * LB_VRRP_MAX_VIPS)

struct lb_svc_gate {
	rte_be32_t addr;
	bool owned;
};

extern struct lb_svc_gate lb_svc_gates[LB_SVC_MAX_GATES];
extern unsigned int lb_svc_nb_gates;

/* Register addr as gated, not owned. Returns 0, -ENOSPC. Before workers start. */
int lb_svc_gate_add(rte_be32_t addr);

/* Own or disown a gated address. Control lcore. */
void lb_svc_gate_set(rte_be32_t addr, bool owned);

/* Forget every gated address. Workers stopped. */
void lb_svc_gate_clear(void);

/* -1: addr is not gated; 0: gated, not owned now; 1: gated and owned. */
static inline int
lb_svc_gate_state(rte_be32_t addr)
{
	unsigned int i;

	for (i = 0; i < lb_svc_nb_gates; i++)
		if (lb_svc_gates[i].addr == addr)
			return __atomic_load_n(&lb_svc_gates[i].owned, __ATOMIC_RELAXED) ? 1 : 0;
	return -1;
}

/*
 * Build a snapshot from cfg's virtual services and publish it; real servers
 * and services that stay keep their counters and connection counts. Waits
 * for a grace period, then frees the old snapshot. Control lcore.
 * Returns 0 or -errno (logged; the old snapshot stays).
 */
int lb_svc_apply(const struct lb_config *cfg, unsigned int nb_workers);

/* Free the snapshot and every state object. Workers stopped. */
void lb_svc_term(void);

enum lb_svc_view {
	LB_SVC_VIEW_PLAIN = 0,	/* ipvsadm -L -n */
	LB_SVC_VIEW_STATS,	/* ipvsadm -L -n --stats */
	LB_SVC_VIEW_RATE,	/* ipvsadm -L -n --rate */
	LB_SVC_VIEW_THRESHOLDS,	/* ipvsadm -L -n --thresholds */
	LB_SVC_VIEW_PERSIST,	/* ipvsadm -L -n --persistent-conn */
	LB_SVC_VIEW_TOP,	/* show top: the --rate columns, busiest first */
};

/*
 * Print the table as `ipvsadm -L -n` does in that view; exact: --exact
 * (every digit of --stats/--rate, no K/M/G). Control lcore.
 */
void lb_svc_show(FILE *out, enum lb_svc_view view, bool exact);

/* ipvsadm's name of a forwarding method: Masq, Route, Tunnel, FullNat. */
const char *lb_fwd_name(enum lb_fwd f);

/* "A.B.C.D:PORT" of a network-order address and port into buf; returns buf. */
char *lb_addr_port_str(char *buf, size_t len, rte_be32_t a, rte_be16_t p);

/*
 * SYNs that real server (addr, port) of service (proto, vip, vport) refused
 * with a RST, as the workers counted them (host order; 0 when the server is
 * not in the service). For the passive health check. Control lcore.
 */
uint32_t lb_svc_dest_fails(uint8_t proto, uint32_t vip, uint16_t vport, uint32_t addr,
			   uint16_t port);

/*
 * ipvsadm -Z: the counters and rates of service (proto, vip, port), network
 * order, and its real servers read from zero from now on; proto 0 = every
 * service. Returns 0, or -ESRCH when that service does not exist. Control lcore.
 */
int lb_svc_zero(uint8_t proto, rte_be32_t vip, rte_be16_t port);

/* Update the rate estimators; call once a second. Control lcore. */
void lb_svc_estimate(void);

#endif
