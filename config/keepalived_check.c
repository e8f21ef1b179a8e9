/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP_CHECK { } and HTTP_GET { url { path; digest; status_code } ... } of a
 * keepalived real_server -> lb_cfg_check, with the native reader's rules
 * (native_check.c): bindto an address of the box, url paths starting with
 * '/', digests of 32 hex digits, status codes as "200 301-302", checks over
 * TCP only. Timing comes from the virtual and real server unless set here.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"
#include "health/http.h"

struct lb_cfg_check *
kc_new_check(struct kc_ctx *ctx, const struct kc_node *n)
{
	struct lb_cfg_check *c;
	int err = 0;

	c = lb_cfg_check_append(ctx->cfg, &err);
	if (c == NULL)
		kc_err(ctx, n, err == -ENOSPC ? "too many checkers (max %d in one config)" :
		       "out of memory for checkers", LB_MAX_CHECKS);
	return c;
}


/* One value of n into buf (len bytes); false (reported) when it does not fit. */
static bool
string(struct kc_ctx *ctx, const struct kc_node *n, char *buf, size_t len)
{
	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
		return false;
	if (strlen(n->argv[1]) >= len) {
		kc_err(ctx, n, "'%s' is too long (max %zu characters)", n->argv[0], len - 1);
		return false;
	}
	strcpy(buf, n->argv[1]);
	return true;
}

/* status_code 200 [301-302 ...]: the values joined as "200 301-302". */
static void
parse_codes(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_check_url *u)
{
	struct lb_health_http_codes codes;
	size_t used = 0;
	unsigned int i;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 32))
		return;
	/* stop at the first value that does not fit: used then says "too long" */
	for (i = 1; i < n->argc && used < sizeof(u->status_code); i++)
		used += (size_t)snprintf(u->status_code + used, sizeof(u->status_code) - used,
					 "%s%s", i > 1 ? " " : "", n->argv[i]);
	memset(&codes, 0, sizeof(codes));
	if (used >= sizeof(u->status_code) ||
	    lb_health_http_codes_parse(&codes, u->status_code) != 0) {
		kc_err(ctx, n, "'status_code' must be codes or ranges in 100-599 like 200 "
		       "301-302");
		u->status_code[0] = '\0';
	}
}

/* url { path /x; digest HEX; status_code 200 } */
static void
parse_url(struct kc_ctx *ctx, const struct kc_node *b, struct lb_cfg_check *c)
{
	struct lb_cfg_check_url *u;
	unsigned int i, k;

	if (kc_block_wrong(ctx, b, true) || !kc_nargs(ctx, b, 0, 0))
		return;
	if (c->nb_urls == LB_CHECK_MAX_URLS) {
		kc_err(ctx, b, "too many url blocks (max %d)", LB_CHECK_MAX_URLS);
		return;
	}
	u = &c->urls[c->nb_urls++];
	for (i = 0; i < b->nb_kids; i++) {
		const struct kc_node *n = &b->kids[i];

		if (strcmp(n->argv[0], "path") == 0) {
			if (string(ctx, n, u->path, sizeof(u->path)) &&
			    (u->path[0] != '/' || !lb_cfg_is_http_token(u->path)))
				kc_err(ctx, n, "'path' must start with '/' and hold no spaces or "
				       "control characters (got '%s')", u->path);
		} else if (strcmp(n->argv[0], "digest") == 0) {
			if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
				continue;
			for (k = 0; isxdigit((unsigned char)n->argv[1][k]); k++)
				;
			if (k != 32 || n->argv[1][k] != '\0') {
				kc_err(ctx, n, "'digest' must be 32 hex digits (an MD5, as genhash "
				       "prints it)");
				continue;
			}
			for (k = 0; k <= 32; k++)
				u->digest[k] = (char)tolower((unsigned char)n->argv[1][k]);
		} else if (strcmp(n->argv[0], "status_code") == 0) {
			parse_codes(ctx, n, u);
		} else {
			kc_unknown(ctx, n, "url (expected path, digest, status_code)");
		}
	}
	if (u->path[0] == '\0')
		kc_err(ctx, b, "url has no path");
}

/* One keyword n of checker c; false when it is not a checker keyword. */
static bool
parse_kw(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_check *c)
{
	static const char *const protos[] = { "1.0", "1.0C", "1.1" };
	const char *kw = n->argv[0];
	unsigned int u;
	char buf[8];

	if (kc_timing(ctx, n, &c->timing))
		return true;
	if (strcmp(kw, "connect_port") == 0) {
		if (kc_uint(ctx, n, 1, 65535, &u))
			c->connect_port = (uint16_t)u;
	} else if (strcmp(kw, "connect_ip") == 0) {
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1))
			kc_addr_at(ctx, n, 1, &c->connect_ip);
	} else if (strcmp(kw, "bindto") == 0) {
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1))
			kc_addr_at(ctx, n, 1, &c->bind_to);
	} else if (c->type == LB_CHECK_MISC && strcmp(kw, "misc_path") == 0) {
		kc_script(ctx, n, c->misc_path);
	} else if (c->type == LB_CHECK_MISC && strcmp(kw, "misc_timeout") == 0) {
		kc_ms(ctx, n, 10, 86400u * 1000u, &c->timing.connect_timeout_ms);
	} else if (c->type == LB_CHECK_MISC && strcmp(kw, "misc_dynamic") == 0) {
		kc_bool(ctx, n, &c->misc_dynamic);
	} else if (c->tls && strcmp(kw, "enable_sni") == 0) {
		kc_bool(ctx, n, &c->enable_sni);
	} else if (c->type == LB_CHECK_HTTP && strcmp(kw, "url") == 0) {
		parse_url(ctx, n, c);
	} else if (c->type == LB_CHECK_HTTP && strcmp(kw, "virtualhost") == 0) {
		if (string(ctx, n, c->virtualhost, sizeof(c->virtualhost)) &&
		    !lb_cfg_is_http_token(c->virtualhost))
			kc_err(ctx, n, "'virtualhost' must be a host name without spaces");
	} else if (c->type == LB_CHECK_HTTP && strcmp(kw, "http_protocol") == 0) {
		if (!string(ctx, n, buf, sizeof(buf)) && n->argc != 2)
			return true;
		for (u = 0; u < 3; u++)
			if (strcasecmp(n->argv[1], protos[u]) == 0)
				break;
		if (u == 3)
			kc_err(ctx, n, "'http_protocol' must be 1.0, 1.0C or 1.1 (got '%s')",
			       n->argv[1]);
		else
			c->http_proto = (uint8_t)u;
	} else {
		return false;
	}
	return true;
}


void
kc_parse_check(struct kc_ctx *ctx, const struct kc_node *n,
	       const struct lb_cfg_service *svc, const struct lb_cfg_rs *rs,
	       const struct lb_cfg_timing *t, const char *vhost)
{
	struct lb_cfg_check *c;
	unsigned int i;

	if (kc_block_wrong(ctx, n, true) || !kc_nargs(ctx, n, 0, 0))
		return;
	c = kc_new_check(ctx, n);
	if (c == NULL)
		return;
	c->line = n->line;
	lb_cfg_rs_key_set(&c->key, svc, rs);
	c->timing = *t;
	c->type = strcmp(n->argv[0], "MISC_CHECK") == 0 ? LB_CHECK_MISC :
		  strcmp(n->argv[0], "TCP_CHECK") == 0 ? LB_CHECK_TCP : LB_CHECK_HTTP;
	c->tls = strcmp(n->argv[0], "SSL_GET") == 0;
	if (c->type == LB_CHECK_MISC)
		c->timing.connect_timeout_ms = 0;	/* misc_timeout, else delay_loop */
	if (c->type == LB_CHECK_HTTP && vhost != NULL &&
	    snprintf(c->virtualhost, sizeof(c->virtualhost), "%s", vhost) >=
	    (int)sizeof(c->virtualhost))
		kc_err(ctx, n, "the virtual_server's virtualhost is too long (max %zu characters)",
		       sizeof(c->virtualhost) - 1);
	for (i = 0; i < n->nb_kids; i++)
		if (!parse_kw(ctx, &n->kids[i], c) &&
		    !kc_known_other(ctx, &n->kids[i], "checker"))
			kc_unknown(ctx, &n->kids[i], n->argv[0]);
	if (c->bind_to != 0 && !lb_cfg_is_own_addr(ctx->cfg, c->bind_to))
		kc_err(ctx, n, "%s: bindto must be an address of one of the interfaces",
		       n->argv[0]);
	if (c->type == LB_CHECK_HTTP && c->nb_urls == 0)
		kc_err(ctx, n, "%s needs at least one url { path / }", n->argv[0]);
	if (c->type == LB_CHECK_MISC && c->misc_path[0] == '\0')
		kc_err(ctx, n, "MISC_CHECK needs misc_path (the command to run)");
	if (c->type == LB_CHECK_MISC && c->timing.connect_timeout_ms == 0)
		c->timing.connect_timeout_ms = c->timing.delay_loop_ms;
	if (c->enable_sni && c->virtualhost[0] == '\0')
		kc_err(ctx, n, "enable_sni sends the virtualhost; set virtualhost");
	if (svc->proto != IPPROTO_TCP && c->type != LB_CHECK_MISC && c->connect_port == 0)
		kc_err(ctx, n, "%s checks over TCP; the virtual_server is UDP (give connect_port "
		       "of a TCP port the server also serves)", n->argv[0]);
}
