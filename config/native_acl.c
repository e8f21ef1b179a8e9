/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who may connect to a service, and how fast (native config):
 * acl = { allow = [ "PREFIX", ... ]; deny = [ ... ]; } and
 * rate_limit = { per_source = N; burst = M; }, and whether SYNs are
 * answered with cookies: syn_proxy = true | { threshold = N; }.
 */
#include <netinet/in.h>
#include <string.h>

#include "config/parse.h"

static const char *const acl_keys[] = { "allow", "deny", NULL };
static const char *const rate_keys[] = { "per_source", "burst", NULL };
static const char *const proxy_keys[] = { "threshold", NULL };

/* One list of "A.B.C.D[/LEN]" into entries; reported with its index. */
static void
parse_list(struct parse_ctx *ctx, const config_setting_t *list, const char *where,
	   const char *name, struct lb_acl_entry *out, unsigned int *nb)
{
	int i, n;

	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%s.acl.%s must be a list of \"A.B.C.D/LEN\" strings",
			      where, name);
		return;
	}
	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(list, i);
		uint32_t a, m;
		uint8_t len = 32;

		if (s == NULL || lb_parse_ipv4_prefix(s, &a, &len, false) != 0) {
			lb_cfg_report(ctx, list, "%s.acl.%s[%d] '%s' is not A.B.C.D or A.B.C.D/LEN",
				      where, name, i, s != NULL ? s : "?");
			continue;
		}
		m = lb_ipv4_mask(len);
		if ((a & ~m) != 0) {
			lb_cfg_report(ctx, list, "%s.acl.%s[%d] '%s' has host bits set past /%u",
				      where, name, i, s, len);
			continue;
		}
		if (*nb == LB_MAX_ACL) {
			lb_cfg_report(ctx, list, "%s.acl.%s: more than %d prefixes", where, name,
				      LB_MAX_ACL);
			return;
		}
		out[*nb].addr = a;
		out[*nb].mask = m;
		(*nb)++;
	}
}

void
lb_cfg_parse_acl(struct parse_ctx *ctx, const config_setting_t *grp,
		 struct lb_cfg_service *svc, const char *where)
{
	const config_setting_t *acl = config_setting_get_member(grp, "acl");
	const config_setting_t *l;
	char awhere[64];

	if (acl == NULL)
		return;
	if (!config_setting_is_group(acl)) {
		lb_cfg_report(ctx, acl, "%s.acl must be a group: acl = { allow = [...]; "
			      "deny = [...]; }", where);
		return;
	}
	snprintf(awhere, sizeof(awhere), "%s.acl", where);
	lb_cfg_check_keys(ctx, acl, awhere, acl_keys);
	l = config_setting_get_member(acl, "allow");
	if (l != NULL)
		parse_list(ctx, l, where, "allow", svc->acl.allow, &svc->acl.nb_allow);
	l = config_setting_get_member(acl, "deny");
	if (l != NULL)
		parse_list(ctx, l, where, "deny", svc->acl.deny, &svc->acl.nb_deny);
}

void
lb_cfg_parse_rate_limit(struct parse_ctx *ctx, const config_setting_t *grp,
			struct lb_cfg_service *svc, const char *where)
{
	const config_setting_t *rl = config_setting_get_member(grp, "rate_limit");
	char rwhere[64];

	if (rl == NULL)
		return;
	snprintf(rwhere, sizeof(rwhere), "%s.rate_limit", where);
	if (!config_setting_is_group(rl)) {
		lb_cfg_report(ctx, rl, "%s must be a group: rate_limit = { per_source = N; "
			      "burst = M; }", rwhere);
		return;
	}
	lb_cfg_check_keys(ctx, rl, rwhere, rate_keys);
	if (!lb_cfg_get_uint(ctx, rl, rwhere, "per_source", 1, 1000000, &svc->src_rate))
		lb_cfg_report(ctx, rl, "%s needs per_source: new connections a second from one "
			      "client address", rwhere);
	svc->src_burst = svc->src_rate;
	lb_cfg_get_uint(ctx, rl, rwhere, "burst", 1, 10000000, &svc->src_burst);
}

void
lb_cfg_parse_syn_proxy(struct parse_ctx *ctx, const config_setting_t *grp,
		       struct lb_cfg_service *svc, const char *where)
{
	const config_setting_t *sp = config_setting_get_member(grp, "syn_proxy");
	char swhere[64];

	if (sp == NULL)
		return;
	snprintf(swhere, sizeof(swhere), "%s.syn_proxy", where);
	if (config_setting_type(sp) == CONFIG_TYPE_BOOL) {
		svc->syn_proxy = config_setting_get_bool(sp);
	} else if (config_setting_is_group(sp)) {
		lb_cfg_check_keys(ctx, sp, swhere, proxy_keys);
		svc->syn_proxy = true;
		lb_cfg_get_uint(ctx, sp, swhere, "threshold", 0, 100000000,
				&svc->syn_proxy_threshold);
	} else {
		lb_cfg_report(ctx, sp, "%s must be true, false or { threshold = N; } (half-open "
			      "connections a second before SYN cookies start; 0 = always)", swhere);
		return;
	}
	if (svc->syn_proxy && svc->proto != IPPROTO_TCP)
		lb_cfg_report(ctx, sp, "%s: a SYN proxy is for TCP services only", swhere);
}
