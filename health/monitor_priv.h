/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_MONITOR_PRIV_H
#define LB_HEALTH_MONITOR_PRIV_H

/* Private to health/monitor*.c and passive.c: the monitor's state. */
#include "health/monitor.h"
#include "health/probe.h"
#include "health/quorum.h"

#include <rte_log.h>

extern int lb_health_logtype;
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_health_logtype, "dplb: health: " fmt "\n", ##__VA_ARGS__)

/* A real server of a checked service. */
struct target {
	struct lb_cfg_rs_key key;	/* its service and itself */
	struct lb_cfg_rs rs;		/* as configured: the weight to restore */
	unsigned int svc;		/* index in lb_hm.svcs */
	struct lb_health_rs hrs;	/* alive when none of its checkers is down */
	unsigned int first, nb;		/* its probes in lb_hm.probes */
	const struct lb_cfg_notify *notify;	/* notify_up/down, or NULL */
	/* passive check */
	bool passive_down;		/* out on the workers' refused-SYN count */
	bool pf_resync;			/* take the next count as the baseline */
	uint32_t pf_last;		/* count at the last scan */
	uint64_t passive_since;		/* the failure (or failed re-check) that began it */
	uint64_t passive_until;		/* back-off ends */
	uint64_t backoff;		/* current back-off, us */
	uint64_t readmitted_at;		/* end of the last back-off */
};

/* A service with checkers or a sorry server. */
struct hsvc {
	uint8_t proto;
	uint32_t vip;
	uint16_t port;
	bool omega;
	bool alpha;			/* its checkers start down until a success */
	struct lb_health_quorum q;
	bool has_sorry;
	struct lb_cfg_rs sorry;
	char quorum_up[LB_CHECK_PATH_LEN];	/* scripts; "" = none */
	char quorum_down[LB_CHECK_PATH_LEN];
	uint32_t passive_failures;	/* refused SYNs per scan that take a server out */
	uint64_t passive_backoff;	/* us */
	unsigned int first, nb;		/* its targets in lb_hm.targets */
};

/* One probe: a TCP_CHECK, or one url of an HTTP_GET. */
struct hprobe {
	struct lb_health_probe p;	/* first: the event callback casts back */
	struct lb_health_http_check http;
	struct lb_health_misc_check misc;
	const struct lb_cfg_check *cfg;
	unsigned int url;
	unsigned int target;
};

struct lb_health_mon {
	struct lb_config *running;
	lb_health_publish_fn publish;
	struct hsvc *svcs;
	unsigned int nb_svcs;
	struct target *targets;
	unsigned int nb_targets;
	struct hprobe *probes;
	struct lb_health_probe **pp;	/* what the epoll set drives */
	unsigned int nb_probes;
	struct lb_health_set set;
	uint64_t last_poll;
	bool dirty;			/* running changed since the last publish */
	unsigned int changes;
	lb_health_fails_fn fails;	/* the workers' refused-SYN counts, or NULL */
	uint64_t next_passive;		/* next passive count */
	uint64_t next_backoffs;		/* next look at passive back-offs */
};

/* The one monitor (control lcore). */
extern struct lb_health_mon lb_hm;

/* Sum of the weights of s's real servers in service. */
uint64_t lb_hm_live_weight(const struct hsvc *s);

/* "a.b.c.d:port" into buf. */
const char *lb_hm_ep_str(uint32_t addr, uint16_t port, char *buf, size_t len);

/* "TCP a.b.c.d:port" of s into buf. */
const char *lb_hm_svc_str(const struct hsvc *s, char *buf, size_t len);

/* A real server is in service: its checkers pass and no passive back-off runs. */
static inline bool
lb_hm_alive(const struct target *t)
{
	return t->hrs.alive && !t->passive_down;
}

/*
 * t of s went up or down (as lb_hm_alive now says): change the pool (or
 * not, while the sorry server serves), run notify_up/notify_down, update
 * quorum. why is logged.
 */
void lb_hm_rs_changed(struct hsvc *s, struct target *t, bool up, const char *why);

/*
 * Passive check (passive.c): end the back-offs that are over (fresh checks
 * decide); with count (once a second), also compare the workers' counts
 * and take out the servers that refused too many SYNs since the last one.
 */
void lb_hm_passive_scan(uint64_t now, bool count);


#endif
