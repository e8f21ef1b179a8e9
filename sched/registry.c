/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every scheduler, looked up by its ipvsadm -s name.
 */
#include <string.h>

#include "sched/sched_priv.h"

static const struct lb_sched_ops *const scheds[] = {
	&lb_sched_rr_ops, &lb_sched_wrr_ops, &lb_sched_lc_ops, &lb_sched_wlc_ops,
	&lb_sched_lblc_ops, &lb_sched_lblcr_ops, &lb_sched_dh_ops, &lb_sched_sh_ops,
	&lb_sched_sed_ops, &lb_sched_nq_ops, &lb_sched_fo_ops, &lb_sched_ovf_ops,
	&lb_sched_mh_ops, &lb_sched_twos_ops,
};

/* Kept in the order of scheds[]; the unit tests check they agree. */
static const char names[] = "rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos";

/* The scheduler called name, or NULL. Any lcore. */
const struct lb_sched_ops *
lb_sched_find(const char *name)
{
	unsigned int i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < RTE_DIM(scheds); i++)
		if (strcmp(scheds[i]->name, name) == 0)
			return scheds[i];
	return NULL;
}

/* Every scheduler name, space separated. Any lcore. */
const char *
lb_sched_names(void)
{
	return names;
}

/* 0, -ENOENT (unknown scheduler) or -EINVAL (bad sched_param). Any lcore. */
int
lb_sched_check_param(const char *name, uint32_t param)
{
	const struct lb_sched_ops *ops = lb_sched_find(name);

	if (ops == NULL)
		return -ENOENT;
	if (ops == &lb_sched_mh_ops)
		return lb_sched_mh_check_size(param);
	return 0;
}
