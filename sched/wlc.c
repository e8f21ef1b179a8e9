/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weighted least connection (ip_vs_wlc.c), ipvsadm's default: the server
 * with the smallest (activeconns * 256 + inactconns) / weight, see
 * lb_sched_wlc_pick() for the tie rules. Stateless.
 */
#include "sched/sched_priv.h"

static struct lb_dest *
wlc_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	RTE_SET_USED(in);
	RTE_SET_USED(worker);
	return lb_sched_wlc_pick(svc);
}

const struct lb_sched_ops lb_sched_wlc_ops = {
	.name = "wlc",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = wlc_schedule,
};
