/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf -> validated struct lb_config, read as is: the entry
 * points, the top level and global_defs. The file is cut into words
 * (keepalived_lex.c) and statements (keepalived_tree.c); the interfaces it
 * uses are taken from the kernel's (keepalived_iface.c); then each block is
 * read in file order, every problem reported as FILE:LINE: message.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "config/keepalived.h"
#include "config/parse.h"

/* lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]: ipvsadm --set. */
static void
parse_lvs_timeouts(struct kc_ctx *ctx, const struct kc_node *n)
{
	static const char *const names[] = { "tcp", "tcpfin", "udp" };
	unsigned int *outs[] = { &ctx->cfg->tcp_timeout, &ctx->cfg->tcpfin_timeout,
				 &ctx->cfg->udp_timeout };
	unsigned int i, k;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 2, 6))
		return;
	for (i = 1; i < n->argc; i += 2) {
		for (k = 0; k < 3; k++)
			if (strcmp(n->argv[i], names[k]) == 0)
				break;
		if (k == 3 || i + 1 == n->argc) {
			kc_err(ctx, n, "'lvs_timeouts' takes tcp SECS, tcpfin SECS, udp SECS "
			       "(got '%s')", n->argv[i]);
			return;
		}
		kc_uint_at(ctx, n, i + 1, n->argv[i], 1, 2147483, outs[k]);
	}
}

void
kc_parse_global(struct kc_ctx *ctx, const struct kc_node *g)
{
	unsigned int i;

	if (kc_block_wrong(ctx, g, true) || !kc_nargs(ctx, g, 0, 0))
		return;
	for (i = 0; i < g->nb_kids; i++) {
		const struct kc_node *n = &g->kids[i];
		const char *kw = n->argv[0];

		if (strcmp(kw, "router_id") == 0) {
			if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
				continue;
			if (strlen(n->argv[1]) >= sizeof(ctx->cfg->router_id))
				kc_err(ctx, n, "'router_id' is too long (max %zu characters)",
				       sizeof(ctx->cfg->router_id) - 1);
			else
				strcpy(ctx->cfg->router_id, n->argv[1]);
		} else if (strcmp(kw, "vrrp_version") == 0) {
			kc_uint(ctx, n, 2, 3, &ctx->vrrp_version);
		} else if (strncmp(kw, "vrrp_", 5) == 0 && kc_garp(ctx, n, kw + 5, &ctx->garp)) {
			/* vrrp_garp_master_*: defaults of every instance */
		} else if (strcmp(kw, "lvs_sync_daemon") == 0) {
			/* read last (kc_parse_sync): it names an interface and an instance */
		} else if (strcmp(kw, "lvs_timeouts") == 0) {
			parse_lvs_timeouts(ctx, n);
		} else if (strcmp(kw, "notify_fifo") == 0 || strcmp(kw, "vrrp_notify_fifo") == 0) {
			if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1) &&
			    kc_script(ctx, n, ctx->cfg->vrrp_notify_fifo) &&
			    ctx->cfg->vrrp_notify_fifo[0] != '/')
				kc_err(ctx, n, "'%s' must be an absolute path", kw);
		} else if (!kc_known_other(ctx, n, "global_defs")) {
			kc_unknown(ctx, n, "global_defs");
		}
	}
}

/* The top-level blocks: global_defs first (vrrp_version is a default). */
static void
parse_root(struct kc_ctx *ctx, const struct kc_node *root)
{
	unsigned int i;

	for (i = 0; i < root->nb_kids; i++)
		if (strcmp(root->kids[i].argv[0], "global_defs") == 0)
			kc_parse_global(ctx, &root->kids[i]);
	kc_adopt_ifaces(ctx, root);
	/* vrrp_scripts before the instances that track them, wherever they are */
	for (i = 0; i < root->nb_kids; i++)
		if (strcmp(root->kids[i].argv[0], "vrrp_script") == 0)
			kc_parse_vrrp_script(ctx, &root->kids[i]);
	for (i = 0; i < root->nb_kids; i++) {
		const struct kc_node *n = &root->kids[i];
		const char *kw = n->argv[0];

		if (strcmp(kw, "global_defs") == 0 || strcmp(kw, "vrrp_script") == 0 ||
		    strcmp(kw, "vrrp_sync_group") == 0)
			continue;
		if (strcmp(kw, "vrrp_instance") == 0)
			kc_parse_vrrp(ctx, n);
		else if (strcmp(kw, "virtual_server") == 0)
			kc_parse_vs(ctx, n, root);
		else if (strcmp(kw, "virtual_server_group") == 0)
			kc_block_wrong(ctx, n, true);	/* read where it is used */
		else if (!kc_known_other(ctx, n, "top"))
			kc_unknown(ctx, n, "the top level (expected global_defs, vrrp_instance, "
				   "virtual_server, virtual_server_group)");
	}
	/* sync groups name instances, wherever those are in the file */
	for (i = 0; i < root->nb_kids; i++)
		if (strcmp(root->kids[i].argv[0], "vrrp_sync_group") == 0)
			kc_parse_sync_group(ctx, &root->kids[i]);
	for (i = 0; i < root->nb_kids; i++) {
		const struct kc_node *g = &root->kids[i];
		unsigned int k;

		if (strcmp(g->argv[0], "global_defs") != 0 || !g->block)
			continue;
		for (k = 0; k < g->nb_kids; k++)
			if (strcmp(g->kids[k].argv[0], "lvs_sync_daemon") == 0)
				kc_parse_sync(ctx, &g->kids[k]);
	}
}

/*
 * Turn the words of lx into cfg, then release lx. Returns 0, or -EINVAL
 * when this read reported any error; cfg is then already released.
 */
static int
load(struct kc_lex *lx, const char *name, const struct lb_kernel_ifaces *ifaces,
     struct lb_config *cfg, struct lb_cfg_errors *err, unsigned int before)
{
	static const struct lb_kernel_ifaces none;
	struct kc_ctx ctx = { .cfg = cfg, .err = err, .kif = ifaces ? ifaces : &none,
			      .vrrp_version = 2 };
	struct kc_node root;

	lb_cfg_vrrp_garp_defaults(&ctx.garp);
	kc_tree_build(lx, &root);
	parse_root(&ctx, &root);
	kc_tree_free(&root);
	kc_lex_free(lx);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	if (err->count == before)
		return 0;
	lb_config_free(cfg);
	return -EINVAL;
}

static char default_id[64];	/* dplb -i ID; "" = the host name */

void
lb_config_set_id(const char *id)
{
	snprintf(default_id, sizeof(default_id), "%s", id != NULL ? id : "");
}

/* config_id, dplb -i, or the host name up to its first '.' (keepalived's default). */
static const char *
config_id(const char *id, char *buf, size_t len)
{
	if (id != NULL)
		return id;
	if (default_id[0] != '\0')
		return default_id;
	if (gethostname(buf, len) != 0)
		buf[0] = '\0';
	buf[len - 1] = '\0';
	buf[strcspn(buf, ".")] = '\0';
	return buf;
}

int
lb_config_load_keepalived(const char *path, const struct lb_kernel_ifaces *ifaces,
			  struct lb_config *cfg, struct lb_cfg_errors *err)
{
	struct lb_cfg_errors quiet = { NULL, 0 };
	struct kc_lex lx = { 0 };
	unsigned int before;
	char host[256];
	int rc;

	err = err != NULL ? err : &quiet;
	before = err->count;
	lb_config_defaults(cfg);
	lx.err = err;
	lx.config_id = config_id(NULL, host, sizeof(host));
	rc = kc_lex_file(&lx, path);
	if (rc != 0) {
		kc_lex_free(&lx);
		snprintf(cfg->path, sizeof(cfg->path), "%s", path);
		return rc;
	}
	return load(&lx, path, ifaces, cfg, err, before);
}

int
lb_config_parse_keepalived(const char *name, const char *text, const char *id,
			   const struct lb_kernel_ifaces *ifaces, struct lb_config *cfg,
			   struct lb_cfg_errors *err)
{
	struct lb_cfg_errors quiet = { NULL, 0 };
	struct kc_lex lx = { 0 };
	unsigned int before;
	char host[256];

	err = err != NULL ? err : &quiet;
	before = err->count;
	lb_config_defaults(cfg);
	lx.err = err;
	lx.config_id = config_id(id, host, sizeof(host));
	kc_lex_text(&lx, name, text);
	return load(&lx, name, ifaces, cfg, err, before);
}
