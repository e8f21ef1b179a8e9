/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Health-check keywords of the native config, with keepalived's names and
 * defaults (keepalived.conf(5), virtual_server / real_server / TCP_CHECK /
 * HTTP_GET):
 *
 * virtual_servers = ( { ...;
 *     delay_loop = 6; connect_timeout = 3; retry = 1; delay_before_retry = 1;
 *     warmup = 0; quorum = 1; hysteresis = 0; alpha = false; omega = false;
 *     passive_failures = 3; passive_backoff = 10;   # beyond keepalived
 *     sorry_server = { address = "198.18.2.99"; port = 80; };
 *     real_servers = ( { ...; inhibit_on_failure = false;
 *         checkers = (
 *           { type = "TCP_CHECK"; connect_port = 80; connect_timeout = 2; },
 *           { type = "HTTP_GET"; http_protocol = "1.1"; virtualhost = "www";
 *             urls = ( { path = "/"; status_code = "200"; digest = "…"; } ); },
 *           { type = "MISC_CHECK"; misc_path = "/usr/local/bin/check 80";
 *             misc_timeout = 3; misc_dynamic = true; } );
 *     } ); } );
 *
 * Timing set on a virtual server is inherited by its real servers, and a
 * real server's by its checkers; durations are seconds, decimals allowed.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"
#include "health/http.h"

#define MS_MAX (86400u * 1000u)		/* a day */

static const char *const check_keys[] = { "type", "connect_ip", "connect_port", "bind_to",
	"delay_loop", "connect_timeout", "retry", "nb_get_retry", "delay_before_retry",
	"warmup", "http_protocol", "virtualhost", "urls", "misc_path", "misc_timeout",
	"misc_dynamic", "enable_sni", NULL };
static const char *const url_keys[] = { "path", "digest", "status_code", NULL };
static const char *const http_protos[] = { "1.0", "1.0C", "1.1" };

const struct lb_cfg_timing lb_cfg_default_timing = {
	.delay_loop_ms = 60000,
	.connect_timeout_ms = 5000,
	.delay_before_retry_ms = 1000,
	.warmup_ms = 0,
	.retry = 1,
};

/* Overwrite in *t what grp sets of the timing keywords. */
static void
parse_timing(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	     struct lb_cfg_timing *t)
{
	lb_cfg_get_ms(ctx, grp, where, "delay_loop", 10, MS_MAX, &t->delay_loop_ms);
	lb_cfg_get_ms(ctx, grp, where, "connect_timeout", 10, MS_MAX, &t->connect_timeout_ms);
	lb_cfg_get_ms(ctx, grp, where, "delay_before_retry", 0, MS_MAX,
		      &t->delay_before_retry_ms);
	lb_cfg_get_ms(ctx, grp, where, "warmup", 0, MS_MAX, &t->warmup_ms);
	if (config_setting_get_member(grp, "retry") != NULL &&
	    config_setting_get_member(grp, "nb_get_retry") != NULL)
		lb_cfg_report(ctx, config_setting_get_member(grp, "nb_get_retry"),
			      "%s sets both retry and nb_get_retry (the same setting)", where);
	lb_cfg_get_uint(ctx, grp, where, "retry", 0, 1000, &t->retry);
	lb_cfg_get_uint(ctx, grp, where, "nb_get_retry", 0, 1000, &t->retry);
}

void
lb_cfg_get_script(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	   const char *key, char *buf)
{
	if (lb_cfg_get_string(ctx, grp, where, key, buf, LB_CHECK_PATH_LEN) != NULL &&
	    buf[0] == '\0')
		lb_cfg_report(ctx, config_setting_get_member(grp, key), "%s.%s is empty", where,
			      key);
}

/*
 * Room for one more element at the end of *arr (n elements, capacity the
 * next power of two), zeroed; NULL when out of memory.
 */
static void *
grow(void **arr, unsigned int n, size_t size)
{
	void *a = *arr;

	if ((n & (n - 1)) == 0) {
		a = realloc(a, size * (n ? n * 2 : 1));
		if (a == NULL)
			return NULL;
		*arr = a;
	}
	memset((char *)a + size * n, 0, size);
	return (char *)a + size * n;
}

void
lb_cfg_svc_health_defaults(struct lb_cfg_service *svc)
{
	svc->timing = lb_cfg_default_timing;
	svc->quorum = 1;
}

void
lb_cfg_svc_health_finish(struct lb_cfg_service *svc)
{
	if (svc->passive_backoff_ms == 0)
		svc->passive_backoff_ms = svc->timing.delay_loop_ms;
}

void
lb_cfg_parse_svc_health(struct parse_ctx *ctx, const config_setting_t *grp,
			struct lb_cfg_service *svc, const char *where)
{
	lb_cfg_svc_health_defaults(svc);
	parse_timing(ctx, grp, where, &svc->timing);
	lb_cfg_get_uint(ctx, grp, where, "quorum", 1, INT32_MAX, &svc->quorum);
	lb_cfg_get_uint(ctx, grp, where, "hysteresis", 0, INT32_MAX, &svc->hysteresis);
	if (svc->hysteresis >= svc->quorum)
		lb_cfg_report(ctx, grp, "%s hysteresis %u must be below quorum %u", where,
			      svc->hysteresis, svc->quorum);
	lb_cfg_get_bool(ctx, grp, where, "alpha", &svc->alpha);
	lb_cfg_get_bool(ctx, grp, where, "omega", &svc->omega);
	/* beyond keepalived: the workers' own view of refused connections */
	lb_cfg_get_uint(ctx, grp, where, "passive_failures", 0, 1000000, &svc->passive_failures);
	lb_cfg_get_ms(ctx, grp, where, "passive_backoff", 100, MS_MAX, &svc->passive_backoff_ms);
	lb_cfg_svc_health_finish(svc);
	lb_cfg_get_script(ctx, grp, where, "quorum_up", svc->quorum_up);
	lb_cfg_get_script(ctx, grp, where, "quorum_down", svc->quorum_down);
}

/* Read the optional address grp.key (no prefix) into *out. */
static void
get_addr(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	 const char *key, uint32_t *out)
{
	char buf[32];
	uint8_t len;

	if (lb_cfg_get_string(ctx, grp, where, key, buf, sizeof(buf)) == NULL)
		return;
	if (lb_parse_ipv4_prefix(buf, out, &len, false) != 0 || *out == 0)
		lb_cfg_report(ctx, config_setting_get_member(grp, key),
			      "%s.%s '%s' is not an IPv4 address", where, key, buf);
}

bool
lb_cfg_is_own_addr(const struct lb_config *cfg, uint32_t addr)
{
	unsigned int i, k;

	for (i = 0; i < cfg->nb_ifaces; i++)
		for (k = 0; k < cfg->ifaces[i].nb_addrs; k++)
			if (cfg->ifaces[i].addrs[k].addr == addr)
				return true;
	return false;
}

bool
lb_cfg_is_http_token(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isgraph((unsigned char)*s))
			return false;
	return true;
}

static void
parse_url(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_check_url *u,
	  const char *where)
{
	struct lb_health_http_codes codes;
	unsigned int i;

	lb_cfg_check_keys(ctx, grp, where, url_keys);
	if (config_setting_get_member(grp, "path") == NULL)
		lb_cfg_report(ctx, grp, "%s has no path", where);
	else if (lb_cfg_get_string(ctx, grp, where, "path", u->path, sizeof(u->path)) != NULL &&
		 (u->path[0] != '/' || !lb_cfg_is_http_token(u->path)))
		lb_cfg_report(ctx, config_setting_get_member(grp, "path"),
			      "%s.path '%s' must start with '/' and hold no spaces or control "
			      "characters", where, u->path);
	if (lb_cfg_get_string(ctx, grp, where, "digest", u->digest, sizeof(u->digest)) != NULL) {
		for (i = 0; isxdigit((unsigned char)u->digest[i]); i++)
			u->digest[i] = (char)tolower((unsigned char)u->digest[i]);
		if (i != 32 || u->digest[i] != '\0')
			lb_cfg_report(ctx, config_setting_get_member(grp, "digest"),
				      "%s.digest must be 32 hex digits (an MD5, as genhash "
				      "prints it)", where);
	}
	if (config_setting_get_member(grp, "status_code") != NULL &&
	    config_setting_type(config_setting_get_member(grp, "status_code")) ==
	    CONFIG_TYPE_INT) {
		/* status_code = 200; as well as "200 301-302" */
		snprintf(u->status_code, sizeof(u->status_code), "%d",
			 config_setting_get_int(config_setting_get_member(grp, "status_code")));
	} else {
		lb_cfg_get_string(ctx, grp, where, "status_code", u->status_code,
				  sizeof(u->status_code));
	}
	memset(&codes, 0, sizeof(codes));
	if (u->status_code[0] != '\0' &&
	    lb_health_http_codes_parse(&codes, u->status_code) != 0)
		lb_cfg_report(ctx, config_setting_get_member(grp, "status_code"),
			      "%s.status_code '%s' is not a list of codes or ranges in 100-599 "
			      "like \"200 301-302\"", where, u->status_code);
}

static void
parse_http(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_check *c,
	   const char *where)
{
	config_setting_t *list = config_setting_get_member(grp, "urls");
	char proto[8] = "1.0", uwhere[160];
	unsigned int i;
	int n;

	if (lb_cfg_get_string(ctx, grp, where, "http_protocol", proto, sizeof(proto)) != NULL) {
		for (i = 0; i < sizeof(http_protos) / sizeof(http_protos[0]); i++)
			if (strcasecmp(proto, http_protos[i]) == 0)
				break;
		if (i == sizeof(http_protos) / sizeof(http_protos[0]))
			lb_cfg_report(ctx, config_setting_get_member(grp, "http_protocol"),
				      "%s.http_protocol '%s' is not 1.0, 1.0C or 1.1", where, proto);
		else
			c->http_proto = (uint8_t)i;
	}
	if (lb_cfg_get_string(ctx, grp, where, "virtualhost", c->virtualhost,
			      sizeof(c->virtualhost)) != NULL &&
	    (c->virtualhost[0] == '\0' || !lb_cfg_is_http_token(c->virtualhost)))
		lb_cfg_report(ctx, config_setting_get_member(grp, "virtualhost"),
			      "%s.virtualhost '%s' must be a host name without spaces or control "
			      "characters", where, c->virtualhost);
	if (list == NULL || !config_setting_is_list(list) || config_setting_length(list) == 0) {
		lb_cfg_report(ctx, list != NULL ? list : grp, "%s: HTTP_GET/SSL_GET needs urls = "
			      "( { path = \"/\"; }, ... ) with at least one url", where);
		return;
	}
	n = config_setting_length(list);
	if (n > LB_CHECK_MAX_URLS) {
		lb_cfg_report(ctx, list, "%s: too many urls (max %d)", where, LB_CHECK_MAX_URLS);
		n = LB_CHECK_MAX_URLS;
	}
	for (i = 0; i < (unsigned int)n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);

		snprintf(uwhere, sizeof(uwhere), "%s.urls[%u]", where, i);
		if (!config_setting_is_group(e)) {
			lb_cfg_report(ctx, e, "%s must be a group { path = \"/\"; }", uwhere);
			continue;
		}
		parse_url(ctx, e, &c->urls[c->nb_urls++], uwhere);
	}
}

/*
 * MISC_CHECK: misc_path (required), misc_timeout (default: delay_loop, as
 * keepalived), misc_dynamic. The timeout is kept as the connect_timeout.
 */
static void
parse_misc(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_check *c,
	   const char *where)
{
	static const char *const socket_keys[] = { "connect_ip", "connect_port", "bind_to",
		"connect_timeout", "urls", "virtualhost", "http_protocol", NULL };
	unsigned int i;

	for (i = 0; socket_keys[i] != NULL; i++)
		if (config_setting_get_member(grp, socket_keys[i]) != NULL)
			lb_cfg_report(ctx, config_setting_get_member(grp, socket_keys[i]),
				      "%s.%s does not apply to MISC_CHECK (it runs misc_path; "
				      "misc_timeout bounds it)", where, socket_keys[i]);
	if (config_setting_get_member(grp, "misc_path") == NULL)
		lb_cfg_report(ctx, grp, "%s: MISC_CHECK needs misc_path (the command to run)",
			      where);
	else if (lb_cfg_get_string(ctx, grp, where, "misc_path", c->misc_path,
				   sizeof(c->misc_path)) != NULL && c->misc_path[0] == '\0')
		lb_cfg_report(ctx, config_setting_get_member(grp, "misc_path"),
			      "%s.misc_path is empty", where);
	c->timing.connect_timeout_ms = c->timing.delay_loop_ms;
	lb_cfg_get_ms(ctx, grp, where, "misc_timeout", 10, MS_MAX, &c->timing.connect_timeout_ms);
	lb_cfg_get_bool(ctx, grp, where, "misc_dynamic", &c->misc_dynamic);
}

struct lb_cfg_check *
lb_cfg_check_append(struct lb_config *cfg, int *err)
{
	struct lb_cfg_check *c;

	if (cfg->nb_checks == LB_MAX_CHECKS) {
		*err = -ENOSPC;
		return NULL;
	}
	c = grow((void **)&cfg->checks, cfg->nb_checks, sizeof(*c));
	if (c == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	cfg->nb_checks++;
	return c;
}

/* A new zeroed checker at the end of cfg->checks, or NULL (reported). */
static struct lb_cfg_check *
new_check(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_cfg_check *c;
	int err = 0;

	c = lb_cfg_check_append(ctx->cfg, &err);
	if (c == NULL)
		lb_cfg_report(ctx, grp, err == -ENOSPC ? "too many checkers (max %d in one config)"
			      : "out of memory for checkers", LB_MAX_CHECKS);
	return c;
}

static void
parse_check(struct parse_ctx *ctx, const config_setting_t *grp,
	    const struct lb_cfg_service *svc, const struct lb_cfg_rs *rs,
	    const struct lb_cfg_timing *t, const char *where)
{
	struct lb_cfg_check *c;
	char type[16] = "";
	unsigned int port = 0;

	lb_cfg_check_keys(ctx, grp, where, check_keys);
	c = new_check(ctx, grp);
	if (c == NULL)
		return;
	c->line = config_setting_source_line(grp);
	lb_cfg_rs_key_set(&c->key, svc, rs);
	c->timing = *t;
	parse_timing(ctx, grp, where, &c->timing);
	if (config_setting_get_member(grp, "type") == NULL) {
		lb_cfg_report(ctx, grp, "%s has no type (TCP_CHECK, HTTP_GET, SSL_GET or MISC_CHECK)",
			      where);
		return;
	}
	if (lb_cfg_get_string(ctx, grp, where, "type", type, sizeof(type)) == NULL)
		return;
	if (strcasecmp(type, "TCP_CHECK") == 0) {
		c->type = LB_CHECK_TCP;
	} else if (strcasecmp(type, "HTTP_GET") == 0) {
		c->type = LB_CHECK_HTTP;
	} else if (strcasecmp(type, "MISC_CHECK") == 0) {
		c->type = LB_CHECK_MISC;
		parse_misc(ctx, grp, c, where);
		return;
	} else if (strcasecmp(type, "SSL_GET") == 0) {
		c->type = LB_CHECK_HTTP;
		c->tls = true;
	} else if (strcasecmp(type, "DNS_CHECK") == 0 || strcasecmp(type, "SMTP_CHECK") == 0) {
		lb_cfg_report(ctx, config_setting_get_member(grp, "type"),
			      "%s.type %s is not supported yet (TCP_CHECK, HTTP_GET, SSL_GET or "
			      "MISC_CHECK)", where, type);
		return;
	} else {
		lb_cfg_report(ctx, config_setting_get_member(grp, "type"),
			      "%s.type '%s' is not TCP_CHECK, HTTP_GET, SSL_GET or MISC_CHECK",
			      where, type);
		return;
	}
	if (config_setting_get_member(grp, "enable_sni") != NULL && !c->tls)
		lb_cfg_report(ctx, config_setting_get_member(grp, "enable_sni"),
			      "%s.enable_sni belongs to SSL_GET", where);
	else
		lb_cfg_get_bool(ctx, grp, where, "enable_sni", &c->enable_sni);
	if (c->enable_sni && config_setting_get_member(grp, "virtualhost") == NULL)
		lb_cfg_report(ctx, grp, "%s: enable_sni sends the virtualhost; set virtualhost",
			      where);
	if (config_setting_get_member(grp, "misc_path") != NULL ||
	    config_setting_get_member(grp, "misc_timeout") != NULL ||
	    config_setting_get_member(grp, "misc_dynamic") != NULL)
		lb_cfg_report(ctx, grp, "%s: misc_path, misc_timeout and misc_dynamic belong to "
			      "MISC_CHECK", where);
	get_addr(ctx, grp, where, "connect_ip", &c->connect_ip);
	if (lb_cfg_get_uint(ctx, grp, where, "connect_port", 1, 65535, &port))
		c->connect_port = (uint16_t)port;
	get_addr(ctx, grp, where, "bind_to", &c->bind_to);
	if (c->bind_to != 0 && !lb_cfg_is_own_addr(ctx->cfg, c->bind_to))
		lb_cfg_report(ctx, config_setting_get_member(grp, "bind_to"),
			      "%s.bind_to must be an address of one of the interfaces", where);
	if (c->type == LB_CHECK_HTTP) {
		parse_http(ctx, grp, c, where);
	} else if (config_setting_get_member(grp, "urls") != NULL ||
		   config_setting_get_member(grp, "virtualhost") != NULL ||
		   config_setting_get_member(grp, "http_protocol") != NULL) {
		lb_cfg_report(ctx, grp, "%s: urls, virtualhost and http_protocol belong to "
			      "HTTP_GET and SSL_GET, not TCP_CHECK", where);
	}
	if (svc->proto != IPPROTO_TCP && c->connect_port == 0)
		lb_cfg_report(ctx, grp, "%s: a %s checks over TCP; the service is UDP (give "
			      "connect_port of a TCP port the server also serves)", where, type);
}

struct lb_cfg_notify *
lb_cfg_notify_append(struct lb_config *cfg)
{
	struct lb_cfg_notify *n = grow((void **)&cfg->notifies, cfg->nb_notifies, sizeof(*n));

	if (n != NULL)
		cfg->nb_notifies++;
	return n;
}

struct lb_cfg_notify *
lb_cfg_notify_for(struct lb_config *cfg, const struct lb_cfg_service *svc,
		  const struct lb_cfg_rs *rs)
{
	struct lb_cfg_notify *n = (struct lb_cfg_notify *)lb_cfg_notify_of(cfg, svc, rs);

	if (n != NULL)
		return n;
	n = lb_cfg_notify_append(cfg);
	if (n == NULL)
		return NULL;
	lb_cfg_rs_key_set(&n->key, svc, rs);
	return n;
}

/* notify_up / notify_down of a real server, kept by key in cfg->notifies. */
static void
parse_notify(struct parse_ctx *ctx, const config_setting_t *grp,
	     const struct lb_cfg_service *svc, const struct lb_cfg_rs *rs, const char *where)
{
	struct lb_config *cfg = ctx->cfg;
	struct lb_cfg_notify *n;

	if (config_setting_get_member(grp, "notify_up") == NULL &&
	    config_setting_get_member(grp, "notify_down") == NULL)
		return;
	n = lb_cfg_notify_for(cfg, svc, rs);
	if (n == NULL) {
		lb_cfg_report(ctx, grp, "out of memory for notify scripts");
		return;
	}
	lb_cfg_get_script(ctx, grp, where, "notify_up", n->up);
	lb_cfg_get_script(ctx, grp, where, "notify_down", n->down);
}

void
lb_cfg_parse_rs_health(struct parse_ctx *ctx, const config_setting_t *grp,
		       const struct lb_cfg_service *svc, struct lb_cfg_rs *rs,
		       const char *where)
{
	config_setting_t *list = config_setting_get_member(grp, "checkers");
	struct lb_cfg_timing t = svc->timing;
	char cwhere[128];
	int i, n;

	lb_cfg_get_bool(ctx, grp, where, "inhibit_on_failure", &rs->inhibit_on_failure);
	parse_timing(ctx, grp, where, &t);
	parse_notify(ctx, grp, svc, rs, where);
	if (list == NULL)
		return;
	if (!config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%s.checkers must be a list ( { type = \"TCP_CHECK\"; }, "
			      "... )", where);
		return;
	}
	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);

		snprintf(cwhere, sizeof(cwhere), "%s.checkers[%d]", where, i);
		if (!config_setting_is_group(e)) {
			lb_cfg_report(ctx, e, "%s must be a group { type = ...; }", cwhere);
			continue;
		}
		parse_check(ctx, e, svc, rs, &t, cwhere);
	}
}
