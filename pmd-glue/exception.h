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

/*
 * Check that p's exception TAP still has its kernel interface (same name,
 * same index). When it is gone (`ip link del`, a script, a container
 * runtime), log it once, count it (p->exception_lost), close the TAP and
 * open it again with the same name, addresses and route; when that fails,
 * say why once and try again at the next call (p->exception_broken). In
 * between, the box's own traffic is dropped as no_exception_path. A port
 * without an exception path is left alone. Control lcore, about once a
 * second. Returns 0 when the exception path is in place, -errno otherwise.
 */
int lb_exception_check(struct lb_port *p);

#endif
