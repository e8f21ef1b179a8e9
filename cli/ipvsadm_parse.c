/* SPDX-License-Identifier: BSD-3-Clause */
/* ipvsadm(8) command lines -> struct lb_ipvs_cmd. No state, no I/O. */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ipvsadm.h"
#include "sched/sched.h"

#define DEFAULT_PERSISTENCE 360	/* -p with no value: libipvs IPVS_SVC_PERSISTENT_TIMEOUT */

#define fail lb_ipvsadm_fail

int
lb_ipvsadm_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
parse_uint(const char *s, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int
parse_flags(const char *s, uint32_t *flags)
{
	static const struct { const char *name; uint32_t flag; } names[] = {
		{ "sh-fallback", LB_SVC_F_SH_FALLBACK }, { "sh-port", LB_SVC_F_SH_PORT },
		{ "mh-fallback", LB_SVC_F_MH_FALLBACK }, { "mh-port", LB_SVC_F_MH_PORT },
	};
	char buf[128], *save = NULL, *w;
	unsigned int i;

	snprintf(buf, sizeof(buf), "%s", s);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < 4 && strcmp(w, names[i].name) != 0; i++)
			;
		if (i == 4)
			return -EINVAL;
		*flags |= names[i].flag;
	}
	return 0;
}

/* The command letter or long name of argv[i], or 0. */
static int
command_of(const char *a)
{
	static const struct { const char *l; int c; } longs[] = {
		{ "--add-service", 'A' }, { "--edit-service", 'E' }, { "--delete-service", 'D' },
		{ "--clear", 'C' }, { "--add-server", 'a' }, { "--edit-server", 'e' },
		{ "--delete-server", 'd' }, { "--list", 'L' }, { "--save", 'S' }, { "--set", 's' },
		{ "--zero", 'Z' }, { "--help", 'h' },
		{ "--start-daemon", 'M' }, { "--stop-daemon", 'N' },
	};
	unsigned int i;

	if (a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] == '\0' && strchr("AEDCaedLlSZh", a[1]))
		return a[1] == 'l' ? 'L' : a[1];
	for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
		if (strcmp(a, longs[i].l) == 0)
			return longs[i].c;
	return 0;
}

static enum lb_ipvs_op
op_of(int c)
{
	switch (c) {
	case 'A': return LB_IPVS_ADD_SVC;
	case 'E': return LB_IPVS_EDIT_SVC;
	case 'D': return LB_IPVS_DEL_SVC;
	case 'C': return LB_IPVS_CLEAR;
	case 'a': return LB_IPVS_ADD_RS;
	case 'e': return LB_IPVS_EDIT_RS;
	case 'd': return LB_IPVS_DEL_RS;
	case 'S': return LB_IPVS_SAVE;
	case 's': return LB_IPVS_SET;
	case 'Z': return LB_IPVS_ZERO;
	case 'h': return LB_IPVS_HELP;
	case 'M': return LB_IPVS_START_DAEMON;
	case 'N': return LB_IPVS_STOP_DAEMON;
	default: return LB_IPVS_LIST;
	}
}

/* One option (and its value, when it takes one) at argv[*i]. */
static int
parse_option(int argc, char **argv, int *i, struct lb_ipvs_cmd *cmd, char *err, size_t len)
{
	const char *o = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	bool has_value = v != NULL && v[0] != '-';

#define NEED_VALUE() do {						\
		if (!has_value)						\
			return fail(err, len, "option %s needs a value", o);	\
		(*i)++;							\
	} while (0)
	if (!strcmp(o, "-t") || !strcmp(o, "--tcp-service") || !strcmp(o, "-u") ||
	    !strcmp(o, "--udp-service")) {
		NEED_VALUE();
		cmd->svc.proto = o[1] == 't' || o[2] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		if (lb_parse_ipv4_endpoint(v, &cmd->svc.vip, &cmd->svc.port, false) != 0)
			return fail(err, len, "illegal virtual server address[:port] '%s'", v);
		cmd->has_svc = true;
	} else if (!strcmp(o, "-s") || !strcmp(o, "--scheduler")) {
		NEED_VALUE();
		if (lb_sched_find(v) == NULL)
			return fail(err, len, "Scheduler not found: %s (one of: %s)", v,
				    lb_sched_names());
		snprintf(cmd->svc.sched, sizeof(cmd->svc.sched), "%s", v);
	} else if (!strcmp(o, "-p") || !strcmp(o, "--persistent")) {
		cmd->svc.flags |= LB_SVC_F_PERSISTENT;
		cmd->svc.persistence = DEFAULT_PERSISTENCE;
		if (has_value) {
			(*i)++;
			if (parse_uint(v, 2678400, &cmd->svc.persistence) != 0 ||
			    cmd->svc.persistence == 0)
				return fail(err, len, "illegal timeout for persistent service '%s'", v);
		}
	} else if (!strcmp(o, "-M") || !strcmp(o, "--netmask")) {
		uint8_t plen;

		NEED_VALUE();
		if (lb_parse_ipv4_prefix(v, &cmd->svc.netmask, &plen, false) != 0 ||
		    cmd->svc.netmask == 0 || (~cmd->svc.netmask & (~cmd->svc.netmask + 1)) != 0)
			return fail(err, len, "illegal persistence netmask '%s'", v);
	} else if (!strcmp(o, "-b") || !strcmp(o, "--sched-flags")) {
		NEED_VALUE();
		if (parse_flags(v, &cmd->svc.flags) != 0)
			return fail(err, len, "invalid scheduler flag in '%s' (sh-fallback, sh-port, "
				    "mh-fallback, mh-port)", v);
	} else if (!strcmp(o, "-r") || !strcmp(o, "--real-server")) {
		NEED_VALUE();
		if (lb_parse_ipv4_endpoint(v, &cmd->rs.addr, &cmd->rs.port, true) != 0)
			return fail(err, len, "illegal real server address[:port] '%s'", v);
		cmd->has_rs = true;
	} else if (!strcmp(o, "-g") || !strcmp(o, "--gatewaying")) {
		cmd->rs.fwd = LB_FWD_DR;
	} else if (!strcmp(o, "-i") || !strcmp(o, "--ipip")) {
		cmd->rs.fwd = LB_FWD_TUN;
	} else if (!strcmp(o, "-m") || !strcmp(o, "--masquerading")) {
		cmd->rs.fwd = LB_FWD_NAT;
	} else if (!strcmp(o, "--fullnat")) {
		cmd->rs.fwd = LB_FWD_FNAT;
	} else if (!strcmp(o, "-w") || !strcmp(o, "--weight")) {
		NEED_VALUE();
		if (parse_uint(v, 65535, &cmd->rs.weight) != 0)
			return fail(err, len, "illegal weight specified '%s' (0-65535)", v);
	} else if (!strcmp(o, "-x") || !strcmp(o, "--u-threshold")) {
		NEED_VALUE();
		if (parse_uint(v, INT32_MAX, &cmd->rs.u_threshold) != 0)
			return fail(err, len, "illegal u_threshold specified '%s'", v);
	} else if (!strcmp(o, "-y") || !strcmp(o, "--l-threshold")) {
		NEED_VALUE();
		if (parse_uint(v, INT32_MAX, &cmd->rs.l_threshold) != 0)
			return fail(err, len, "illegal l_threshold specified '%s'", v);
	} else if (!strcmp(o, "-n") || !strcmp(o, "--numeric")) {
		cmd->numeric = true;
	} else if (!strcmp(o, "--stats")) {
		cmd->stats = true;
	} else if (!strcmp(o, "--timeout")) {
		cmd->timeout = true;
	} else if (!strcmp(o, "--thresholds")) {
		cmd->thresholds = true;
	} else if (!strcmp(o, "--persistent-conn")) {
		cmd->persist = true;
	} else if (!strcmp(o, "--rate")) {
		cmd->rate = true;
	} else if (!strcmp(o, "-f") || !strcmp(o, "--fwmark-service")) {
		return fail(err, len, "firewall-mark services (%s) need netfilter marks, which "
			    "packets never get on a DPDK data path: use -t|-u VIP:PORT", o);
	} else if (!strcmp(o, "-c") || !strcmp(o, "--connection")) {
		cmd->conns = true;
	} else if (!strcmp(o, "-X") || !strcmp(o, "--exact")) {
		cmd->exact = true;
	} else if (!strcmp(o, "--sort")) {
		/* listings are always sorted, as ipvsadm does by default */
	} else {
		int rc = lb_ipvsadm_parse_daemon_opt(argc, argv, i, cmd, err, len);

		if (rc <= 0)
			return rc;
		return fail(err, len, "unknown or unsupported option '%s'", o);
	}
#undef NEED_VALUE
	return 0;
}

/*
 * Short options run together as popt allows (-Ln, -lnc, -Zn): every letter
 * one that takes no value. Returns 1 when arg was such a group, 0 when it
 * is not one, -EINVAL for a second command.
 */
static int
short_flags(const char *arg, struct lb_ipvs_cmd *cmd, int *commands, char *err, size_t len)
{
	const char *p;

	if (arg[0] != '-' || arg[1] == '-' || strlen(arg) < 3 ||
	    strspn(arg + 1, "LlZncX") != strlen(arg + 1))
		return 0;
	for (p = arg + 1; *p; p++) {
		if (*p == 'L' || *p == 'l' || *p == 'Z') {
			if ((*commands)++ > 0)
				return fail(err, len, "only one command at a time ('%s')", arg);
			cmd->op = *p == 'Z' ? LB_IPVS_ZERO : LB_IPVS_LIST;
		} else if (*p == 'n') {
			cmd->numeric = true;
		} else if (*p == 'c') {
			cmd->conns = true;
		} else {
			cmd->exact = true;
		}
	}
	return 1;
}

int
lb_ipvsadm_parse(int argc, char **argv, struct lb_ipvs_cmd *cmd, char *err, size_t errlen)
{
	int i, c, commands = 0, rc;

	memset(cmd, 0, sizeof(*cmd));
	snprintf(cmd->svc.sched, sizeof(cmd->svc.sched), "wlc");
	cmd->svc.netmask = 0xffffffff;
	cmd->rs.fwd = LB_FWD_DR;	/* ipvsadm's default: -g */
	cmd->rs.weight = 1;
	for (i = 0; i < argc; i++) {
		rc = short_flags(argv[i], cmd, &commands, err, errlen);
		if (rc < 0)
			return rc;
		if (rc > 0)
			continue;
		c = command_of(argv[i]);
		if (c != 0) {
			if (commands++ > 0)
				return fail(err, errlen, "only one command at a time ('%s')", argv[i]);
			cmd->op = op_of(c);
			if (c == 'M' || c == 'N') {
				rc = lb_ipvsadm_parse_daemon_role(i + 1 < argc ? argv[++i] : NULL,
								  cmd, err, errlen);
				if (rc != 0)
					return rc;
			}
			if (c == 's') {
				unsigned int k;

				for (k = 0; k < 3; k++)
					if (i + 1 >= argc ||
					    parse_uint(argv[++i], 2147483, &cmd->timeouts[k]) != 0)
						return fail(err, errlen, "--set needs three timeouts: "
							    "tcp tcpfin udp (seconds, 0 = unchanged)");
			}
			continue;
		}
		rc = parse_option(argc, argv, &i, cmd, err, errlen);
		if (rc != 0)
			return rc;
	}
	switch (cmd->op) {
	case LB_IPVS_ADD_SVC: case LB_IPVS_EDIT_SVC: case LB_IPVS_DEL_SVC:
		if (!cmd->has_svc)
			return fail(err, errlen, "this command needs -t|-u VIP:port");
		break;
	case LB_IPVS_ADD_RS: case LB_IPVS_EDIT_RS: case LB_IPVS_DEL_RS:
		if (!cmd->has_svc || !cmd->has_rs)
			return fail(err, errlen, "this command needs -t|-u VIP:port and -r RIP[:port]");
		break;
	default:
		break;
	}
	if (cmd->rs.u_threshold != 0 && cmd->rs.l_threshold > cmd->rs.u_threshold)
		return fail(err, errlen, "l_threshold %u is above u_threshold %u",
			    cmd->rs.l_threshold, cmd->rs.u_threshold);
	return 0;
}
