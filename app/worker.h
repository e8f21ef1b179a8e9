/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_WORKER_H
#define LB_WORKER_H

#include "app/lcore.h"

/*
 * Handle one received burst on worker lcore lc: classify each frame, hand
 * local ones to the control lcore, queue forwarded ones for TX, drop and
 * count the rest. Consumes every mbuf. No locks, no syscalls; worker only.
 */
void lb_worker_process(struct lb_lcore *lc, uint16_t port_id,
		       struct rte_mbuf **pkts, uint16_t n);

/*
 * Body of a worker lcore (rte_eal_remote_launch): polls its RX queues and
 * its ring from the control lcore until lb_force_quit. arg: NULL, or an
 * unsigned int of microseconds to sleep once the queues have stayed empty
 * for a while (labs and VMs: a worker then leaves its core idle; 0 = poll
 * without rest, an appliance's choice). Returns 0.
 */
int lb_worker_main(void *arg);

#endif
