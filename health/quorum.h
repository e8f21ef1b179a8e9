/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_QUORUM_H
#define LB_HEALTH_QUORUM_H

/*
 * keepalived virtual_server `quorum`, `hysteresis`, `sorry_server` and real
 * server `inhibit_on_failure`, as pure logic that tells the caller what to
 * change in the service (keepalived/check/ipwrapper.c: set_quorum_states,
 * update_quorum_state, perform_svr_state, perform_quorum_state):
 *  - quorum is over the sum of the weights of alive real servers;
 *  - it starts up when sum >= quorum + hysteresis;
 *  - it is gained when sum >= quorum + hysteresis, lost when sum == 0 or
 *    sum < quorum - hysteresis (the band in between keeps the state);
 *  - on loss with a sorry server: alive real servers leave the pool and the
 *    sorry server enters; on gain: the sorry server leaves, alive real
 *    servers come back. With no sorry server only the event is reported;
 *  - while the sorry server serves, a real server's UP/DOWN changes no pool;
 *  - inhibit_on_failure: a failed real server is kept with weight 0 (its
 *    connections stay) instead of being removed, and restored when it passes.
 * Control lcore only; not thread-safe.
 */
#include <stdbool.h>
#include <stdint.h>

struct lb_health_quorum {
	uint64_t quorum;		/* keepalived default 1 */
	uint64_t hysteresis;		/* keepalived default 0 */
	bool has_sorry;			/* a sorry_server is configured */
	bool up;			/* quorum state */
	bool sorry_active;		/* the sorry server is in the pool */
};

enum lb_health_q_ev {
	LB_HEALTH_Q_NONE,
	LB_HEALTH_Q_GAINED,		/* run notify_up (quorum_up) */
	LB_HEALTH_Q_LOST,		/* run notify_down (quorum_down) */
};

/* What quorum init/update asks the caller to do, in this order. */
struct lb_health_q_action {
	enum lb_health_q_ev ev;
	bool pool_out;			/* take every alive real server out */
	bool sorry_add;			/* put the sorry server in */
	bool sorry_remove;		/* take the sorry server out */
	bool pool_in;			/* put every alive real server back */
	uint64_t weight_sum;		/* live weight that decided it */
	uint64_t threshold;		/* quorum +/- hysteresis compared with */
};

/* What to do with one real server whose health changed. */
enum lb_health_rs_action {
	LB_HEALTH_RS_NOTHING,		/* sorry server active: pool untouched */
	LB_HEALTH_RS_ADD,		/* add to the pool */
	LB_HEALTH_RS_REMOVE,		/* remove from the pool */
	LB_HEALTH_RS_WEIGHT0,		/* inhibit_on_failure: keep, weight 0 */
	LB_HEALTH_RS_RESTORE,		/* inhibit_on_failure: configured weight */
};

/*
 * Start: the state from the initial live weight (after alpha). When quorum
 * starts down and a sorry server is configured, act->ev is LB_HEALTH_Q_LOST
 * and *act asks to put it in; otherwise act->ev is LB_HEALTH_Q_NONE.
 */
void lb_health_quorum_init(struct lb_health_quorum *q, uint64_t quorum, uint64_t hysteresis,
			   bool has_sorry, uint64_t live_weight, struct lb_health_q_action *act);

/*
 * The pool action for a real server that became alive (up) or failed,
 * before lb_health_quorum_update is called with the new live weight.
 */
enum lb_health_rs_action lb_health_quorum_rs_action(const struct lb_health_quorum *q,
						    bool up, bool inhibit);

/*
 * Live weight changed (a real server up/down or a weight change). Returns
 * true with *act filled when quorum was gained or lost.
 */
bool lb_health_quorum_update(struct lb_health_quorum *q, uint64_t live_weight,
			     struct lb_health_q_action *act);

#endif
