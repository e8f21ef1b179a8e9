/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONTROL_H
#define LB_CONTROL_H

#include "config/config.h"

/*
 * Set up the control lcore's timers (link watch, neighbour aging). Call
 * after ports are up. Returns 0 or -errno.
 */
int lb_control_init(const struct lb_config *cfg);

/* Stop the timers. */
void lb_control_term(void);

/*
 * Body of the control lcore: drains the workers' rings, serves the box's
 * own traffic, moves kernel frames from the TAPs to the wire, runs timers
 * and the CLI, until lb_force_quit. Sleeps briefly when idle so it does not
 * burn a core. Main lcore only.
 */
void lb_control_main(void);

#endif
