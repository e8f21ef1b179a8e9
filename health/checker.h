/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_CHECKER_H
#define LB_HEALTH_CHECKER_H

/*
 * keepalived's up/down counting for one checker and the real server it
 * belongs to, as pure logic: the caller gives the time (`now`, monotonic
 * microseconds) and the result of each attempt; the checker answers when to
 * start the next attempt and whether the real server changed state. No clock
 * reads, no I/O, no allocation. Control lcore only; not thread-safe.
 *
 * Rules (keepalived/check/check_tcp.c tcp_epilog, check_api.c,
 * ipwrapper.c update_svr_checker_state):
 *  - first attempt at now + warmup * rnd / 2^32 (random spread in [0, warmup]);
 *  - success: retry counter reset, next attempt after delay_loop; the checker
 *    goes UP if it was down (or had never run);
 *  - failure while up (or never run): if fewer than `retry` retries were
 *    made, retry after delay_before_retry; else the checker goes DOWN, counter
 *    reset, next after delay_loop. So DOWN after retry + 1 consecutive
 *    failures, retry x delay_before_retry after the first one;
 *  - failure while down: same counting, no event;
 *  - alpha: the checker starts DOWN (the real server is not in the pool until
 *    a success); without alpha it starts UP;
 *  - a real server is alive when none of its checkers is down (all must
 *    pass); events are produced only when that changes.
 */
#include <stdbool.h>
#include <stdint.h>

#define LB_HEALTH_US_PER_S	1000000ull

/* Timing after inheritance virtual server -> real server -> checker. */
struct lb_health_timing {
	uint64_t delay_loop;		/* us between rounds */
	uint64_t connect_timeout;	/* us per attempt stage (connect, each read) */
	uint64_t delay_before_retry;	/* us between a failure and its retry */
	uint64_t warmup;		/* us: max random delay of the first attempt */
	unsigned int retry;		/* retries (nb_get_retry alias) before DOWN */
	bool alpha;			/* start DOWN until a success */
};

struct lb_health_checker {
	struct lb_health_timing t;
	bool is_up;
	bool has_run;
	bool running;			/* an attempt is in progress */
	unsigned int retry_it;		/* failures since the last success/DOWN */
	uint64_t next_at;		/* start the next attempt at this time */
	uint64_t started_at;		/* current/last attempt start */
	uint64_t deadline;		/* current attempt stage times out then */
	uint64_t last_change;		/* time of the last UP/DOWN of this checker */
	uint64_t last_duration;		/* us taken by the last attempt */
	uint64_t nb_ok, nb_fail;
	char last_error[96];		/* "" after a success */
};

/* A real server's aggregate over its checkers. */
struct lb_health_rs {
	unsigned int nb_checkers;
	unsigned int nb_failed;		/* checkers currently down */
	bool alive;
};

enum lb_health_ev_type {
	LB_HEALTH_EV_NONE,
	LB_HEALTH_EV_UP,
	LB_HEALTH_EV_DOWN,
	LB_HEALTH_EV_WEIGHT,		/* MISC_CHECK misc_dynamic set a new weight */
};

/* What the caller must apply (see quorum.h for how). */
struct lb_health_event {
	enum lb_health_ev_type type;
	uint32_t weight;		/* LB_HEALTH_EV_WEIGHT only */
	char reason[160];
};

/* An alive real server with no checker yet. */
void lb_health_rs_init(struct lb_health_rs *rs);

/*
 * Attach checker c (with timing t) to rs and schedule its first attempt;
 * rnd is any uniformly random 32-bit value (warmup spread). With t->alpha
 * the checker starts down and rs is not alive until it passes.
 */
void lb_health_checker_init(struct lb_health_rs *rs, struct lb_health_checker *c,
			    const struct lb_health_timing *t, uint64_t now, uint32_t rnd);

/* True when c has no attempt running and its next one is due at now. */
bool lb_health_checker_due(const struct lb_health_checker *c, uint64_t now);

/*
 * An attempt starts now. Returns its first deadline (now + connect_timeout);
 * lb_health_checker_progress() pushes it on each sign of life.
 */
uint64_t lb_health_checker_begin(struct lb_health_checker *c, uint64_t now);
void lb_health_checker_progress(struct lb_health_checker *c, uint64_t now);

/*
 * The running attempt ended at now: ok, or failed for reason. Applies the
 * counting rules, sets c->next_at, and returns true with *ev filled when rs
 * went UP or DOWN (the caller then changes the pool); false otherwise.
 */
bool lb_health_checker_done(struct lb_health_rs *rs, struct lb_health_checker *c,
			    uint64_t now, bool ok, const char *reason,
			    struct lb_health_event *ev);

/* What a checker's attempts started at or after some time say. */
enum lb_health_verdict {
	LB_HEALTH_VERDICT_PENDING,	/* none has finished yet */
	LB_HEALTH_VERDICT_PASS,		/* the last such attempt passed */
	LB_HEALTH_VERDICT_FAIL,		/* the last such attempt failed */
};

/*
 * The verdict of c's last finished attempt if it started at or after since
 * (a result newer than an event, e.g. a passive failure); PENDING while
 * none did or one is still running.
 */
enum lb_health_verdict lb_health_checker_verdict_since(const struct lb_health_checker *c,
							 uint64_t since);

/* Bring c's next attempt forward to now (nothing while one runs). */
void lb_health_checker_kick(struct lb_health_checker *c, uint64_t now);

/*
 * Shutdown: with omega (keepalived virtual_server `omega`), an alive rs is
 * reported DOWN so notify_down / quorum-down actions run on the way out.
 * Returns true with *ev filled in that case.
 */
bool lb_health_rs_shutdown(struct lb_health_rs *rs, bool omega, struct lb_health_event *ev);

#endif
