/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection sync between directors, in both readers:
 *
 *   native:      sync_daemon = { interface = "eth0"; vrrp_instance = "VI_1";
 *                                syncid = 1; maxlen = 1472; group = "224.0.0.81";
 *                                port = 8848; ttl = 1; peers = [ "198.18.1.3" ];
 *                                threshold = 3; refresh = 30; };
 *                (role = "master" | "backup" | "both" in place of vrrp_instance)
 *   keepalived:  global_defs { lvs_sync_daemon IFACE VRRP_INSTANCE [id N]
 *                              [maxlen N] [port N] [ttl N] [group ADDR] }
 *
 * Read after the interfaces and the VRRP instances it names.
 */
#include <errno.h>
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"

#define SYNC_GROUP 0xe0000051u	/* 224.0.0.81, LVS's */
#define SYNC_PORT 8848
#define UDP_IP_HDRS 28
#define DIM(a) (sizeof(a) / sizeof((a)[0]))

void
lb_cfg_sync_defaults(struct lb_cfg_sync *s)
{
	memset(s, 0, sizeof(*s));
	s->group = SYNC_GROUP;
	s->port = SYNC_PORT;
	s->ttl = 1;
	s->threshold_s = 3;
	s->refresh_s = 30;
}

/* A peer: unicast, not ours, on a subnet of ifc or with a gateway there. */
static bool
peer_ok(const struct lb_config *cfg, const struct lb_cfg_iface *ifc, uint32_t a)
{
	unsigned int i;

	if (a == 0 || (a >> 28) >= 0xe || (a >> 24) == 127 || lb_cfg_is_own_addr(cfg, a))
		return false;
	if (ifc->gateway != 0)
		return true;
	for (i = 0; i < ifc->nb_addrs; i++)
		if (lb_ipv4_in_prefix(a, &ifc->addrs[i]))
			return true;
	return false;
}

int
lb_cfg_sync_check(const struct lb_config *cfg, const struct lb_cfg_sync *s, char *msg,
		  size_t len)
{
	const struct lb_cfg_iface *ifc;
	unsigned int mtu, i;
	char a[16];

	if (!s->enabled)
		return 0;
	if (s->iface >= cfg->nb_ifaces) {
		snprintf(msg, len, "names no interface of this box");
		return -EINVAL;
	}
	ifc = &cfg->ifaces[s->iface];
	if (ifc->nb_addrs == 0) {
		snprintf(msg, len, "interface %s has no address to send from", ifc->name);
		return -EINVAL;
	}
	if (s->vrrp_instance[0] != '\0' && lb_cfg_find_vrrp(cfg, s->vrrp_instance) < 0) {
		snprintf(msg, len, "vrrp_instance '%s' is not defined", s->vrrp_instance);
		return -EINVAL;
	}
	if (s->vrrp_instance[0] == '\0' && s->roles == 0) {
		snprintf(msg, len, "needs vrrp_instance, or role \"master\", \"backup\" or \"both\"");
		return -EINVAL;
	}
	if ((s->group >> 28) != 0xe) {
		snprintf(msg, len, "group %s is not an IPv4 multicast address",
			 lb_ipv4_str(s->group, a, sizeof(a)));
		return -EINVAL;
	}
	mtu = lb_cfg_iface_mtu(ifc);
	if (s->maxlen != 0 && (s->maxlen < 72 || s->maxlen > mtu - UDP_IP_HDRS)) {
		snprintf(msg, len, "maxlen %u must be 72..%u (MTU %u of %s less 28)", s->maxlen,
			 mtu - UDP_IP_HDRS, mtu, ifc->name);
		return -EINVAL;
	}
	for (i = 0; i < s->nb_peers; i++)
		if (!peer_ok(cfg, ifc, s->peers[i])) {
			snprintf(msg, len, "peer %s is not a unicast address of another box on %s",
				 lb_ipv4_str(s->peers[i], a, sizeof(a)), ifc->name);
			return -EINVAL;
		}
	return 0;
}

/* ---- native: sync_daemon = { ... } ---- */

static const char *const keys[] = { "interface", "vrrp_instance", "role", "syncid", "maxlen",
	"group", "port", "ttl", "peers", "threshold", "refresh", NULL };

static void
parse_iface(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_sync *s)
{
	char name[LB_NAME_LEN];
	unsigned int i;

	if (lb_cfg_get_string(ctx, grp, "sync_daemon.", "interface", name, sizeof(name)) == NULL) {
		if (config_setting_get_member(grp, "interface") == NULL)
			lb_cfg_report(ctx, grp, "sync_daemon needs interface = \"NAME\" "
				      "(the interface sync messages use)");
		return;
	}
	for (i = 0; i < ctx->cfg->nb_ifaces; i++)
		if (strcmp(ctx->cfg->ifaces[i].name, name) == 0) {
			s->iface = i;
			return;
		}
	lb_cfg_report(ctx, config_setting_get_member(grp, "interface"),
		      "sync_daemon.interface '%s' is not in interfaces", name);
}

static void
parse_addrs(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_sync *s)
{
	const config_setting_t *list = config_setting_get_member(grp, "peers");
	char buf[32];
	uint8_t plen;
	int i, n;

	if (lb_cfg_get_string(ctx, grp, "sync_daemon.", "group", buf, sizeof(buf)) != NULL &&
	    (lb_parse_ipv4_prefix(buf, &s->group, &plen, false) != 0 || plen != 32))
		lb_cfg_report(ctx, config_setting_get_member(grp, "group"),
			      "sync_daemon.group '%s' is not an IPv4 address", buf);
	if (list == NULL)
		return;
	n = config_setting_length(list);
	if (!config_setting_is_array(list) || n == 0 || n > LB_SYNC_MAX_PEERS) {
		lb_cfg_report(ctx, list, "sync_daemon.peers must be a list of 1..%d addresses, "
			      "like [ \"198.18.1.3\" ]", LB_SYNC_MAX_PEERS);
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, i);
		const char *v = config_setting_get_string(e);

		if (v == NULL || lb_parse_ipv4_prefix(v, &s->peers[s->nb_peers], &plen, false) != 0 ||
		    plen != 32) {
			lb_cfg_report(ctx, e, "sync_daemon.peers[%d] must be an IPv4 address", i);
			continue;
		}
		s->nb_peers++;
	}
}

void
lb_cfg_parse_sync(struct parse_ctx *ctx, const config_setting_t *root)
{
	config_setting_t *grp = lb_cfg_get_group(ctx, root, "sync_daemon");
	struct lb_cfg_sync *s = &ctx->cfg->sync;
	unsigned int v;
	char role[16], msg[160];

	if (grp == NULL)
		return;
	lb_cfg_check_keys(ctx, grp, "sync_daemon", keys);
	s->enabled = true;
	s->line = config_setting_source_line(grp);
	parse_iface(ctx, grp, s);
	lb_cfg_get_string(ctx, grp, "sync_daemon.", "vrrp_instance", s->vrrp_instance,
			  sizeof(s->vrrp_instance));
	if (lb_cfg_get_string(ctx, grp, "sync_daemon.", "role", role, sizeof(role)) != NULL) {
		if (strcmp(role, "master") == 0)
			s->roles = LB_SYNC_MASTER;
		else if (strcmp(role, "backup") == 0)
			s->roles = LB_SYNC_BACKUP;
		else if (strcmp(role, "both") == 0)
			s->roles = LB_SYNC_MASTER | LB_SYNC_BACKUP;
		else
			lb_cfg_report(ctx, config_setting_get_member(grp, "role"),
				      "sync_daemon.role '%s' is not master, backup or both", role);
		if (s->vrrp_instance[0] != '\0')
			lb_cfg_report(ctx, config_setting_get_member(grp, "role"),
				      "sync_daemon: give vrrp_instance or role, not both");
	}
	if (lb_cfg_get_uint(ctx, grp, "sync_daemon.", "syncid", 0, 255, &v))
		s->syncid = (uint8_t)v;
	if (lb_cfg_get_uint(ctx, grp, "sync_daemon.", "maxlen", 72, 65507, &v))
		s->maxlen = (uint16_t)v;
	if (lb_cfg_get_uint(ctx, grp, "sync_daemon.", "port", 1, 65535, &v))
		s->port = (uint16_t)v;
	if (lb_cfg_get_uint(ctx, grp, "sync_daemon.", "ttl", 1, 255, &v))
		s->ttl = (uint8_t)v;
	lb_cfg_get_uint(ctx, grp, "sync_daemon.", "threshold", 0, 3600, &s->threshold_s);
	lb_cfg_get_uint(ctx, grp, "sync_daemon.", "refresh", 1, 3600, &s->refresh_s);
	parse_addrs(ctx, grp, s);
	if (ctx->err->count == 0 && lb_cfg_sync_check(ctx->cfg, s, msg, sizeof(msg)) != 0)
		lb_cfg_report(ctx, grp, "sync_daemon: %s", msg);
}

/* ---- keepalived: global_defs { lvs_sync_daemon ... } ---- */

/* One "NAME VALUE" option of lvs_sync_daemon at argv[i]; false when reported. */
static bool
kc_sync_option(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i,
	       struct lb_cfg_sync *s)
{
	static const struct { const char *name; long long min, max; } nums[] = {
		{ "id", 0, 255 }, { "maxlen", 72, 65507 }, { "port", 1, 65535 }, { "ttl", 1, 255 },
	};
	const char *o = n->argv[i];
	unsigned int k, v;

	if (i + 1 >= n->argc) {
		kc_err(ctx, n, "'lvs_sync_daemon': '%s' needs a value", o);
		return false;
	}
	if (strcmp(o, "group") == 0)
		return kc_addr_at(ctx, n, i + 1, &s->group);
	for (k = 0; k < DIM(nums); k++)
		if (strcmp(o, nums[k].name) == 0)
			break;
	if (k == DIM(nums)) {
		kc_err(ctx, n, "'lvs_sync_daemon': unknown option '%s' (id, maxlen, port, ttl, "
		       "group)", o);
		return false;
	}
	if (!kc_uint_at(ctx, n, i + 1, o, nums[k].min, nums[k].max, &v))
		return false;
	if (k == 0)
		s->syncid = (uint8_t)v;
	else if (k == 1)
		s->maxlen = (uint16_t)v;
	else if (k == 2)
		s->port = (uint16_t)v;
	else
		s->ttl = (uint8_t)v;
	return true;
}

/* True when w is an option name of lvs_sync_daemon, not an instance name. */
static bool
is_option(const char *w)
{
	return !strcmp(w, "id") || !strcmp(w, "maxlen") || !strcmp(w, "port") ||
	       !strcmp(w, "ttl") || !strcmp(w, "group");
}

void
kc_parse_sync(struct kc_ctx *ctx, const struct kc_node *n)
{
	struct lb_cfg_sync *s = &ctx->cfg->sync;
	unsigned int i;
	char msg[160];

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 12))
		return;
	for (i = 0; i < ctx->cfg->nb_ifaces; i++)
		if (strcmp(ctx->cfg->ifaces[i].name, n->argv[1]) == 0)
			break;
	if (i == ctx->cfg->nb_ifaces) {
		kc_err(ctx, n, "'lvs_sync_daemon': interface '%s' is not one dplb drives (use the "
		       "interface of a vrrp_instance)", n->argv[1]);
		return;
	}
	s->iface = i;
	s->line = n->line;
	i = 2;
	/* the instance is optional in keepalived; without it, dplb runs both roles */
	if (n->argc > 2 && !is_option(n->argv[2])) {
		if (strlen(n->argv[2]) >= sizeof(s->vrrp_instance)) {
			kc_err(ctx, n, "'lvs_sync_daemon': instance name '%s' is too long", n->argv[2]);
			return;
		}
		strcpy(s->vrrp_instance, n->argv[2]);
		i = 3;
	} else {
		s->roles = LB_SYNC_MASTER | LB_SYNC_BACKUP;
	}
	for (; i < n->argc; i += 2)
		if (!kc_sync_option(ctx, n, i, s))
			return;
	s->enabled = true;
	if (lb_cfg_sync_check(ctx->cfg, s, msg, sizeof(msg)) != 0) {
		kc_err(ctx, n, "'lvs_sync_daemon': %s", msg);
		s->enabled = false;
	}
}
