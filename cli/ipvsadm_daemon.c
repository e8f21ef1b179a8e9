/* SPDX-License-Identifier: BSD-3-Clause */
/* ipvsadm(8)'s sync-daemon options -> struct lb_ipvs_cmd. No state, no I/O. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ipvsadm.h"

#define fail lb_ipvsadm_fail

static int
number(const char *s, unsigned long min, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

int
lb_ipvsadm_parse_daemon_role(const char *v, struct lb_ipvs_cmd *cmd, char *err, size_t len)
{
	if (v != NULL && strcmp(v, "master") == 0)
		cmd->d.role = 0;
	else if (v != NULL && strcmp(v, "backup") == 0)
		cmd->d.role = 1;
	else
		return fail(err, len, "illegal start-daemon parameter specified '%s' (master or "
			    "backup)", v ? v : "");
	return 0;
}

int
lb_ipvsadm_parse_daemon_opt(int argc, char **argv, int *i, struct lb_ipvs_cmd *cmd,
			    char *err, size_t len)
{
	static const struct { const char *name; unsigned long min, max; const char *what; } nums[] = {
		{ "--syncid", 0, 255, "illegal syncid specified" },
		{ "--sync-maxlen", 72, 65507, "illegal sync-maxlen specified" },
		{ "--mcast-port", 1, 65535, "illegal mcast-port specified" },
		{ "--mcast-ttl", 1, 255, "illegal mcast-ttl specified" },
	};
	unsigned int *outs[] = { &cmd->d.syncid, &cmd->d.maxlen, &cmd->d.port, &cmd->d.ttl };
	const char *o = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	unsigned int k;
	uint8_t plen;

	if (strcmp(o, "--daemon") == 0) {
		cmd->daemon = true;
		return 0;
	}
	for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		if (strcmp(o, nums[k].name) == 0) {
			if (number(v, nums[k].min, nums[k].max, outs[k]) != 0)
				return fail(err, len, "%s '%s' (%lu-%lu)", nums[k].what, v ? v : "",
					    nums[k].min, nums[k].max);
			(*i)++;
			return 0;
		}
	if (strcmp(o, "--mcast-interface") == 0) {
		if (v == NULL || v[0] == '\0' || v[0] == '-' || strlen(v) >= sizeof(cmd->d.iface))
			return fail(err, len, "illegal mcast-interface specified '%s'", v ? v : "");
		strcpy(cmd->d.iface, v);
		(*i)++;
		return 0;
	}
	if (strcmp(o, "--mcast-group") == 0) {
		if (v == NULL || lb_parse_ipv4_prefix(v, &cmd->d.group, &plen, false) != 0 ||
		    plen != 32 || (cmd->d.group >> 28) != 0xe)
			return fail(err, len, "invalid IPv4 mcast-group `%s'", v ? v : "");
		(*i)++;
		return 0;
	}
	return 1;
}
