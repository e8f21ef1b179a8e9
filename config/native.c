/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native configuration: a libconfig file -> validated struct lb_config.
 * Each problem is reported as "FILE:LINE: message" and reading goes on, so
 * one pass shows every problem: value readers first, then the eal and cli
 * groups, then interfaces, then the entry points.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>


#include "cli/password.h"
#include "config/parse.h"

static const char *const top_keys[] = { "eal", "workers", "idle_sleep_us", "mbufs_per_port",
	"rx_desc", "tx_desc", "neigh_timeout", "interfaces", "cli", "connections",
	"virtual_servers", "vip_unknown_port", "vrrp_instances", "vrrp_scripts", "vrrp_sync_groups", "vrrp_notify_fifo", "router_id", "sync_daemon",
	"metrics", "sloppy_tcp", "announce", "decrement_ttl", NULL };
static const char *const eal_keys[] = { "lcores", "memory", "hugepages",
	"file_prefix", "log_level", "args", NULL };
static const char *const cli_keys[] = { "listen", "password_hash", NULL };
static const char *const metrics_keys[] = { "listen", NULL };

static void
parse_desc(struct parse_ctx *ctx, const config_setting_t *root,
	   const char *key, unsigned int *out)
{
	unsigned int v;

	if (!lb_cfg_get_uint(ctx, root, "", key, 64, 16384, &v))
		return;
	if (v & (v - 1))
		lb_cfg_report(ctx, config_setting_get_member(root, key),
		       "%s must be a power of two (got %u)", key, v);
	else
		*out = v;
}

/* eal.args: extra EAL arguments, strdup-ed into cfg->eal.args. */
static void
parse_eal_args(struct parse_ctx *ctx, const config_setting_t *list)
{
	struct lb_cfg_eal *eal = &ctx->cfg->eal;
	int i, n = config_setting_length(list);

	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "eal.args must be a list of strings, like [ \"--no-pci\" ]");
		return;
	}
	if (n > LB_MAX_EAL_ARGS) {
		lb_cfg_report(ctx, list, "eal.args has %d entries (max %d)",
		       n, LB_MAX_EAL_ARGS);
		n = LB_MAX_EAL_ARGS;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			lb_cfg_report(ctx, e, "eal.args[%d] must be a string", i);
			continue;
		}
		eal->args[eal->nb_args] = strdup(config_setting_get_string(e));
		if (eal->args[eal->nb_args] == NULL) {
			lb_cfg_report(ctx, e, "out of memory");
			return;
		}
		eal->nb_args++;
	}
}

/* The eal { } group. */
static void
parse_eal(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_cfg_eal *eal = &ctx->cfg->eal;
	config_setting_t *s;
	char buf[16];

	lb_cfg_check_keys(ctx, grp, "eal", eal_keys);
	if (lb_cfg_get_string(ctx, grp, "eal.", "lcores", eal->lcores,
		       sizeof(eal->lcores)) &&
	    strspn(eal->lcores, "0123456789,-@()") != strlen(eal->lcores))
		lb_cfg_report(ctx, config_setting_get_member(grp, "lcores"),
		       "eal.lcores '%s' may only hold digits and , - @ ( ), like \"0-3\" or \"0,2@4\"",
		       eal->lcores);
	lb_cfg_get_uint(ctx, grp, "eal.", "memory", 0, 1048576, &eal->memory_mb);

	s = config_setting_get_member(grp, "hugepages");
	if (s != NULL && config_setting_type(s) == CONFIG_TYPE_BOOL)
		eal->huge = config_setting_get_bool(s) ? LB_HUGE_YES : LB_HUGE_NO;
	else if (s != NULL) {
		const char *v = lb_cfg_get_string(ctx, grp, "eal.", "hugepages",
					   buf, sizeof(buf));

		if (v == NULL)
			;	/* reported by lb_cfg_get_string() */
		else if (strcmp(v, "auto") == 0)
			eal->huge = LB_HUGE_AUTO;
		else if (strcmp(v, "yes") == 0)
			eal->huge = LB_HUGE_YES;
		else if (strcmp(v, "no") == 0)
			eal->huge = LB_HUGE_NO;
		else
			lb_cfg_report(ctx, s, "eal.hugepages must be \"auto\", \"yes\" or \"no\"");
	}

	if (lb_cfg_get_string(ctx, grp, "eal.", "file_prefix", eal->file_prefix,
		       sizeof(eal->file_prefix)) &&
	    (eal->file_prefix[0] == '\0' || !lb_cfg_is_ident(eal->file_prefix)))
		lb_cfg_report(ctx, config_setting_get_member(grp, "file_prefix"),
		       "eal.file_prefix '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
		       eal->file_prefix);
	lb_cfg_get_string(ctx, grp, "eal.", "log_level", eal->log_level,
		   sizeof(eal->log_level));
	s = config_setting_get_member(grp, "args");
	if (s != NULL)
		parse_eal_args(ctx, s);
}

/*
 * GROUP.listen = "ADDR:PORT" into addr (dotted quad) and *port. Returns
 * true when present and valid; a bad value is reported with example.
 */
static bool
parse_listen(struct parse_ctx *ctx, const config_setting_t *grp, const char *group,
	     const char *example, char *addr_out, size_t addr_len, uint16_t *port_out)
{
	char buf[64], prefix[24], *colon, *end;
	uint32_t addr;
	uint8_t plen;
	long port;

	snprintf(prefix, sizeof(prefix), "%s.", group);
	if (lb_cfg_get_string(ctx, grp, prefix, "listen", buf, sizeof(buf)) == NULL)
		return false;
	colon = strrchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		port = strtol(colon + 1, &end, 10);
		if (colon[1] >= '0' && colon[1] <= '9' && *end == '\0' &&
		    port >= 1 && port <= 65535 && strchr(buf, '/') == NULL &&
		    lb_parse_ipv4_prefix(buf, &addr, &plen, false) == 0) {
			lb_ipv4_str(addr, addr_out, addr_len);
			*port_out = (uint16_t)port;
			return true;
		}
		*colon = ':';
	}
	lb_cfg_report(ctx, config_setting_get_member(grp, "listen"),
	       "%s.listen '%s' must be ADDR:PORT, like \"%s\" (port 1..65535)",
	       group, buf, example);
	return false;
}

/* The cli { } group: listen = "ADDR:PORT", password_hash. */
static void
parse_cli(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_cfg_cli *cli = &ctx->cfg->cli;

	lb_cfg_check_keys(ctx, grp, "cli", cli_keys);
	if (lb_cfg_get_string(ctx, grp, "cli.", "password_hash", cli->password_hash,
			      sizeof(cli->password_hash)) != NULL &&
	    !lb_cli_hash_valid(cli->password_hash))
		lb_cfg_report(ctx, config_setting_get_member(grp, "password_hash"),
			      "cli.password_hash is not sha256$SALT$DIGEST (make one with "
			      "dplb --hash-password)");
	parse_listen(ctx, grp, "cli", "127.0.0.1:2323", cli->listen_addr,
		     sizeof(cli->listen_addr), &cli->listen_port);
}

/*
 * The metrics { } group: listen = "127.x.y.z:PORT" turns the Prometheus
 * listener on; it has no authentication, so only loopback is accepted.
 */
static void
parse_metrics(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_cfg_metrics *m = &ctx->cfg->metrics;

	lb_cfg_check_keys(ctx, grp, "metrics", metrics_keys);
	if (config_setting_get_member(grp, "listen") == NULL) {
		lb_cfg_report(ctx, grp, "metrics needs listen = \"127.0.0.1:PORT\" "
			      "(leave the metrics group out to keep the listener off)");
		return;
	}
	if (!parse_listen(ctx, grp, "metrics", "127.0.0.1:9100", m->listen_addr,
			  sizeof(m->listen_addr), &m->listen_port))
		return;
	if (strncmp(m->listen_addr, "127.", 4) != 0) {
		lb_cfg_report(ctx, config_setting_get_member(grp, "listen"),
			      "metrics.listen '%s' is not a loopback address: the metrics "
			      "listener has no authentication; use 127.0.0.1 and a local "
			      "proxy or Prometheus agent", m->listen_addr);
		return;
	}
	if (strcmp(m->listen_addr, ctx->cfg->cli.listen_addr) == 0 &&
	    m->listen_port == ctx->cfg->cli.listen_port) {
		lb_cfg_report(ctx, config_setting_get_member(grp, "listen"),
			      "metrics.listen %s:%u is the CLI's address: give it another port",
			      m->listen_addr, m->listen_port);
		return;
	}
	m->on = true;
}

/* ---- interfaces ---- */
/* vip_unknown_port = "reject" | "drop": what a VIP port without a service does. */
static void
parse_vip_unknown_port(struct parse_ctx *ctx, const config_setting_t *root)
{
	char v[16];

	if (lb_cfg_get_string(ctx, root, "", "vip_unknown_port", v, sizeof(v)) == NULL)
		return;
	if (strcmp(v, "reject") == 0)
		ctx->cfg->vip_reject = true;
	else if (strcmp(v, "drop") == 0)
		ctx->cfg->vip_reject = false;
	else
		lb_cfg_report(ctx, config_setting_get_member(root, "vip_unknown_port"),
			      "vip_unknown_port '%s' is not reject or drop", v);
}

/* Every top-level setting. */
static void
parse_root(struct parse_ctx *ctx, const config_setting_t *root)
{
	struct lb_config *cfg = ctx->cfg;
	config_setting_t *grp;

	lb_cfg_check_keys(ctx, root, NULL, top_keys);
	lb_cfg_get_string(ctx, root, "", "router_id", cfg->router_id, sizeof(cfg->router_id));
	lb_cfg_get_uint(ctx, root, "", "workers", 1, LB_MAX_WORKERS, &cfg->workers);
	lb_cfg_get_uint(ctx, root, "", "idle_sleep_us", 0, 100000, &cfg->idle_sleep_us);
	lb_cfg_get_uint(ctx, root, "", "mbufs_per_port", 1023, 1048575,
		 &cfg->mbufs_per_port);
	parse_desc(ctx, root, "rx_desc", &cfg->rx_desc);
	parse_desc(ctx, root, "tx_desc", &cfg->tx_desc);
	lb_cfg_get_uint(ctx, root, "", "neigh_timeout", 5, 3600,
		 &cfg->neigh_timeout_s);
	grp = lb_cfg_get_group(ctx, root, "eal");
	if (grp != NULL)
		parse_eal(ctx, grp);
	grp = lb_cfg_get_group(ctx, root, "cli");
	if (grp != NULL)
		parse_cli(ctx, grp);
	grp = lb_cfg_get_group(ctx, root, "metrics");
	if (grp != NULL)
		parse_metrics(ctx, grp);
	lb_cfg_parse_ifaces(ctx, root);
	grp = lb_cfg_get_group(ctx, root, "connections");
	if (grp != NULL)
		lb_cfg_parse_connections(ctx, grp);
	lb_cfg_parse_services(ctx, root);
	parse_vip_unknown_port(ctx, root);
	lb_cfg_get_bool(ctx, root, "", "sloppy_tcp", &cfg->sloppy_tcp);
	lb_cfg_get_bool(ctx, root, "", "decrement_ttl", &cfg->decrement_ttl);
	lb_cfg_parse_vrrp_scripts(ctx, root);
	lb_cfg_parse_vrrp(ctx, root);
	lb_cfg_parse_vrrp_syncs(ctx, root);
	lb_cfg_parse_sync(ctx, root);
	lb_cfg_parse_announce(ctx, root);
	if (lb_cfg_get_string(ctx, root, "", "vrrp_notify_fifo", cfg->vrrp_notify_fifo,
			      sizeof(cfg->vrrp_notify_fifo)) != NULL &&
	    cfg->vrrp_notify_fifo[0] != '/')
		lb_cfg_report(ctx, config_setting_get_member(root, "vrrp_notify_fifo"),
			      "vrrp_notify_fifo must be an absolute path");
}

/* ---- entry points ---- */

/* Fill cfg with the default of every setting. Thread-safe on its own cfg. */
void
lb_config_defaults(struct lb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->workers = 1;
	cfg->mbufs_per_port = 8191;
	cfg->rx_desc = 1024;
	cfg->tx_desc = 1024;
	cfg->neigh_timeout_s = 60;
	cfg->conn_max = 1 << 20;
	cfg->tcp_timeout = 900;
	cfg->tcpfin_timeout = 120;
	cfg->udp_timeout = 300;
	cfg->vip_reject = true;
	cfg->decrement_ttl = true;	/* as the LVS director's kernel ("ipvs: Decrement ttl") */
	cfg->eal.huge = LB_HUGE_AUTO;
	strcpy(cfg->eal.file_prefix, "dplb");
	strcpy(cfg->cli.listen_addr, "127.0.0.1");
	cfg->cli.listen_port = 2323;
	lb_cfg_sync_defaults(&cfg->sync);
	lb_cfg_announce_defaults(&cfg->announce);
}

/*
 * Validate what libconfig read into lc (read_ok false: a syntax error) into
 * cfg, then destroy lc. Returns 0, or -EINVAL when this call reported any
 * problem; cfg is then already released.
 */
static int
load(config_t *lc, bool read_ok, const char *name, struct lb_config *cfg,
     struct lb_cfg_errors *err)
{
	struct lb_cfg_errors quiet = { NULL, 0 };
	struct parse_ctx ctx = { name, cfg, err != NULL ? err : &quiet };
	unsigned int before = ctx.err->count;
	const char *file;

	lb_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	if (read_ok) {
		parse_root(&ctx, config_root_setting(lc));
	} else {
		ctx.err->count++;
		file = config_error_file(lc);
		if (ctx.err->out != NULL)
			fprintf(ctx.err->out, "%s:%d: %s\n", file ? file : name,
				config_error_line(lc), config_error_text(lc));
	}
	config_destroy(lc);
	if (ctx.err->count == before)
		return 0;
	lb_config_free(cfg);
	return -EINVAL;
}

/* Report that path cannot be read (errno e); returns -ENOENT or -EIO. */
static int
cannot_read(const char *path, int e, struct lb_config *cfg,
	    struct lb_cfg_errors *err)
{
	lb_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	if (err != NULL) {
		err->count++;
		if (err->out != NULL)
			fprintf(err->out, "%s: cannot read: %s\n", path,
				strerror(e));
	}
	return e == ENOENT ? -ENOENT : -EIO;
}

/*
 * Read and validate the native file at path into cfg, reporting every
 * problem to err (may be NULL). Returns 0; -EINVAL when the file has
 * errors; -ENOENT/-EIO when it cannot be read. On failure cfg holds
 * nothing to free. Not thread-safe (libconfig); control code only.
 */
int
lb_config_load_native(const char *path, struct lb_config *cfg,
		      struct lb_cfg_errors *err)
{
	struct stat st;
	config_t lc;
	FILE *f;
	int ok, e;

	f = fopen(path, "r");
	if (f == NULL)
		return cannot_read(path, errno, cfg, err);
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return cannot_read(path, EISDIR, cfg, err);
	}
	config_init(&lc);
	errno = 0;
	ok = config_read(&lc, f);
	e = errno ? errno : EIO;
	fclose(f);
	if (!ok && config_error_type(&lc) == CONFIG_ERR_FILE_IO) {
		config_destroy(&lc);
		return cannot_read(path, e, cfg, err);
	}
	return load(&lc, ok, path, cfg, err);
}

/*
 * Same as lb_config_load_native() on the text itself; name stands for the
 * file name in messages and in cfg->path.
 */
int
lb_config_parse_native(const char *name, const char *text,
		       struct lb_config *cfg, struct lb_cfg_errors *err)
{
	config_t lc;
	int ok;

	config_init(&lc);
	ok = config_read_string(&lc, text);
	return load(&lc, ok, name, cfg, err);
}

/* Free the EAL argument strings of cfg; safe to call more than once. */
void
lb_config_free(struct lb_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->eal.nb_args; i++) {
		free(cfg->eal.args[i]);
		cfg->eal.args[i] = NULL;
	}
	cfg->eal.nb_args = 0;
	free(cfg->services);
	cfg->services = NULL;
	cfg->nb_services = 0;
	free(cfg->checks);
	cfg->checks = NULL;
	cfg->nb_checks = 0;
	free(cfg->notifies);
	cfg->notifies = NULL;
	cfg->nb_notifies = 0;
}
