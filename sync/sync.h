/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYNC_H
#define LB_SYNC_H

/*
 * Connection sync between directors (LVS's sync daemon).
 *
 * Master side: a connection is due when it is older than the threshold
 * and was never sent, its state changed since it was, or it was not sent
 * for `refresh` seconds. A worker finds it due on one of its packets
 * (lb_sync_conn_seen) or, idle, as it walks its own table a few entries a
 * loop (lb_sync_worker_poll), and copies it into an event on its own ring;
 * a connection it removes after syncing it becomes an expire event (state
 * CLOSE, 1 s). The control lcore drains the rings into LVS version-1
 * messages of up to maxlen bytes and sends them by UDP to the group or the
 * peers (sync/daemon.c). A full ring drops the event and counts it; the
 * walk tries again. A message lost on the wire (version 1 carries no
 * sequence number to count it by) is made good by the refresh.
 *
 * Persistence templates travel the same way (LVS's template flag).
 *
 * Backup side: the control lcore decodes each message (lb_sync_input) and
 * hands every connection through a ring to one worker (by client
 * address/port), which installs it in its own table with the master's real
 * server, ports, state and remaining timeout (lb_sync_worker_poll), so only
 * owners ever write their table.
 *
 * The role follows a VRRP instance (MASTER sends, other states receive), or
 * is fixed in the config, or set with ipvsadm --start-daemon/--stop-daemon.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "app/conn.h"
#include "config/config.h"

enum lb_sync_role { LB_SYNC_ROLE_MASTER = 0, LB_SYNC_ROLE_BACKUP, LB_SYNC_ROLES };

/* What ipvsadm --start-daemon sets for one role (host order; 0 = default). */
struct lb_sync_params {
	char iface[LB_NAME_LEN];	/* --mcast-interface; "" = the config's */
	uint8_t syncid;			/* --syncid */
	uint16_t maxlen;		/* --sync-maxlen */
	uint32_t group;			/* --mcast-group */
	uint16_t port;			/* --mcast-port */
	uint8_t ttl;			/* --mcast-ttl */
};

/* Non-zero while this box sends: workers read it on every packet. */
extern volatile uint32_t lb_sync_master_on;

/* See the top: the non-inline part of lb_sync_conn_seen. */
void lb_sync_conn_note(unsigned int worker, struct lb_conn *c, uint64_t now);

/*
 * After a packet of c was accounted (lb_conn_seen): queue c for the backups
 * when it is due. One load and branch when not master. Worker lcores; no
 * lock, no syscall, no allocation.
 */
static inline void
lb_sync_conn_seen(unsigned int worker, struct lb_conn *c, uint64_t now)
{
	if (likely(lb_sync_master_on == 0))
		return;
	lb_sync_conn_note(worker, c, now);
}

/*
 * Install the connections the control lcore handed to this worker (a
 * burst at most). Worker lcore `worker` only. Returns how many it took.
 */
unsigned int lb_sync_worker_poll(unsigned int worker, uint64_t now);

/*
 * Module init, after lcores, connections and ports: rings, the config's
 * roles (or VRRP-driven). Control lcore. Returns 0 or -errno (logged).
 */
int lb_sync_init(const struct lb_config *cfg);

/* Module term: stop both roles, free the rings. Workers must have stopped. */
void lb_sync_term(void);

/*
 * Control loop step: follow the VRRP instance, drain the workers' events
 * into messages, send a message full or older than 20 ms. Control lcore.
 * Returns the work done (0 = idle).
 */
unsigned int lb_sync_poll(void);

/*
 * Take m (an IPv4 frame from lb_local_input, l2_len/l3_len set) when it is
 * a sync message for a running backup: decode, count, hand its connections
 * to the workers. Returns true when m was taken (freed here). Control lcore.
 */
bool lb_sync_input(struct rte_mbuf *m);

/*
 * ipvsadm --start-daemon ROLE: start role with p over the config's
 * defaults. Control lcore. Returns 0, -EEXIST ("Daemon has already run"),
 * -ENODEV (no such interface) or -EINVAL (msg says what).
 */
int lb_sync_start(enum lb_sync_role role, const struct lb_sync_params *p, char *msg,
		  size_t len);

/* ipvsadm --stop-daemon ROLE. Returns 0 or -ESRCH ("No daemon is running"). */
int lb_sync_stop(enum lb_sync_role role);

/* ipvsadm --daemon (-L --daemon): ipvsadm's exact lines. Control lcore. */
void lb_sync_list(FILE *out);

/* `show sync`: roles, peers, messages, drops and errors. Control lcore. */
void lb_sync_show(FILE *out);

#endif
