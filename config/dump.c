/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Print a struct lb_config in native (libconfig) syntax with every setting
 * explicit, so an operator sees the effective values and the output loads
 * back to an equal config (dplb --config-dump).
 */
#include <stdbool.h>
#include <stdio.h>

#include <rte_common.h>

#include "config/config.h"

/* Print s as a libconfig string literal, quotes and escapes included. */
static void
put_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Print `key = "value";` at the given indent (tabs). */
static void
put_kv(FILE *out, int indent, const char *key, const char *value)
{
	fprintf(out, "%.*s%s = ", indent, "\t\t\t", key);
	put_str(out, value);
	fputs(";\n", out);
}

static const char *
huge_str(enum lb_huge_mode m)
{
	switch (m) {
	case LB_HUGE_YES:
		return "yes";
	case LB_HUGE_NO:
		return "no";
	case LB_HUGE_AUTO:
	default:
		return "auto";
	}
}

static void
dump_eal(const struct lb_cfg_eal *eal, FILE *out)
{
	unsigned int i;

	fputs("eal = {\n", out);
	put_kv(out, 1, "lcores", eal->lcores);
	fprintf(out, "\tmemory = %u;\n", eal->memory_mb);
	put_kv(out, 1, "hugepages", huge_str(eal->huge));
	put_kv(out, 1, "file_prefix", eal->file_prefix);
	put_kv(out, 1, "log_level", eal->log_level);
	fputs("\targs = [", out);
	for (i = 0; i < eal->nb_args; i++) {
		fputs(i ? ", " : " ", out);
		put_str(out, eal->args[i]);
	}
	fputs(eal->nb_args ? " ];\n" : "];\n", out);
	fputs("};\n", out);
}

static void
dump_iface(const struct lb_cfg_iface *ifc, FILE *out, bool last)
{
	char a[16], line[24];
	unsigned int k;

	fputs("\t{\n", out);
	put_kv(out, 2, "name", ifc->name);
	put_kv(out, 2, "device", ifc->device);
	fputs("\t\taddresses = [", out);
	for (k = 0; k < ifc->nb_addrs; k++) {
		snprintf(line, sizeof(line), "%s/%u",
			 lb_ipv4_str(ifc->addrs[k].addr, a, sizeof(a)),
			 ifc->addrs[k].prefix_len);
		fputs(k ? ", " : " ", out);
		put_str(out, line);
	}
	fputs(ifc->nb_addrs ? " ];\n" : "];\n", out);
	if (ifc->gateway != 0)
		put_kv(out, 2, "gateway", lb_ipv4_str(ifc->gateway, a, sizeof(a)));
	else
		fputs("\t\t# no gateway\n", out);
	fprintf(out, "\t\tmtu = %u;\n", ifc->mtu);
	fprintf(out, "\t\tpromiscuous = %s;\n",
		ifc->promiscuous ? "true" : "false");
	if (ifc->adopt_kernel)
		fputs("\t\tadopt_kernel = true;   # its kernel addresses are dplb's while it runs\n",
		      out);
	if (ifc->exception_name[0] != '\0')
		put_kv(out, 2, "exception", ifc->exception_name);
	else
		fputs("\t\texception = false;\n", out);
	fputs(last ? "\t}\n" : "\t},\n", out);
}

/*
 * Print cfg to out in native syntax, every setting explicit; loading the
 * output gives a config equal to cfg (except path and line numbers).
 * Thread-safe as long as cfg is not being changed.
 */
/* PRE key = "cmd";POST when cmd is set (a script setting). */
static void
put_script(FILE *out, const char *pre, const char *key, const char *cmd, const char *post)
{
	if (cmd[0] == '\0')
		return;
	fprintf(out, "%s%s = ", pre, key);
	put_str(out, cmd);
	fprintf(out, ";%s", post);
}

/* A duration in seconds as the parser reads it: "6" or "0.250". */
static void
put_secs(FILE *out, const char *key, uint32_t ms)
{
	if (ms % 1000 == 0)
		fprintf(out, " %s = %u;", key, ms / 1000);
	else
		fprintf(out, " %s = %u.%03u;", key, ms / 1000, ms % 1000);
}

/* The timing keywords; connect_timeout unless it is a MISC_CHECK's. */
static void
put_timing(FILE *out, const struct lb_cfg_timing *t, bool connect)
{
	put_secs(out, "delay_loop", t->delay_loop_ms);
	if (connect)
		put_secs(out, "connect_timeout", t->connect_timeout_ms);
	put_secs(out, "delay_before_retry", t->delay_before_retry_ms);
	put_secs(out, "warmup", t->warmup_ms);
	fprintf(out, " retry = %u;", t->retry);
}

static void
dump_check(const struct lb_cfg_check *c, FILE *out, bool last)
{
	static const char *const proto[] = { "1.0", "1.0C", "1.1" };
	char a[16];
	unsigned int i;

	static const char *const type[] = { "TCP_CHECK", "HTTP_GET", "MISC_CHECK" };

	fprintf(out, "\t\t\t\t\t{ type = \"%s\";", c->tls ? "SSL_GET" : type[c->type]);
	if (c->enable_sni)
		fputs(" enable_sni = true;", out);
	put_timing(out, &c->timing, c->type != LB_CHECK_MISC);
	if (c->type == LB_CHECK_MISC) {
		fputs(" misc_path = ", out);
		put_str(out, c->misc_path);
		fputc(';', out);
		put_secs(out, "misc_timeout", c->timing.connect_timeout_ms);
		fprintf(out, " misc_dynamic = %s; }%s\n", c->misc_dynamic ? "true" : "false",
			last ? "" : ",");
		return;
	}
	if (c->connect_ip != 0)
		fprintf(out, " connect_ip = \"%s\";", lb_ipv4_str(c->connect_ip, a, sizeof(a)));
	if (c->connect_port != 0)
		fprintf(out, " connect_port = %u;", c->connect_port);
	if (c->bind_to != 0)
		fprintf(out, " bind_to = \"%s\";", lb_ipv4_str(c->bind_to, a, sizeof(a)));
	if (c->type == LB_CHECK_HTTP) {
		fprintf(out, " http_protocol = \"%s\";", proto[c->http_proto]);
		if (c->virtualhost[0] != '\0') {
			fputs(" virtualhost = ", out);
			put_str(out, c->virtualhost);
			fputc(';', out);
		}
		fputs(" urls = (", out);
		for (i = 0; i < c->nb_urls; i++) {
			fputs(i ? ", { path = " : " { path = ", out);
			put_str(out, c->urls[i].path);
			if (c->urls[i].digest[0] != '\0')
				fprintf(out, "; digest = \"%s\"", c->urls[i].digest);
			if (c->urls[i].status_code[0] != '\0')
				fprintf(out, "; status_code = \"%s\"", c->urls[i].status_code);
			fputs("; }", out);
		}
		fputs(" );", out);
	}
	fprintf(out, " }%s\n", last ? "" : ",");
}

static void
dump_rs(const struct lb_config *cfg, const struct lb_cfg_service *svc,
	const struct lb_cfg_rs *rs, FILE *out, bool last)
{
	static const char *const fwd[] = { "nat", "dr", "tun", "fnat" };
	const struct lb_cfg_notify *notify;
	unsigned int i, n = 0, k = 0;
	char a[16];

	fprintf(out, "\t\t\t{ address = \"%s\"; port = %u; weight = %u; forward = \"%s\";"
		" upper_threshold = %u; lower_threshold = %u; inhibit_on_failure = %s;",
		lb_ipv4_str(rs->addr, a, sizeof(a)), rs->port, rs->weight, fwd[rs->fwd],
		rs->u_threshold, rs->l_threshold, rs->inhibit_on_failure ? "true" : "false");
	notify = lb_cfg_notify_of(cfg, svc, rs);
	if (notify != NULL) {
		put_script(out, " ", "notify_up", notify->up, "");
		put_script(out, " ", "notify_down", notify->down, "");
	}
	for (i = 0; i < cfg->nb_checks; i++)
		n += lb_cfg_check_of(&cfg->checks[i], svc, rs);
	if (n > 0) {
		fputs("\n\t\t\t\tcheckers = (\n", out);
		for (i = 0; i < cfg->nb_checks; i++)
			if (lb_cfg_check_of(&cfg->checks[i], svc, rs))
				dump_check(&cfg->checks[i], out, ++k == n);
		fputs("\t\t\t\t);\n\t\t\t", out);
	} else {
		fputc(' ', out);
	}
	fprintf(out, "}%s\n", last ? "" : ",");
}

/* One ACL list: "allow = [ "198.18.0.0/16", ... ];". */
static void
dump_acl_list(const char *name, const struct lb_acl_entry *e, unsigned int n, FILE *out)
{
	char a[16];
	unsigned int i;

	fprintf(out, "%s = [", name);
	for (i = 0; i < n; i++)
		fprintf(out, "%s\"%s/%d\"", i ? ", " : " ", lb_ipv4_str(e[i].addr, a, sizeof(a)),
			__builtin_popcount(e[i].mask));
	fputs(" ]; ", out);
}

static void
dump_acl(const struct lb_cfg_acl *acl, FILE *out)
{
	fputs("acl = { ", out);
	dump_acl_list("allow", acl->allow, acl->nb_allow, out);
	dump_acl_list("deny", acl->deny, acl->nb_deny, out);
	fputs("};\n\t\t", out);
}

static void
dump_service(const struct lb_config *cfg, const struct lb_cfg_service *svc, FILE *out,
	     bool last)
{
	static const char *const flags[] = { "", "sh-fallback", "sh-port",
		"mh-fallback", "mh-port" };
	static const char *const fwd[] = { "nat", "dr", "tun", "fnat" };
	char a[16];
	unsigned int i, n = 0;

	fprintf(out, "\t{\n\t\tprotocol = \"%s\";\n", svc->proto == 17 ? "udp" : "tcp");
	fprintf(out, "\t\taddress = \"%s\";\n\t\tport = %u;\n",
		lb_ipv4_str(svc->vip, a, sizeof(a)), svc->port);
	put_kv(out, 2, "scheduler", svc->sched);
	fprintf(out, "\t\tpersistence = %u;\n", svc->persistence);
	fprintf(out, "\t\tnetmask = \"%s\";\n", lb_ipv4_str(svc->netmask, a, sizeof(a)));
	fputs("\t\tflags = [", out);
	for (i = 1; i < RTE_DIM(flags); i++)
		if (svc->flags & (1u << i))
			fprintf(out, "%s\"%s\"", n++ ? ", " : " ", flags[i]);
	fputs(" ];\n", out);
	fputs("\t\tlocal_addresses = [", out);
	for (i = 0; i < svc->nb_laddrs; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : " ", lb_ipv4_str(svc->laddrs[i], a, sizeof(a)));
	fputs(" ];\n", out);
	fprintf(out, "\t\tmh_table_size = %u;\n\t\t", svc->sched_param);
	if (svc->flags & LB_SVC_F_DISABLED)
		fputs("enabled = false;\n\t\t", out);
	if (svc->acl.nb_allow + svc->acl.nb_deny > 0)
		dump_acl(&svc->acl, out);
	if (svc->src_rate != 0)
		fprintf(out, "rate_limit = { per_source = %u; burst = %u; };\n\t\t", svc->src_rate,
			svc->src_burst);
	if (svc->syn_proxy)
		fprintf(out, "syn_proxy = { threshold = %u; };\n\t\t", svc->syn_proxy_threshold);
	put_timing(out, &svc->timing, true);
	fprintf(out, "\n\t\tquorum = %u; hysteresis = %u; alpha = %s; omega = %s;\n",
		svc->quorum, svc->hysteresis, svc->alpha ? "true" : "false",
		svc->omega ? "true" : "false");
	fprintf(out, "\t\tpassive_failures = %u;", svc->passive_failures);
	put_secs(out, "passive_backoff", svc->passive_backoff_ms);
	fputc('\n', out);
	put_script(out, "\t\t", "quorum_up", svc->quorum_up, "\n");
	put_script(out, "\t\t", "quorum_down", svc->quorum_down, "\n");
	if (svc->has_sorry)
		fprintf(out, "\t\tsorry_server = { address = \"%s\"; port = %u; forward = \"%s\"; };\n",
			lb_ipv4_str(svc->sorry.addr, a, sizeof(a)), svc->sorry.port,
			fwd[svc->sorry.fwd]);
	fputs("\t\treal_servers = (\n", out);
	for (i = 0; i < svc->nb_rs; i++)
		dump_rs(cfg, svc, &svc->rs[i], out, i + 1 == svc->nb_rs);
	fprintf(out, "\t\t);\n\t}%s\n", last ? "" : ",");
}

static void
dump_vrrp_script(const struct lb_cfg_vrrp_script *s, FILE *out, bool last)
{
	fputs("\t{ name = ", out);
	put_str(out, s->name);
	fputs("; script = ", out);
	put_str(out, s->script);
	fputc(';', out);
	put_secs(out, "interval", s->interval_ms);
	put_secs(out, "timeout", s->timeout_ms);
	fprintf(out, " weight = %d; rise = %u; fall = %u; init_fail = %s; }%s\n", s->weight,
		s->rise, s->fall, s->init_fail ? "true" : "false", last ? "" : ",");
}

static void
dump_vrrp(const struct lb_cfg_vrrp *v, const struct lb_config *cfg, FILE *out, bool last)
{
	static const char *const auth[] = { "", "PASS", "AH" };
	char a[16];
	unsigned int i;

	fputs("\t{\n", out);
	put_kv(out, 2, "name", v->name);
	put_kv(out, 2, "interface", cfg->ifaces[v->iface].name);
	fprintf(out, "\t\tvirtual_router_id = %u;\n\t\tpriority = %u;\n\t\tversion = %u;\n",
		v->vrid, v->priority, v->version);
	if (v->advert_int_cs % 100 == 0)
		fprintf(out, "\t\tadvert_int = %u;\n", v->advert_int_cs / 100);
	else
		fprintf(out, "\t\tadvert_int = %u.%02u;\n", v->advert_int_cs / 100,
			v->advert_int_cs % 100);
	fprintf(out, "\t\tstate = \"%s\";\n", v->init_master ? "MASTER" : "BACKUP");
	if (v->auth_type != 0) {
		fprintf(out, "\t\tauthentication = { type = \"%s\"; pass = ", auth[v->auth_type]);
		put_str(out, v->auth_pass);
		fputs("; };\n", out);
	}
	fputs("\t\tvirtual_ipaddress = [", out);
	for (i = 0; i < v->nb_vips; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : " ", lb_ipv4_str(v->vips[i], a, sizeof(a)));
	fputs(" ];\n", out);
	if (v->nb_unicast_peers != 0) {
		fputs("\t\tunicast_peer = [", out);
		for (i = 0; i < v->nb_unicast_peers; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : " ",
				lb_ipv4_str(v->unicast_peers[i], a, sizeof(a)));
		fputs(" ];\n", out);
	}
	if (v->unicast_src != 0)
		put_kv(out, 2, "unicast_src_ip", lb_ipv4_str(v->unicast_src, a, sizeof(a)));
	fputs("\t\ttrack_scripts = [", out);
	for (i = 0; i < v->nb_track_scripts; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : " ", cfg->vrrp_scripts[v->track_scripts[i]].name);
	fputs(" ];\n\t\ttrack_interfaces = [", out);
	for (i = 0; i < v->nb_track_ifaces; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : " ", cfg->ifaces[v->track_ifaces[i]].name);
	fputs(" ];\n", out);
	fprintf(out, "\t\tgarp_master_repeat = %u;", v->garp_repeat);
	put_secs(out, "garp_master_delay", v->garp_delay_ms);
	put_secs(out, "garp_master_refresh", v->garp_refresh_ms);
	fprintf(out, " garp_master_refresh_repeat = %u;\n", v->garp_refresh_repeat);
	put_script(out, "\t\t", "notify_master", v->notify_master, "\n");
	put_script(out, "\t\t", "notify_backup", v->notify_backup, "\n");
	put_script(out, "\t\t", "notify_fault", v->notify_fault, "\n");
	put_script(out, "\t\t", "notify_stop", v->notify_stop, "\n");
	put_script(out, "\t\t", "notify", v->notify, "\n");
	fprintf(out, "\t\tnopreempt = %s;\n\t\tpreempt_delay = %u;\n\t}%s\n",
		v->nopreempt ? "true" : "false", v->preempt_delay_s, last ? "" : ",");
}

static void
dump_announce(const struct lb_cfg_announce *a, FILE *out)
{
	char s[16];
	unsigned int i;

	if (!a->on)
		return;
	fputs("announce = {\n", out);
	put_kv(out, 1, "format", a->format == LB_ANNOUNCE_BIRD ? "bird" : "prefixes");
	put_kv(out, 1, "file", a->file);
	if (a->bird_socket[0] != '\0')
		put_kv(out, 1, "bird_socket", a->bird_socket);
	else
		put_kv(out, 1, "command", a->command);
	if (a->vrrp_instance[0] != '\0')
		put_kv(out, 1, "vrrp_instance", a->vrrp_instance);
	put_kv(out, 1, "require", a->require_all ? "all" : "any");
	if (a->nb_vips > 0) {
		fputs("\tvips = [", out);
		for (i = 0; i < a->nb_vips; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : " ", lb_ipv4_str(a->vips[i], s, sizeof(s)));
		fputs(" ];\n", out);
	}
	fprintf(out, "\tinterval = %g;\n\ttimeout = %g;\n\tshutdown_delay = %g;\n};\n",
		a->interval_ms / 1000.0, a->timeout_ms / 1000.0, a->shutdown_delay_ms / 1000.0);
}

static void
dump_sync(const struct lb_config *cfg, FILE *out)
{
	static const char *const roles[] = { "", "master", "backup", "both" };
	const struct lb_cfg_sync *s = &cfg->sync;
	char a[16];
	unsigned int i;

	if (!s->enabled)
		return;
	fputs("sync_daemon = {\n", out);
	put_kv(out, 1, "interface", cfg->ifaces[s->iface].name);
	if (s->vrrp_instance[0] != '\0')
		put_kv(out, 1, "vrrp_instance", s->vrrp_instance);
	else
		put_kv(out, 1, "role", roles[s->roles & 3]);
	fprintf(out, "\tsyncid = %u;\n", s->syncid);
	if (s->maxlen != 0)
		fprintf(out, "\tmaxlen = %u;\n", s->maxlen);
	fprintf(out, "\tgroup = \"%s\";\n\tport = %u;\n\tttl = %u;\n",
		lb_ipv4_str(s->group, a, sizeof(a)), s->port, s->ttl);
	if (s->nb_peers > 0) {
		fputs("\tpeers = [", out);
		for (i = 0; i < s->nb_peers; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : " ", lb_ipv4_str(s->peers[i], a, sizeof(a)));
		fputs(" ];\n", out);
	}
	fprintf(out, "\tthreshold = %u;\n\trefresh = %u;\n};\n", s->threshold_s, s->refresh_s);
}

void
lb_config_dump(const struct lb_config *cfg, FILE *out)
{
	unsigned int i;

	fputs("# dplb effective configuration, from ", out);
	put_str(out, cfg->path);
	fputc('\n', out);
	dump_eal(&cfg->eal, out);
	if (cfg->router_id[0] != '\0') {
		fputs("router_id = ", out);
		put_str(out, cfg->router_id);
		fputs(";\n", out);
	}
	fprintf(out, "workers = %u;\n", cfg->workers);
	if (cfg->idle_sleep_us != 0)
		fprintf(out, "idle_sleep_us = %u;\n", cfg->idle_sleep_us);
	fprintf(out, "mbufs_per_port = %u;\n", cfg->mbufs_per_port);
	fprintf(out, "rx_desc = %u;\n", cfg->rx_desc);
	fprintf(out, "tx_desc = %u;\n", cfg->tx_desc);
	fprintf(out, "neigh_timeout = %u;\n", cfg->neigh_timeout_s);
	fputs("interfaces = (\n", out);
	for (i = 0; i < cfg->nb_ifaces; i++)
		dump_iface(&cfg->ifaces[i], out, i + 1 == cfg->nb_ifaces);
	fputs(");\n", out);
	fputs("cli = {\n", out);
	fprintf(out, "\tlisten = \"%s:%u\";\n", cfg->cli.listen_addr,
		cfg->cli.listen_port);
	put_script(out, "\t", "password_hash", cfg->cli.password_hash, "\n");
	fputs("};\n", out);
	if (cfg->metrics.on)
		fprintf(out, "metrics = {\n\tlisten = \"%s:%u\";\n};\n", cfg->metrics.listen_addr,
			cfg->metrics.listen_port);
	fprintf(out, "connections = {\n\tmax = %u;\n\ttcp_timeout = %u;\n"
		"\ttcpfin_timeout = %u;\n\tudp_timeout = %u;\n};\n", cfg->conn_max,
		cfg->tcp_timeout, cfg->tcpfin_timeout, cfg->udp_timeout);
	fprintf(out, "vip_unknown_port = \"%s\";\n", cfg->vip_reject ? "reject" : "drop");
	fprintf(out, "sloppy_tcp = %s;\n", cfg->sloppy_tcp ? "true" : "false");
	fprintf(out, "decrement_ttl = %s;\n", cfg->decrement_ttl ? "true" : "false");
	fputs("virtual_servers = (\n", out);
	for (i = 0; i < cfg->nb_services; i++)
		dump_service(cfg, &cfg->services[i], out, i + 1 == cfg->nb_services);
	fputs(");\n", out);
	fputs("vrrp_scripts = (\n", out);
	for (i = 0; i < cfg->nb_vrrp_scripts; i++)
		dump_vrrp_script(&cfg->vrrp_scripts[i], out, i + 1 == cfg->nb_vrrp_scripts);
	fputs(");\n", out);
	fputs("vrrp_instances = (\n", out);
	for (i = 0; i < cfg->nb_vrrp; i++)
		dump_vrrp(&cfg->vrrp[i], cfg, out, i + 1 == cfg->nb_vrrp);
	fputs(");\n", out);
	fputs("vrrp_sync_groups = (\n", out);
	for (i = 0; i < cfg->nb_vrrp_syncs; i++) {
		const struct lb_cfg_vrrp_sync *g = &cfg->vrrp_syncs[i];
		unsigned int k;

		fputs("\t{ name = ", out);
		put_str(out, g->name);
		fputs("; group = [", out);
		for (k = 0; k < g->nb_members; k++)
			fprintf(out, "%s\"%s\"", k ? ", " : " ", cfg->vrrp[g->members[k]].name);
		fprintf(out, " ]; }%s\n", i + 1 == cfg->nb_vrrp_syncs ? "" : ",");
	}
	fputs(");\n", out);
	put_script(out, "", "vrrp_notify_fifo", cfg->vrrp_notify_fifo, "\n");
	dump_sync(cfg, out);
	dump_announce(&cfg->announce, out);
}
