/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Quorum and hysteresis over live weight, sorry server and
 * inhibit_on_failure actions. See quorum.h.
 */
#include <string.h>

#include "health/quorum.h"

static uint64_t
sub_floor(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void
lb_health_quorum_init(struct lb_health_quorum *q, uint64_t quorum, uint64_t hysteresis,
		      bool has_sorry, uint64_t live_weight, struct lb_health_q_action *act)
{
	memset(q, 0, sizeof(*q));
	memset(act, 0, sizeof(*act));
	q->quorum = quorum;
	q->hysteresis = hysteresis;
	q->has_sorry = has_sorry;
	/* set_quorum_states(): up when sum >= quorum + hysteresis */
	q->up = live_weight >= quorum + hysteresis;
	act->weight_sum = live_weight;
	act->threshold = quorum + hysteresis;
	if (!q->up && has_sorry) {
		/* update_quorum_state(init): starting down, add the sorry server */
		act->ev = LB_HEALTH_Q_LOST;
		act->pool_out = true;
		act->sorry_add = true;
		q->sorry_active = true;
	}
}

enum lb_health_rs_action
lb_health_quorum_rs_action(const struct lb_health_quorum *q, bool up, bool inhibit)
{
	/* perform_svr_state(): change the pool only with quorum or no sorry */
	if (q->sorry_active)
		return LB_HEALTH_RS_NOTHING;
	if (inhibit)
		return up ? LB_HEALTH_RS_RESTORE : LB_HEALTH_RS_WEIGHT0;
	return up ? LB_HEALTH_RS_ADD : LB_HEALTH_RS_REMOVE;
}

bool
lb_health_quorum_update(struct lb_health_quorum *q, uint64_t live_weight,
			struct lb_health_q_action *act)
{
	memset(act, 0, sizeof(*act));
	act->weight_sum = live_weight;
	if (!q->up) {
		act->threshold = q->quorum + q->hysteresis;
		if (live_weight < act->threshold)
			return false;
		q->up = true;
		act->ev = LB_HEALTH_Q_GAINED;
		if (q->sorry_active) {
			act->sorry_remove = true;
			act->pool_in = true;
			q->sorry_active = false;
		}
		return true;
	}
	act->threshold = sub_floor(q->quorum, q->hysteresis);
	if (live_weight != 0 && live_weight >= act->threshold)
		return false;
	q->up = false;
	act->ev = LB_HEALTH_Q_LOST;
	if (q->has_sorry && !q->sorry_active) {
		act->pool_out = true;
		act->sorry_add = true;
		q->sorry_active = true;
	}
	return true;
}
