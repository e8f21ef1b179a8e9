/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_PROBE_H
#define LB_HEALTH_PROBE_H

/*
 * TCP_CHECK and HTTP_GET attempts on non-blocking kernel sockets (the box's
 * own traffic reaches real servers through the exception path). Never blocks
 * and never waits: a probe advances by what the kernel already has (connect
 * state via SO_ERROR/getpeername, send/recv with MSG_DONTWAIT) and fails
 * stages past their deadline. Two drivers:
 *  - lb_health_set_*: one epoll set; only probes with socket events are
 *    touched, and starts/deadlines are scanned every LB_HEALTH_SCAN_US
 *    (what the monitor uses: thousands of checks per second);
 *  - lb_health_poll(): touch every probe on each call (small sets, tests).
 * Sockets close with an RST (SO_LINGER 0) so thousands of checks a second
 * leave no TIME_WAIT behind. No threads; control lcore only.
 *
 * Timeouts follow keepalived: connect_timeout bounds the connect, then each
 * send/read stage (the deadline moves on every byte received or sent).
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "health/checker.h"
#include "health/http.h"
#include "health/misc.h"
#include "health/tls.h"

enum lb_health_probe_kind {
	LB_HEALTH_PROBE_TCP,		/* TCP_CHECK: connect within connect_timeout */
	LB_HEALTH_PROBE_HTTP,		/* HTTP_GET or SSL_GET (http->tls): one url */
	LB_HEALTH_PROBE_MISC,		/* MISC_CHECK: a script's exit status */
};

/* One HTTP_GET url (keepalived url { path digest status_code virtualhost }). */
struct lb_health_http_check {
	enum lb_health_http_proto proto;
	const char *path;
	const char *vhost;		/* NULL: Host is the real server addr:port */
	const char *digest;		/* 32 hex digits, or NULL */
	struct lb_health_http_codes codes;	/* lb_health_http_codes_default() */
	bool tls;			/* SSL_GET: the request goes over TLS */
	const char *sni;		/* SSL_GET: server name sent, NULL none */
};

struct lb_health_probe {
	enum lb_health_probe_kind kind;
	struct sockaddr_storage dst;	/* real server (or connect_ip/port) */
	socklen_t dst_len;
	struct sockaddr_storage src;	/* bindto; src_len 0 = kernel's choice */
	socklen_t src_len;
	const struct lb_health_http_check *http;	/* HTTP only; caller-owned */
	const struct lb_health_misc_check *misc;	/* MISC only; caller-owned */
	struct lb_health_rs *rs;	/* real server this checker counts for */
	struct lb_health_checker chk;
	void *user;			/* for the event callback */
	/* private */
	int fd;
	int epfd;			/* epoll set it is in, -1 for none */
	pid_t pid;			/* MISC: the running script, 0 for none */
	struct ssl_st *ssl;		/* SSL_GET: the TLS session, NULL for none */
	int dyn_weight;			/* MISC misc_dynamic: last weight set, -1 none */
	int stage;
	size_t req_len, req_off;
	char req[LB_HEALTH_HTTP_REQ_MAX];
	struct lb_health_http_resp resp;
};

typedef void (*lb_health_event_cb)(struct lb_health_probe *p,
				   const struct lb_health_event *ev, void *arg);

/*
 * Set up probe p and attach its checker to rs (lb_health_rs_init first).
 * src may be NULL. For HTTP, http must outlive p and its request is built
 * here. Returns 0 or -EINVAL (bad address, path or vhost).
 */
int lb_health_probe_init(struct lb_health_probe *p, enum lb_health_probe_kind kind,
			 const struct sockaddr *dst, socklen_t dst_len,
			 const struct sockaddr *src, socklen_t src_len,
			 const struct lb_health_http_check *http, struct lb_health_rs *rs,
			 const struct lb_health_timing *t, uint64_t now, uint32_t rnd);

/*
 * Set up probe p as a MISC_CHECK running misc->cmd (which must outlive p);
 * dst names the real server (for show). The attempt's deadline is the
 * checker's connect_timeout (keepalived's misc_timeout): the script is
 * killed then. Exit 0 passes, 1 fails; with misc->dynamic 2..255 passes
 * and sets weight exit - 2 (an LB_HEALTH_EV_WEIGHT event); without it any
 * non-zero fails. Returns 0 or -EINVAL.
 */
int lb_health_probe_init_misc(struct lb_health_probe *p, const struct lb_health_misc_check *misc,
			      const struct sockaddr *dst, socklen_t dst_len,
			      struct lb_health_rs *rs, const struct lb_health_timing *t,
			      uint64_t now, uint32_t rnd);

/* Close a running attempt's socket or kill its script (no event); p may be init'ed again. */
void lb_health_probe_close(struct lb_health_probe *p);

/*
 * Advance every probe at time now: start due attempts, progress running
 * ones, finish them. cb is called for each real server UP/DOWN. Returns the
 * number of events. Never blocks.
 */
unsigned int lb_health_poll(struct lb_health_probe **probes, unsigned int n, uint64_t now,
			    lb_health_event_cb cb, void *arg);

/* Starts and deadlines are looked at this often by lb_health_set_poll(). */
#define LB_HEALTH_SCAN_US	10000
/*
 * Attempts one call of lb_health_set_poll starts at most: each costs a few
 * syscalls, and a thousand due at once (a config load, a pause) must not
 * stall the control lcore (VRRP adverts every 10 ms) for tens of ms. The
 * rest start on the next call, from where this one stopped.
 */
#define LB_HEALTH_STARTS_PER_POLL 64

/* Probes driven by one epoll set. */
struct lb_health_set {
	int epfd;
	struct lb_health_probe **probes;
	unsigned int n;
	uint64_t next_scan;
	unsigned int scan_from;		/* where the next scan starts (fair to all) */
};

/*
 * Put the n probes (already init'ed, caller-owned, outliving the set) in a
 * new epoll set. Returns 0 or -errno.
 */
int lb_health_set_init(struct lb_health_set *set, struct lb_health_probe **probes,
		       unsigned int n);

/*
 * Advance the set at time now: probes whose sockets have events, then
 * (every LB_HEALTH_SCAN_US) starts of due attempts and expired deadlines.
 * cb as for lb_health_poll. Returns the number of events. Never blocks.
 */
unsigned int lb_health_set_poll(struct lb_health_set *set, uint64_t now,
				lb_health_event_cb cb, void *arg);

/* Close every probe's socket and the epoll set. */
void lb_health_set_term(struct lb_health_set *set);

#endif
