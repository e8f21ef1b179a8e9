/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_OBS_H
#define LB_OBS_H

/*
 * The observability snapshot: a plain copy of everything monitoring shows
 * (services, real servers, workers, VRRP, health checkers, connection
 * table), built on the control lcore and read by the telemetry thread and
 * the metrics listener. Nothing in it points into a module.
 *
 * Threads: lb_obs_refresh() runs on the control lcore only; it builds a new
 * snapshot without any lock, then swaps it in under a mutex it only tries
 * (a reader holding the mutex makes the control lcore skip that refresh,
 * never wait). Readers on other threads take the mutex with lb_obs_get()
 * and release it with lb_obs_put(); the snapshot they see stays unchanged
 * in between.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/stats.h"
#include "health/monitor.h"
#include "vrrp/instance.h"

enum { LB_OBS_CONNS, LB_OBS_INPKTS, LB_OBS_OUTPKTS, LB_OBS_INBYTES, LB_OBS_OUTBYTES,
	LB_OBS_NVAL };

/* Counters since start (never zeroed by ipvsadm -Z) and the estimator's rates. */
struct lb_obs_traffic {
	uint64_t v[LB_OBS_NVAL];
	double rate[LB_OBS_NVAL];	/* per second, as ipvsadm --rate */
};

struct lb_obs_svc {
	uint8_t proto;			/* IPPROTO_TCP / IPPROTO_UDP */
	uint32_t vip;			/* host order */
	uint16_t port;
	char sched[16];
	unsigned int first_rs, nb_rs;	/* its real servers in lb_obs.rs */
	struct lb_obs_traffic t;
};

struct lb_obs_rs {
	unsigned int svc;		/* index in lb_obs.svcs */
	uint32_t addr;			/* host order */
	uint16_t port;
	const char *fwd;		/* "Masq", "Route", "Tunnel", "FullNat" */
	int32_t weight;
	int32_t activeconns, inactconns, persistconns;
	bool overloaded;
	struct lb_obs_traffic t;
};

struct lb_obs_worker {
	int index;			/* worker index; -1 for the control lcore */
	unsigned int lcore;
	struct lb_lcore_stats st;
};

struct lb_obs {
	uint64_t seq;			/* refreshes so far */
	uint64_t uptime_s;		/* since lb_obs_init */
	unsigned int nb_svcs, nb_rs, nb_workers, nb_vrrp, nb_checks;
	struct lb_obs_svc *svcs;
	struct lb_obs_rs *rs;
	struct lb_obs_worker workers[LB_MAX_WORKERS + 1];
	struct lb_vrrp_info vrrp[LB_MAX_VRRP];
	struct lb_health_info *checks;
	uint64_t conns;			/* connections in the tables (approximate) */
	uint64_t conns_max;		/* table capacity */
	uint64_t reloads, reload_failures;
	unsigned int cap_svcs, cap_rs, cap_checks;	/* allocated entries */
};

/*
 * Start empty (the snapshots' arrays grow at each refresh as needed);
 * conn_max is the table capacity shown. Control lcore. Returns 0.
 */
int lb_obs_init(unsigned int conn_max);

/*
 * Free both snapshots. Takes the mutex (waits for a reader between
 * lb_obs_get and lb_obs_put); readers afterwards get NULL. Control lcore.
 */
void lb_obs_term(void);

/*
 * Build a fresh snapshot from the running modules and publish it (skipped
 * when a reader holds the current one: tried again on the next call).
 * Returns 0, -EBUSY (skipped) or -ENOMEM. Control lcore only; never blocks.
 */
int lb_obs_refresh(void);

/*
 * The current snapshot, held until lb_obs_put(); NULL before the first
 * refresh (lb_obs_put() must still be called). Any thread but the control
 * lcore (which may read lb_obs_current() directly instead).
 */
const struct lb_obs *lb_obs_get(void);
void lb_obs_put(void);

/* The current snapshot without locking. Control lcore only. */
const struct lb_obs *lb_obs_current(void);

/* Count a config reload and its outcome (for the snapshot). Control lcore. */
void lb_obs_count_reload(bool ok);

/* "TCP"/"UDP" of an IP protocol number. */
const char *lb_obs_proto_name(uint8_t proto);

#endif
