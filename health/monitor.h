/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_MONITOR_H
#define LB_HEALTH_MONITOR_H

/*
 * The health monitor: every checker of the configuration, run on the
 * control lcore, with keepalived's effects on the running services
 * (keepalived/check/ipwrapper.c):
 *  - a real server whose checkers fail is taken out of its service, or
 *    kept with weight 0 with inhibit_on_failure (its connections stay);
 *    it is put back, with its configured weight, when they pass again;
 *  - quorum/hysteresis over the live weight of a service; the sorry_server
 *    replaces the real servers while quorum is lost;
 *  - alpha: real servers start out of the pool until their checks pass;
 *  - passive check (beyond keepalived, per service passive_failures): when
 *    the workers see a server refuse that many SYNs (RST) within a second,
 *    it is taken out before its checkers notice, for passive_backoff
 *    (doubled when it fails again soon after), then let back in if its
 *    checkers pass an attempt started after the failure.
 * Changes go into the running config (what `ipvsadm -L -n` shows, the same
 * one ipvsadm edits) and are published with the caller's function, so the
 * workers see a new RCU snapshot. Probes are non-blocking kernel sockets:
 * the box's own traffic leaves through the exception path.
 * Control lcore only; not thread-safe.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

/* Publishes cfg's services to the workers; 0 or -errno. */
typedef int (*lb_health_publish_fn)(struct lb_config *cfg);

/*
 * The workers' count of SYNs that real server (addr, port) of service
 * (proto, vip, vport) refused (host order), for the passive check.
 */
typedef uint32_t (*lb_health_fails_fn)(uint8_t proto, uint32_t vip, uint16_t vport,
				       uint32_t addr, uint16_t port);

/*
 * Build a probe for every checker (one per url of an HTTP_GET) of running
 * (which stays the caller's and must outlive the monitor), apply alpha and
 * the initial quorum, and publish when that changed the pool. fails may be
 * NULL (no passive check). now_us is a monotonic time. Returns 0 (also when
 * there is nothing to check), -ENOMEM, or a publish error.
 */
int lb_health_monitor_init(struct lb_config *running, lb_health_publish_fn publish,
			   lb_health_fails_fn fails, uint64_t now_us);

/*
 * Advance every probe at now_us (start due checks, progress running ones),
 * apply what changed and publish once if the pool changed. Never blocks.
 * Returns the number of real-server and quorum state changes.
 */
unsigned int lb_health_monitor_poll(uint64_t now_us);

/*
 * Print every checked service, its quorum, real servers and checkers with
 * their state, counters and last error (the CLI's `show health`).
 */
void lb_health_monitor_show(FILE *out, uint64_t now_us);

/* One checker as monitoring sees it: a copy (host-order addresses). */
struct lb_health_info {
	uint8_t proto;			/* its service: IPPROTO_TCP/UDP, vip, vport */
	uint32_t vip;
	uint16_t vport;
	uint32_t addr;			/* the real server */
	uint16_t port;
	const char *type;		/* "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK" */
	char target[96];		/* url path, script, or "" */
	bool rs_alive;			/* the real server is in service */
	bool up;			/* this checker passes (or starts up, never run) */
	bool has_run;
	uint64_t nb_ok, nb_fail;
	uint64_t last_duration_us;	/* time the last attempt took */
	char last_error[96];		/* "" after a success */
};

/*
 * Quorum of service (proto, vip, port) (host order) as the monitor keeps
 * it: 1 up, 0 lost (a sorry server may be serving), -ENOENT when the
 * monitor does not watch it (no checker, sorry server or quorum script).
 * Control lcore.
 */
int lb_health_quorum_state(uint8_t proto, uint32_t vip, uint16_t port);

/* Number of checkers (one per url of an HTTP_GET). Control lcore. */
unsigned int lb_health_count(void);

/*
 * Copy checker i (0..lb_health_count()-1) into *out. Returns 0, or -ENOENT
 * past the last one. Control lcore.
 */
int lb_health_info(unsigned int i, struct lb_health_info *out);

/*
 * After the running config's services and checkers were replaced (config
 * reload): start over with the same running config and functions. Real
 * servers that stay (same service, address and port) keep being dead if
 * they were, so they do not enter the pool until a check passes; new ones
 * start as at init. Returns what init returns.
 */
int lb_health_monitor_reload(uint64_t now_us);

/*
 * Undo in cfg (a copy of the running services) what health checks did to
 * the pool: real servers they hold out are put back (with their configured
 * weight), inhibited ones get their weight back, an active sorry server
 * leaves. What `config save` writes. Control lcore.
 */
void lb_health_monitor_configured(struct lb_config *cfg);

/*
 * Stop: close every probe's socket. With omega on a service, its alive real
 * servers are reported down in the log and their notify_down scripts run
 * (keepalived's omega). Frees everything; init may be called again.
 */
void lb_health_monitor_term(void);

/* Monotonic time in microseconds (CLOCK_MONOTONIC), for the callers. */
uint64_t lb_health_now_us(void);

#endif
