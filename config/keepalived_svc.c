/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtual_server IP PORT { ... } (and virtual_server group NAME, one
 * service per address of the group) -> lb_cfg_service with its real
 * servers; lb_kind applies to every real server. The service keywords are
 * read first, wherever they stand in the block, so real servers and their
 * checkers inherit lb_kind and the timing.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"
#include "sched/sched.h"

/* What a virtual_server block sets besides the service itself. */
struct vs_read {
	enum lb_fwd fwd;
	bool fwd_set, sorry_fwd_set;
	enum lb_fwd sorry_fwd;
	const struct kc_node *sorry;
	const char *vhost;		/* virtualhost: HTTP_GET's default */
};


#define MS_MAX (86400u * 1000u)

bool
kc_timing(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_timing *t)
{
	const char *kw = n->argv[0];

	if (strcmp(kw, "delay_loop") == 0)
		kc_ms(ctx, n, 10, MS_MAX, &t->delay_loop_ms);
	else if (strcmp(kw, "connect_timeout") == 0)
		kc_ms(ctx, n, 10, MS_MAX, &t->connect_timeout_ms);
	else if (strcmp(kw, "delay_before_retry") == 0)
		kc_ms(ctx, n, 0, MS_MAX, &t->delay_before_retry_ms);
	else if (strcmp(kw, "warmup") == 0)
		kc_ms(ctx, n, 0, MS_MAX, &t->warmup_ms);
	else if (strcmp(kw, "retry") == 0)
		kc_uint(ctx, n, 0, 1000, &t->retry);
	else if (strcmp(kw, "nb_get_retry") == 0) {
		kc_warn(ctx, n, "'nb_get_retry' is deprecated; keepalived calls it 'retry' now");
		kc_uint(ctx, n, 0, 1000, &t->retry);
	} else
		return false;
	return true;
}

/* NAT|DR|TUN of lb_kind / lvs_method / sorry_server_lvs_method. */
static bool
parse_fwd(struct kc_ctx *ctx, const struct kc_node *n, enum lb_fwd *fwd)
{
	static const char *const names[] = { [LB_FWD_NAT] = "NAT", [LB_FWD_DR] = "DR",
					     [LB_FWD_TUN] = "TUN" };
	unsigned int i;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
		return false;
	for (i = 0; i < 3; i++)
		if (strcmp(n->argv[1], names[i]) == 0) {
			*fwd = (enum lb_fwd)i;
			return true;
		}
	kc_err(ctx, n, "'%s' must be NAT, DR or TUN (got '%s')", n->argv[0], n->argv[1]);
	return false;
}

/* persistence_granularity MASK: a netmask (255.255.255.0) or prefix length. */
static void
parse_granularity(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_service *svc)
{
	unsigned int len;
	uint32_t m;
	uint8_t plen;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
		return;
	if (strspn(n->argv[1], "0123456789") == strlen(n->argv[1])) {
		if (kc_uint_at(ctx, n, 1, n->argv[0], 1, 32, &len))
			svc->netmask = lb_ipv4_mask((uint8_t)len);
		return;
	}
	if (lb_parse_ipv4_prefix(n->argv[1], &m, &plen, false) != 0 || m == 0 ||
	    (~m & (~m + 1)) != 0)
		kc_err(ctx, n, "'persistence_granularity' must be a netmask like 255.255.255.0 "
		       "(got '%s')", n->argv[1]);
	else
		svc->netmask = m;
}

/* The service keywords (all but real_server) of block n. */
static void
parse_vs_kw(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_service *svc,
	    struct vs_read *r)
{
	static const struct { const char *name; uint32_t flag; } flags[] = {
		{ "sh-port", LB_SVC_F_SH_PORT }, { "sh-fallback", LB_SVC_F_SH_FALLBACK },
		{ "mh-port", LB_SVC_F_MH_PORT }, { "mh-fallback", LB_SVC_F_MH_FALLBACK },
	};
	const char *kw = n->argv[0];
	unsigned int i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(kw, flags[i].name) == 0) {
			if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 0, 0))
				svc->flags |= flags[i].flag;
			return;
		}
	if (kc_timing(ctx, n, &svc->timing))
		return;
	if (strcmp(kw, "lb_algo") == 0 || strcmp(kw, "lvs_sched") == 0) {
		if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
			return;
		if (strlen(n->argv[1]) >= sizeof(svc->sched) || lb_sched_find(n->argv[1]) == NULL)
			kc_err(ctx, n, "'%s' '%s' is unknown (one of: %s)", kw, n->argv[1],
			       lb_sched_names());
		else
			strcpy(svc->sched, n->argv[1]);
	} else if (strcmp(kw, "lb_kind") == 0 || strcmp(kw, "lvs_method") == 0) {
		r->fwd_set = parse_fwd(ctx, n, &r->fwd);
	} else if (strcmp(kw, "sorry_server_lvs_method") == 0) {
		r->sorry_fwd_set = parse_fwd(ctx, n, &r->sorry_fwd);
	} else if (strcmp(kw, "persistence_timeout") == 0) {
		svc->persistence = 360;		/* keepalived: no value = 6 minutes */
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 0, 1) && n->argc == 2)
			kc_uint_at(ctx, n, 1, kw, 0, 2678400, &svc->persistence);
		if (svc->persistence > 0)
			svc->flags |= LB_SVC_F_PERSISTENT;
		else
			svc->flags &= ~(uint32_t)LB_SVC_F_PERSISTENT;
	} else if (strcmp(kw, "persistence_granularity") == 0) {
		parse_granularity(ctx, n, svc);
	} else if (strcmp(kw, "protocol") == 0) {
		if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
			return;
		if (strcmp(n->argv[1], "TCP") == 0 || strcmp(n->argv[1], "UDP") == 0)
			svc->proto = n->argv[1][0] == 'T' ? IPPROTO_TCP : IPPROTO_UDP;
		else if (strcmp(n->argv[1], "SCTP") == 0)
			kc_err(ctx, n, "'protocol SCTP' is not supported by dplb yet (it would "
			       "balance SCTP associations)");
		else
			kc_err(ctx, n, "'protocol' must be TCP or UDP (got '%s')", n->argv[1]);
	} else if (strcmp(kw, "sorry_server") == 0) {
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 2))
			r->sorry = n;
	} else if (strcmp(kw, "quorum") == 0) {
		kc_uint(ctx, n, 1, INT32_MAX, &svc->quorum);
	} else if (strcmp(kw, "hysteresis") == 0) {
		kc_uint(ctx, n, 0, INT32_MAX, &svc->hysteresis);
	} else if (strcmp(kw, "quorum_up") == 0) {
		kc_script(ctx, n, svc->quorum_up);
	} else if (strcmp(kw, "quorum_down") == 0) {
		kc_script(ctx, n, svc->quorum_down);
	} else if (strcmp(kw, "alpha") == 0) {
		kc_bool(ctx, n, &svc->alpha);
	} else if (strcmp(kw, "omega") == 0) {
		kc_bool(ctx, n, &svc->omega);
	} else if (strcmp(kw, "virtualhost") == 0) {
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1))
			r->vhost = n->argv[1];
	} else if (strcmp(kw, "nat_mask") == 0) {
		kc_warn(ctx, n, "'nat_mask' is deprecated and ignored (keepalived ignores it too)");
	} else if (strcmp(kw, "real_server") != 0 &&
		   !kc_known_other(ctx, n, "virtual_server")) {
		kc_unknown(ctx, n, "virtual_server");
	}
}

/* real_server (or sorry_server) n: "IP [PORT]" into rs, checked against svc. */
static bool
parse_rs_head(struct kc_ctx *ctx, const struct kc_node *n, const struct lb_cfg_service *svc,
	      enum lb_fwd fwd, struct lb_cfg_rs *rs)
{
	unsigned int port = svc->port;
	char msg[160];

	memset(rs, 0, sizeof(*rs));
	rs->line = n->line;
	rs->weight = 1;
	rs->fwd = fwd;
	if (!kc_nargs(ctx, n, 1, 2) || !kc_addr_at(ctx, n, 1, &rs->addr) ||
	    (n->argc == 3 && !kc_uint_at(ctx, n, 2, "port", 1, 65535, &port)))
		return false;
	rs->port = (uint16_t)port;
	if (lb_cfg_check_rs(ctx->cfg, svc, rs, msg, sizeof(msg)) != 0)
		kc_err(ctx, n, "%s %s: %s", n->argv[0], n->argv[1], msg);
	return true;
}

/* The checkers dplb runs. */
static bool
is_checker(const char *kw)
{
	return strcmp(kw, "TCP_CHECK") == 0 || strcmp(kw, "HTTP_GET") == 0 ||
	       strcmp(kw, "SSL_GET") == 0 || strcmp(kw, "MISC_CHECK") == 0;
}

/* notify_up / notify_down SCRIPT of real server rs (one entry per server). */
static void
parse_notify(struct kc_ctx *ctx, const struct kc_node *n, const struct lb_cfg_service *svc,
	     const struct lb_cfg_rs *rs)
{
	struct lb_cfg_notify *e = lb_cfg_notify_for(ctx->cfg, svc, rs);

	if (e == NULL) {
		kc_err(ctx, n, "out of memory for notify scripts");
		return;
	}
	kc_script(ctx, n, strcmp(n->argv[0], "notify_up") == 0 ? e->up : e->down);
}

/* real_server IP PORT { weight; inhibit_on_failure; ...; TCP_CHECK { } ... } */
static void
parse_rs(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_service *svc,
	 const struct vs_read *r)
{
	struct lb_cfg_rs *rs = &svc->rs[svc->nb_rs];
	struct lb_cfg_timing t = svc->timing;
	unsigned int i, j;

	if (svc->nb_rs == LB_MAX_RS) {
		kc_err(ctx, n, "too many real servers (max %d)", LB_MAX_RS);
		return;
	}
	if (!parse_rs_head(ctx, n, svc, r->fwd, rs))
		return;
	for (j = 0; j < svc->nb_rs; j++)
		if (svc->rs[j].addr == rs->addr && svc->rs[j].port == rs->port) {
			kc_err(ctx, n, "real_server %s %u is already in this virtual_server (line %d)",
			       n->argv[1], rs->port, svc->rs[j].line);
			return;
		}
	for (i = 0; i < n->nb_kids; i++) {
		const struct kc_node *k = &n->kids[i];
		const char *kw = k->argv[0];

		if (strcmp(kw, "weight") == 0)
			kc_uint(ctx, k, 0, 65535, &rs->weight);
		else if (strcmp(kw, "inhibit_on_failure") == 0)
			kc_bool(ctx, k, &rs->inhibit_on_failure);
		else if (strcmp(kw, "uthreshold") == 0)
			kc_uint(ctx, k, 0, INT32_MAX, &rs->u_threshold);
		else if (strcmp(kw, "lthreshold") == 0)
			kc_uint(ctx, k, 0, INT32_MAX, &rs->l_threshold);
		else if (strcmp(kw, "notify_up") == 0 || strcmp(kw, "notify_down") == 0)
			parse_notify(ctx, k, svc, rs);
		else if (!kc_timing(ctx, k, &t) && !is_checker(kw) &&
			 !kc_known_other(ctx, k, "real_server"))
			kc_unknown(ctx, k, "real_server");
	}
	if (rs->u_threshold != 0 && rs->l_threshold > rs->u_threshold)
		kc_err(ctx, n, "real_server %s: lthreshold %u is above uthreshold %u", n->argv[1],
		       rs->l_threshold, rs->u_threshold);
	for (i = 0; i < n->nb_kids; i++)
		if (is_checker(n->kids[i].argv[0]))
			kc_parse_check(ctx, &n->kids[i], svc, rs, &t, r->vhost);
	svc->nb_rs++;
}

/* sorry_server IP PORT: used while quorum is lost. */
static void
parse_sorry(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_service *svc,
	    const struct vs_read *r)
{
	unsigned int j;

	if (!parse_rs_head(ctx, n, svc, r->sorry_fwd_set ? r->sorry_fwd : r->fwd, &svc->sorry))
		return;
	for (j = 0; j < svc->nb_rs; j++)
		if (svc->rs[j].addr == svc->sorry.addr && svc->rs[j].port == svc->sorry.port)
			kc_err(ctx, n, "sorry_server %s is also a real_server (line %d)", n->argv[1],
			       svc->rs[j].line);
	svc->has_sorry = true;
}

/* A new service at the end of cfg->services, or NULL (reported). */
static struct lb_cfg_service *
new_service(struct kc_ctx *ctx, const struct kc_node *n)
{
	struct lb_config *cfg = ctx->cfg;
	struct lb_cfg_service *s;

	if (cfg->nb_services == LB_MAX_SERVICES) {
		kc_err(ctx, n, "too many virtual_servers (max %d)", LB_MAX_SERVICES);
		return NULL;
	}
	if (cfg->services == NULL) {
		cfg->services = calloc(LB_MAX_SERVICES, sizeof(*s));
		if (cfg->services == NULL) {
			kc_err(ctx, n, "out of memory for virtual_servers");
			return NULL;
		}
	}
	s = &cfg->services[cfg->nb_services++];
	memset(s, 0, sizeof(*s));
	s->line = n->line;
	return s;
}

/* Report svc when an earlier service has its protocol, address and port. */
static void
check_unique(struct kc_ctx *ctx, const struct kc_node *n, const struct lb_cfg_service *svc)
{
	const struct lb_cfg_service *o;
	char a[16];

	for (o = ctx->cfg->services; o < svc; o++)
		if (o->proto == svc->proto && o->vip == svc->vip && o->port == svc->port)
			kc_err(ctx, n, "virtual_server %s %u (%s) is already defined (line %d)",
			       lb_ipv4_str(svc->vip, a, sizeof(a)), svc->port,
			       svc->proto == IPPROTO_UDP ? "UDP" : "TCP", o->line);
}

/* Service vip:port of block n. */
static struct lb_cfg_service *
parse_one(struct kc_ctx *ctx, const struct kc_node *n, uint32_t vip, uint16_t port)
{
	struct lb_cfg_service *svc = new_service(ctx, n);
	struct vs_read r = { .fwd = LB_FWD_NAT };
	unsigned int i;

	if (svc == NULL)
		return NULL;
	svc->proto = IPPROTO_TCP;
	svc->vip = vip;
	svc->port = port;
	strcpy(svc->sched, "wlc");		/* keepalived's and ipvsadm's default */
	svc->netmask = 0xffffffff;
	lb_cfg_svc_health_defaults(svc);
	for (i = 0; i < n->nb_kids; i++)
		parse_vs_kw(ctx, &n->kids[i], svc, &r);
	lb_cfg_svc_health_finish(svc);
	if (svc->hysteresis >= svc->quorum)
		kc_err(ctx, n, "virtual_server: hysteresis %u must be below quorum %u",
		       svc->hysteresis, svc->quorum);
	check_unique(ctx, n, svc);
	for (i = 0; i < n->nb_kids; i++)
		if (strcmp(n->kids[i].argv[0], "real_server") == 0)
			parse_rs(ctx, &n->kids[i], svc, &r);
	if (r.sorry != NULL)
		parse_sorry(ctx, r.sorry, svc, &r);
	return svc;
}

/* Copy svc (the group's first address) to vip:port, checkers included. */
static void
copy_service(struct kc_ctx *ctx, const struct kc_node *n, unsigned int first,
	     const struct kc_node *e, uint32_t vip, uint16_t port)
{
	struct lb_config *cfg = ctx->cfg;
	struct lb_cfg_service *svc = new_service(ctx, e);
	unsigned int i, nb_checks = cfg->nb_checks, nb_notes;
	char msg[160];

	if (svc == NULL)
		return;
	*svc = cfg->services[first];
	svc->vip = vip;
	svc->port = port;
	svc->line = e->line;
	check_unique(ctx, e, svc);
	for (i = 0; i < svc->nb_rs; i++)
		if (lb_cfg_check_rs(cfg, svc, &svc->rs[i], msg, sizeof(msg)) != 0)
			kc_err(ctx, e, "virtual_server group %s: real_server of line %d: %s",
			       n->argv[2], svc->rs[i].line, msg);
	for (i = 0; i < nb_checks; i++) {
		const struct lb_cfg_check *c = &cfg->checks[i];
		struct lb_cfg_check *d;

		if (!lb_cfg_rs_key_in(&c->key, &cfg->services[first]))
			continue;
		d = kc_new_check(ctx, e);
		if (d == NULL)
			return;
		*d = cfg->checks[i];	/* may have moved */
		d->key.vip = vip;
		d->key.vport = port;
	}
	for (i = 0, nb_notes = cfg->nb_notifies; i < nb_notes; i++) {
		struct lb_cfg_notify *d;

		if (!lb_cfg_rs_key_in(&cfg->notifies[i].key, &cfg->services[first]))
			continue;
		d = lb_cfg_notify_append(cfg);
		if (d == NULL) {
			kc_err(ctx, e, "out of memory for notify scripts");
			return;
		}
		*d = cfg->notifies[i];	/* may have moved */
		d->key.vip = vip;
		d->key.vport = port;
	}
}

/* virtual_server group NAME: the entries of virtual_server_group NAME. */
static void
parse_group(struct kc_ctx *ctx, const struct kc_node *n, const struct kc_node *root)
{
	const struct kc_node *g = NULL;
	unsigned int i, first = ctx->cfg->nb_services, port, lo, hi, a;
	uint32_t addr;
	uint8_t plen;
	char *dash;

	if (!kc_nargs(ctx, n, 2, 2))
		return;
	for (i = 0; i < root->nb_kids && g == NULL; i++)
		if (strcmp(root->kids[i].argv[0], "virtual_server_group") == 0 &&
		    root->kids[i].argc == 2 && strcmp(root->kids[i].argv[1], n->argv[2]) == 0)
			g = &root->kids[i];
	if (g == NULL) {
		kc_err(ctx, n, "virtual_server group '%s': no virtual_server_group %s { } is "
		       "defined", n->argv[2], n->argv[2]);
		return;
	}
	if (g->nb_kids == 0)
		kc_err(ctx, g, "virtual_server_group %s is empty", n->argv[2]);
	for (i = 0; i < g->nb_kids; i++) {
		const struct kc_node *e = &g->kids[i];
		char buf[32];

		if (strcmp(e->argv[0], "fwmark") == 0) {
			kc_err(ctx, e, "'fwmark' in virtual_server_group is not supported by dplb "
			       "yet (it would match packets by firewall mark)");
			continue;
		}
		if (kc_block_wrong(ctx, e, false) || e->argc != 2 ||
		    snprintf(buf, sizeof(buf), "%s", e->argv[0]) >= (int)sizeof(buf)) {
			kc_err(ctx, e, "virtual_server_group entry must be 'IP PORT' or "
			       "'IP-LAST PORT' like 10.0.0.1-5 80");
			continue;
		}
		dash = strchr(buf, '-');
		if (dash != NULL)
			*dash++ = '\0';
		if (lb_parse_ipv4_prefix(buf, &addr, &plen, false) != 0 || addr == 0 ||
		    strchr(buf, '/') != NULL) {
			kc_err(ctx, e, "virtual_server_group: '%s' is not an IPv4 address", buf);
			continue;
		}
		if (!kc_uint_at(ctx, e, 1, "port", 1, 65535, &port))
			continue;
		lo = hi = addr & 0xff;
		if (dash != NULL) {
			char *end;
			long v = strtol(dash, &end, 10);

			if (*end != '\0' || end == dash || v < (long)lo || v > 255) {
				kc_err(ctx, e, "virtual_server_group: range end '%s' must be %u..255",
				       dash, lo);
				continue;
			}
			hi = (unsigned int)v;
		}
		for (a = lo; a <= hi; a++) {
			uint32_t vip = (addr & 0xffffff00) | a;

			if (ctx->cfg->nb_services == first) {
				if (parse_one(ctx, n, vip, (uint16_t)port) == NULL)
					return;
			} else {
				copy_service(ctx, n, first, e, vip, (uint16_t)port);
			}
		}
	}
}

void
kc_parse_vs(struct kc_ctx *ctx, const struct kc_node *n, const struct kc_node *root)
{
	unsigned int port;
	uint32_t vip;

	if (kc_block_wrong(ctx, n, true))
		return;
	if (n->argc >= 2 && strcmp(n->argv[1], "group") == 0) {
		parse_group(ctx, n, root);
		return;
	}
	if (n->argc >= 2 && strcmp(n->argv[1], "fwmark") == 0) {
		kc_err(ctx, n, "'virtual_server fwmark' is not supported by dplb yet (it would "
		       "match packets by firewall mark)");
		return;
	}
	if (!kc_nargs(ctx, n, 2, 2) || !kc_addr_at(ctx, n, 1, &vip) ||
	    !kc_uint_at(ctx, n, 2, "port", 1, 65535, &port))
		return;
	parse_one(ctx, n, vip, (uint16_t)port);
}
