/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_ANNOUNCE_PRIV_H
#define LB_ANNOUNCE_PRIV_H

/*
 * Private to announce/ (and its unit tests): which VIPs to announce and
 * why (select.c, pure), the fragment the routing daemon reads
 * (fragment.c), BIRD's control socket (bird.c). Control lcore only.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

#define LB_ANNOUNCE_WHY_LEN 96

/* One VIP and the verdict on it. */
struct lb_announce_vip {
	uint32_t vip;			/* host order */
	bool up;			/* announce it */
	char why[LB_ANNOUNCE_WHY_LEN];	/* "quorum 2/2 services", "VI_1 is BACKUP", ... */
};

/* 1 when service svc has quorum (may serve), 0 when not. */
typedef int (*lb_announce_quorum_fn)(const struct lb_cfg_service *svc);

/* What the selection depends on besides the services. */
struct lb_announce_input {
	lb_announce_quorum_fn quorum;
	const char *vrrp_state;		/* a's instance's state name; NULL: no instance */
	bool vrrp_master;		/* that instance is MASTER */
	bool stopping;			/* dplb is shutting down: withdraw everything */
};

/*
 * The VIPs of a (a->vips, else every VIP of cfg's services, ascending, each
 * once) into out (at most max), each with its verdict: up when the box is
 * not stopping, the VRRP instance (if any) is MASTER, and all (require =
 * "all") or at least one ("any") of the VIP's services have quorum. A VIP
 * with no service left (ipvsadm -D) is withdrawn. Returns how many. Pure.
 */
unsigned int lb_announce_select(const struct lb_config *cfg, const struct lb_cfg_announce *a,
				const struct lb_announce_input *in, struct lb_announce_vip *out,
				unsigned int max);

/*
 * The fragment for the up VIPs of v[0..n) in format f into buf (len bytes):
 * a comment line, then one line per VIP (BIRD: `route A.B.C.D/32
 * blackhole;`, prefixes: `A.B.C.D/32`). Returns its length, or -ENOSPC.
 * Pure.
 */
int lb_announce_render(enum lb_announce_format f, const struct lb_announce_vip *v,
		       unsigned int n, char *buf, size_t len);

/*
 * Replace file path with text (len bytes) atomically: write PATH.tmp,
 * fsync, rename over path (mode 0644). Returns 0 or -errno.
 */
int lb_announce_write(const char *path, const char *text, size_t len);

/* One exchange with BIRD's control socket: connect, greeting, command, reply. */
struct lb_bird_req {
	int fd;				/* -1 when idle */
	int step;			/* 0 greeting, 1 reply */
	char in[512];			/* a partial line */
	size_t len;
	char cmd[32];			/* sent once BIRD greets */
	char reply[128];		/* the last line BIRD sent, or why it failed */
};

/* An idle request. */
void lb_bird_req_init(struct lb_bird_req *r);

/*
 * Connect (non-blocking) to BIRD's control socket at path, to send cmd
 * ("configure") once BIRD greets. Returns 0, or -errno (r->reply says
 * why; r is idle again).
 */
int lb_bird_start(struct lb_bird_req *r, const char *path, const char *cmd);

/*
 * Go on with r without blocking: 1 while BIRD has not answered in full,
 * 0 when its final reply line is a success (code 0xxx), -1 when it is an
 * error or the socket failed. r->reply holds BIRD's final line (or the
 * reason); r is idle again once this returns 0 or -1.
 */
int lb_bird_step(struct lb_bird_req *r);

/* Give up on r (timeout): close the socket; r is idle again. */
void lb_bird_abort(struct lb_bird_req *r);

/*
 * Feed BIRD's bytes to r (what lb_bird_step reads): 1 when more are
 * needed, 2 when BIRD's greeting is complete (send r->cmd now), 0 or -1
 * on the final reply line as lb_bird_step. BIRD's lines are "CODE-text"
 * (more follow) or "CODE text" (the last), CODE four digits; a line
 * starting with a space continues the previous one. Pure but for r.
 */
int lb_bird_feed(struct lb_bird_req *r, const char *data, size_t n);

#endif
