/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_EXCEPTION_H
#define LB_EXCEPTION_H

#include "pmd-glue/port.h"

/*
 * Open the exception path of data port p: a net_tap device whose kernel
 * interface (p->cfg->exception_name) carries p's MAC, MTU and addresses
 * and a default route via the gateway, so kernel sockets (health checks,
 * ssh, the CLI's peers) talk through the data port. IPv6 is disabled on it.
 * Control lcore, after p is started. Returns 0 or -errno (logged).
 */
int lb_exception_open(struct lb_port *p);

/* Stop and remove p's TAP, if any. */
void lb_exception_close(struct lb_port *p);

#endif
