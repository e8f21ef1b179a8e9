/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived's checker counting (retry, delay_before_retry, delay_loop,
 * warmup, alpha, omega, all checkers must pass) as pure logic. See checker.h.
 */
#include <stdio.h>
#include <string.h>

#include "health/checker.h"

void
lb_health_rs_init(struct lb_health_rs *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->alive = true;
}

void
lb_health_checker_init(struct lb_health_rs *rs, struct lb_health_checker *c,
		       const struct lb_health_timing *t, uint64_t now, uint32_t rnd)
{
	memset(c, 0, sizeof(*c));
	c->t = *t;
	c->is_up = !t->alpha;
	/* keepalived: warmup * rand() / RAND_MAX before the first attempt */
	c->next_at = now + (uint64_t)(((unsigned __int128)t->warmup * rnd) >> 32);
	c->last_change = now;
	rs->nb_checkers++;
	if (!c->is_up)
		rs->nb_failed++;
	rs->alive = rs->nb_failed == 0;
}

bool
lb_health_checker_due(const struct lb_health_checker *c, uint64_t now)
{
	return !c->running && now >= c->next_at;
}

uint64_t
lb_health_checker_begin(struct lb_health_checker *c, uint64_t now)
{
	c->running = true;
	c->started_at = now;
	c->deadline = now + c->t.connect_timeout;
	return c->deadline;
}

void
lb_health_checker_progress(struct lb_health_checker *c, uint64_t now)
{
	c->deadline = now + c->t.connect_timeout;
}

/* Checker c goes up or down; true with *ev when that flips the real server. */
static bool
set_checker(struct lb_health_rs *rs, struct lb_health_checker *c, bool up, uint64_t now,
	    struct lb_health_event *ev)
{
	if (c->is_up == up)
		return false;
	c->is_up = up;
	c->last_change = now;
	if (up) {
		rs->nb_failed--;
		if (rs->nb_failed > 0 || rs->alive)
			return false;
		rs->alive = true;
		ev->type = LB_HEALTH_EV_UP;
		snprintf(ev->reason, sizeof(ev->reason), "all %u checker(s) pass",
			 rs->nb_checkers);
		return true;
	}
	rs->nb_failed++;
	if (!rs->alive)
		return false;
	rs->alive = false;
	ev->type = LB_HEALTH_EV_DOWN;
	if (c->t.retry > 0)
		snprintf(ev->reason, sizeof(ev->reason), "%s (after %u retries)",
			 c->last_error, c->t.retry);
	else
		snprintf(ev->reason, sizeof(ev->reason), "%s", c->last_error);
	return true;
}

bool
lb_health_checker_done(struct lb_health_rs *rs, struct lb_health_checker *c,
		       uint64_t now, bool ok, const char *reason,
		       struct lb_health_event *ev)
{
	bool changed = false;

	ev->type = LB_HEALTH_EV_NONE;
	ev->reason[0] = '\0';
	c->running = false;
	c->last_duration = now - c->started_at;
	if (ok) {
		c->nb_ok++;
		c->last_error[0] = '\0';
	} else {
		c->nb_fail++;
		snprintf(c->last_error, sizeof(c->last_error), "%s",
			 reason != NULL ? reason : "check failed");
	}
	/* keepalived check_tcp.c tcp_epilog() */
	if (ok || c->retry_it >= c->t.retry) {
		c->next_at = now + c->t.delay_loop;
		c->retry_it = 0;
		if (ok && (!c->is_up || !c->has_run))
			changed = set_checker(rs, c, true, now, ev);
		else if (!ok && (c->is_up || !c->has_run))
			changed = set_checker(rs, c, false, now, ev);
	} else {
		c->next_at = now + c->t.delay_before_retry;
		c->retry_it++;
	}
	c->has_run = true;
	return changed;
}

enum lb_health_verdict
lb_health_checker_verdict_since(const struct lb_health_checker *c, uint64_t since)
{
	if (c->running || !c->has_run || c->started_at < since)
		return LB_HEALTH_VERDICT_PENDING;
	return c->last_error[0] == '\0' ? LB_HEALTH_VERDICT_PASS : LB_HEALTH_VERDICT_FAIL;
}

void
lb_health_checker_kick(struct lb_health_checker *c, uint64_t now)
{
	if (!c->running && c->next_at > now)
		c->next_at = now;
}

bool
lb_health_rs_shutdown(struct lb_health_rs *rs, bool omega, struct lb_health_event *ev)
{
	bool was = rs->alive;

	ev->type = LB_HEALTH_EV_NONE;
	ev->reason[0] = '\0';
	rs->alive = false;
	if (!omega || !was)
		return false;
	ev->type = LB_HEALTH_EV_DOWN;
	snprintf(ev->reason, sizeof(ev->reason), "shutting down (omega)");
	return true;
}
