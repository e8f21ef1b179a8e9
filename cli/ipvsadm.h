/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CLI_IPVSADM_H
#define LB_CLI_IPVSADM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/config.h"

/* The command an ipvsadm(8) line asks for. */
enum lb_ipvs_op {
	LB_IPVS_LIST = 0,	/* -L / -l (the default with no command) */
	LB_IPVS_ADD_SVC,	/* -A */
	LB_IPVS_EDIT_SVC,	/* -E */
	LB_IPVS_DEL_SVC,	/* -D */
	LB_IPVS_CLEAR,		/* -C */
	LB_IPVS_ADD_RS,		/* -a */
	LB_IPVS_EDIT_RS,	/* -e */
	LB_IPVS_DEL_RS,		/* -d */
	LB_IPVS_SAVE,		/* -S */
	LB_IPVS_SET,		/* --set tcp tcpfin udp */
	LB_IPVS_ZERO,		/* -Z [-t|-u service] */
	LB_IPVS_HELP,		/* -h */
	LB_IPVS_START_DAEMON,	/* --start-daemon master|backup */
	LB_IPVS_STOP_DAEMON,	/* --stop-daemon master|backup */
};

/* The sync-daemon options of --start-daemon (0 / "" = the config's). */
struct lb_ipvs_daemon {
	unsigned int role;		/* 0 master, 1 backup */
	char iface[32];			/* --mcast-interface */
	unsigned int syncid;		/* --syncid */
	unsigned int maxlen;		/* --sync-maxlen */
	uint32_t group;			/* --mcast-group (host order) */
	unsigned int port;		/* --mcast-port */
	unsigned int ttl;		/* --mcast-ttl */
};

struct lb_ipvs_cmd {
	enum lb_ipvs_op op;
	bool has_svc;			/* -t/-u given */
	struct lb_cfg_service svc;	/* proto, vip, port, sched, flags, persistence, netmask */
	bool has_rs;			/* -r given */
	struct lb_cfg_rs rs;		/* addr, port (0 = the service's), fwd, weight, -x, -y */
	bool numeric, stats, rate, exact;
	bool conns;			/* -L -c: the connection entries */
	bool timeout;			/* -L --timeout */
	bool thresholds, persist;	/* -L --thresholds, --persistent-conn */
	unsigned int timeouts[3];	/* --set tcp tcpfin udp (0 = unchanged) */
	bool daemon;			/* -L --daemon */
	struct lb_ipvs_daemon d;	/* --start-daemon / --stop-daemon */
};

/* Format a message into err (len bytes); returns -EINVAL. Pure. */
int __attribute__((format(printf, 3, 4)))
lb_ipvsadm_fail(char *err, size_t len, const char *fmt, ...);

/*
 * The sync-daemon option at argv[*i] (--mcast-interface, --syncid,
 * --sync-maxlen, --mcast-group, --mcast-port, --mcast-ttl, --daemon) into
 * cmd, *i moved past its value. Returns 0, 1 when argv[*i] is none of them,
 * or -EINVAL with a message naming the bad value in err. Pure.
 */
int lb_ipvsadm_parse_daemon_opt(int argc, char **argv, int *i, struct lb_ipvs_cmd *cmd,
				char *err, size_t len);

/* "master" / "backup" of --start-daemon / --stop-daemon into cmd. Pure. */
int lb_ipvsadm_parse_daemon_role(const char *v, struct lb_ipvs_cmd *cmd, char *err,
				 size_t len);

/*
 * Parse ipvsadm arguments (argv[0] is the first option, not "ipvsadm")
 * into cmd with ipvsadm's defaults: scheduler wlc, persistence when
 * -p has no value (libipvs's 360 s), netmask 255.255.255.255, forwarding -g (route), weight 1.
 * Pure. Returns 0, or -EINVAL with a message naming the bad argument in err.
 */
int lb_ipvsadm_parse(int argc, char **argv, struct lb_ipvs_cmd *cmd, char *err,
		     size_t errlen);

/*
 * Run cmd against the running services (cfg is the running config, kept
 * in step): edits republish the service snapshot; listings print
 * ipvsadm's formats. Messages as ipvsadm prints them ("Service not
 * defined", "Destination already exists"). Control lcore. Returns 0 or
 * -errno (message in out).
 */
int lb_ipvsadm_exec(struct lb_config *cfg, const struct lb_ipvs_cmd *cmd, FILE *out);

#endif
