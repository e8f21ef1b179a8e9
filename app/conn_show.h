/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONN_SHOW_H
#define LB_CONN_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "app/conn.h"

/* Rows one listing prints at most: a CLI session's output stays bounded. */
#define LB_CONN_SHOW_MAX 10000

/* Which connections `show conn` lists; zero fields match anything. */
struct lb_conn_filter {
	uint8_t proto;			/* IPPROTO_TCP / IPPROTO_UDP, 0 = both */
	int state;			/* enum lb_tcp_state, -1 = any */
	bool templates;			/* persistence templates only */
	rte_be32_t client, vip, rs;	/* network order, 0 = any */
	rte_be16_t client_port, vip_port, rs_port;
	unsigned int limit;		/* rows at most (1..LB_CONN_SHOW_MAX) */
};

/*
 * `ipvsadm -L -c -n`: ipvsadm's header and one line per connection and
 * persistence template (templates in state NONE), byte for byte its
 * format; at most LB_CONN_SHOW_MAX lines, then a line saying so.
 * persistent_conn: the header of `-c --persistent-conn`. Control lcore.
 */
void lb_conn_show_ipvsadm(FILE *out, bool persistent_conn);

/*
 * `show conn`: the connections that pass f, with the FNAT local address,
 * forwarding method and owning worker, then how many were shown. Control
 * lcore.
 */
void lb_conn_show(FILE *out, const struct lb_conn_filter *f);

#endif
