/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONFIG_PARSE_H
#define LB_CONFIG_PARSE_H

/* Private to config/: value readers shared by the native parser's files. */

#include <stdbool.h>

#include <libconfig.h>

#include "config/config.h"

/* State of one parse: where messages go and what is being filled. */
struct parse_ctx {
	const char *name;		/* file name used in messages */
	struct lb_config *cfg;
	struct lb_cfg_errors *err;
};


/* Print "FILE:LINE: message" for setting s and count it. */
void __attribute__((format(printf, 3, 4)))
lb_cfg_report(struct parse_ctx *ctx, const config_setting_t *s,
       const char *fmt, ...);

/* Report each member of grp (named where, NULL: top level) not in keys. */
void
lb_cfg_check_keys(struct parse_ctx *ctx, const config_setting_t *grp,
	   const char *where, const char *const keys[]);

/* The optional group parent.key, or NULL (reported when not a group). */
config_setting_t *
lb_cfg_get_group(struct parse_ctx *ctx, const config_setting_t *parent,
	  const char *key);

/*
 * Read the optional integer grp.key into *out when it is within min..max.
 * Returns true when the setting is present and valid.
 */
bool
lb_cfg_get_uint(struct parse_ctx *ctx, const config_setting_t *grp,
	 const char *where, const char *key, long long min, long long max,
	 unsigned int *out);

/*
 * Copy the optional string grp.key into buf (len bytes). Returns buf, or
 * NULL when absent or invalid (reported).
 */
const char *
lb_cfg_get_string(struct parse_ctx *ctx, const config_setting_t *grp,
	   const char *where, const char *key, char *buf, size_t len);

/* The optional boolean grp.key into *out; true when present and valid. */
bool
lb_cfg_get_bool(struct parse_ctx *ctx, const config_setting_t *grp,
		const char *where, const char *key, bool *out);

/*
 * Setting s (named where.key in messages) as a number of seconds, integer
 * or decimal, into *out; false (reported) for any other type.
 */
bool
lb_cfg_seconds(struct parse_ctx *ctx, const config_setting_t *s, const char *where,
	       const char *key, double *out);

/*
 * The optional duration grp.key in seconds (integer or decimal) into
 * *out_ms, within min_ms..max_ms; true when present and valid.
 */
bool
lb_cfg_get_ms(struct parse_ctx *ctx, const config_setting_t *grp,
	      const char *where, const char *key, uint32_t min_ms, uint32_t max_ms,
	      uint32_t *out_ms);

/*
 * For the list root.key of groups (absent: nothing), call item for each
 * group with its index, at most max of them; a list that is not one, too
 * many entries and entries that are not groups are reported. Returns how
 * many entries were looked at.
 */
int
lb_cfg_each_group(struct parse_ctx *ctx, const config_setting_t *root, const char *key,
		  int max, void (*item)(struct parse_ctx *ctx, const config_setting_t *grp,
					unsigned int idx));

/* A script command line grp.key (LB_CHECK_PATH_LEN bytes) into buf; "" when absent. */
void
lb_cfg_get_script(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
		  const char *key, char *buf);

/* keepalived's gratuitous ARP defaults into v. */
void lb_cfg_vrrp_garp_defaults(struct lb_cfg_vrrp *v);

/* sync_daemon = { ... }: after the interfaces and VRRP instances. */
void
lb_cfg_parse_sync(struct parse_ctx *ctx, const config_setting_t *root);

/* announce = { ... }: after the services and VRRP instances it names. */
void
lb_cfg_parse_announce(struct parse_ctx *ctx, const config_setting_t *root);

/* vrrp_sync_groups = ( ... ): after the instances they name. */
void
lb_cfg_parse_vrrp_syncs(struct parse_ctx *ctx, const config_setting_t *root);

/* True when s only holds A-Z a-z 0-9 . _ - (names, TAP names, prefixes). */
bool
lb_cfg_is_ident(const char *s);

/* interfaces = ( ... ): parse and validate every interface into ctx->cfg. */
void
lb_cfg_parse_ifaces(struct parse_ctx *ctx, const config_setting_t *root);

/* connections = { max; tcp_timeout; tcpfin_timeout; udp_timeout; } */
void
lb_cfg_parse_connections(struct parse_ctx *ctx, const config_setting_t *grp);

/* virtual_servers = ( ... ): every service and its real servers. */
void
lb_cfg_parse_services(struct parse_ctx *ctx, const config_setting_t *root);

/*
 * Health keywords of a virtual server (delay_loop and the checker timing it
 * passes down, quorum, hysteresis, alpha, omega, sorry_server) into svc.
 * After the service head and local addresses.
 */
void
lb_cfg_parse_svc_health(struct parse_ctx *ctx, const config_setting_t *grp,
			struct lb_cfg_service *svc, const char *where);

/*
 * Health keywords of real server rs of svc (inhibit_on_failure, timing,
 * checkers = ( ... )): checkers are appended to ctx->cfg->checks.
 */
void
lb_cfg_parse_rs_health(struct parse_ctx *ctx, const config_setting_t *grp,
		       const struct lb_cfg_service *svc, struct lb_cfg_rs *rs,
		       const char *where);

/* keepalived's checker timing defaults (keepalived.conf(5)). */
extern const struct lb_cfg_timing lb_cfg_default_timing;

/* svc's health settings at keepalived's defaults (timing, quorum 1). */
void lb_cfg_svc_health_defaults(struct lb_cfg_service *svc);

/*
 * A service group's optional `syn_proxy` (true, or { threshold = N; })
 * into svc->syn_proxy / syn_proxy_threshold; TCP services only.
 */
void lb_cfg_parse_syn_proxy(struct parse_ctx *ctx, const config_setting_t *grp,
			    struct lb_cfg_service *svc, const char *where);

/* A service group's optional `rate_limit` into svc->src_rate / src_burst. */
void lb_cfg_parse_rate_limit(struct parse_ctx *ctx, const config_setting_t *grp,
			     struct lb_cfg_service *svc, const char *where);

/* A service group's optional `acl` (allow/deny prefix lists) into svc->acl. */
void lb_cfg_parse_acl(struct parse_ctx *ctx, const config_setting_t *grp,
		      struct lb_cfg_service *svc, const char *where);

/* After svc's keywords: resolve what defaults to another setting. */
void lb_cfg_svc_health_finish(struct lb_cfg_service *svc);

/*
 * A new zeroed checker at the end of cfg->checks, or NULL: -ENOSPC when
 * LB_MAX_CHECKS are there already, -ENOMEM (in *err).
 */
struct lb_cfg_check *lb_cfg_check_append(struct lb_config *cfg, int *err);

/* The same for the notify scripts of one more real server (cfg->notifies). */
struct lb_cfg_notify *lb_cfg_notify_append(struct lb_config *cfg);

/* rs of svc's notify entry, made (keyed, scripts empty) when it has none. */
struct lb_cfg_notify *lb_cfg_notify_for(struct lb_config *cfg, const struct lb_cfg_service *svc,
					const struct lb_cfg_rs *rs);

/* Printable, no space: what may go into a request line or a Host header. */
bool lb_cfg_is_http_token(const char *s);

/* True when addr is one of the box's own interface addresses. */
bool lb_cfg_is_own_addr(const struct lb_config *cfg, uint32_t addr);

/* vrrp_scripts = ( ... ): before the instances that track them. */
void
lb_cfg_parse_vrrp_scripts(struct parse_ctx *ctx, const config_setting_t *root);

/* track_scripts / track_interfaces of vrrp instance v (where ends in '.'). */
void
lb_cfg_parse_vrrp_track(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
			struct lb_cfg_vrrp *v);

/*
 * unicast_peer and unicast_src_ip of vrrp instance v (where ends in '.'),
 * after its interface and VIPs (config/vrrp_unicast.c).
 */
void
lb_cfg_parse_vrrp_unicast(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
			  struct lb_cfg_vrrp *v);

/* vrrp_instances = ( ... ): VRRP instances, after the interfaces. */
void
lb_cfg_parse_vrrp(struct parse_ctx *ctx, const config_setting_t *root);

#endif
