/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_METRICS_H
#define LB_METRICS_H

/*
 * The Prometheus metrics listener: HTTP/1.x on a loopback address
 * (`metrics = { listen = "127.0.0.1:9100"; };`, off without it), polled by
 * the control lcore like the CLI. Everything is non-blocking and bounded:
 * LB_METRICS_MAX_SESSIONS sessions (more are answered 503 and closed), a
 * request head of at most LB_METRICS_MAX_REQ bytes (else 431), a session
 * closed LB_METRICS_TIMEOUT_S after it was accepted whatever it did, one
 * request per connection (Connection: close). GET or HEAD of /metrics
 * answers the exposition (app/metrics_fmt.h) of a snapshot refreshed for
 * the request; / answers a pointer to /metrics; anything else 404/405/400.
 */
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

#define LB_METRICS_MAX_SESSIONS 8
#define LB_METRICS_MAX_REQ 2048
#define LB_METRICS_TIMEOUT_S 5
#define LB_METRICS_MAX_PAGE (64u << 20)	/* a larger exposition answers 503 */

/* Listen on cfg->metrics when set. Control lcore. Returns 0 or -errno (logged). */
int lb_metrics_init(const struct lb_config *cfg);

/* Accept, read, answer, time out. Never blocks. Returns units of work. Control lcore. */
unsigned int lb_metrics_poll(void);

/* Close the listener and every session. */
void lb_metrics_term(void);

enum lb_metrics_page {
	LB_METRICS_PAGE_NONE = 0,
	LB_METRICS_PAGE_METRICS,	/* /metrics */
	LB_METRICS_PAGE_INDEX,		/* / */
};

/*
 * Route the request head in buf[0..len) (not NUL-terminated). Returns 0
 * while the head is incomplete (no blank line yet), else an HTTP status:
 * 200 with *page set, 400 (malformed request line or header), 404 (other
 * path), 405 (method other than GET/HEAD), 505 (not HTTP/1.x).
 * *head is true for HEAD. Pure; any thread.
 */
int lb_metrics_route(const char *buf, size_t len, enum lb_metrics_page *page, bool *head);

#endif
