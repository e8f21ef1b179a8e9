/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_LISTEN_H
#define LB_LISTEN_H

#include <stdint.h>

/*
 * A non-blocking TCP listener (close-on-exec, SO_REUSEADDR, backlog 16)
 * on dotted-quad addr and port, for the control lcore's servers (CLI,
 * metrics). Returns the socket, -EINVAL when addr is not an IPv4 address,
 * or -errno of the call that failed (the caller says what to change).
 */
int lb_tcp_listen(const char *addr, uint16_t port);

#endif
