/* SPDX-License-Identifier: BSD-3-Clause */
/* ipvsadm commands against the running services: edit the config, republish. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "app/conn.h"
#include "app/conn_show.h"
#include "app/lcore.h"
#include "app/svc_table.h"
#include "cli/ipvsadm.h"
#include "sync/sync.h"

/* Index of the service cmd names in cfg, or -1. */
static int
find_svc(const struct lb_config *cfg, const struct lb_cfg_service *k)
{
	const struct lb_cfg_service *svc = lb_cfg_find_service(cfg, k->proto, k->vip, k->port);

	return svc != NULL ? (int)(svc - cfg->services) : -1;
}

static int
error(FILE *out, int rc, const char *msg)
{
	fprintf(out, "error: %s\n", msg);
	return rc;
}

/* Publish cfg's services; on failure put back the copy taken before the edit. */
static int
publish(struct lb_config *cfg, struct lb_cfg_service *saved, unsigned int nb_saved, FILE *out)
{
	int rc = lb_svc_apply(cfg, lb_nb_workers);

	if (rc == 0) {
		free(saved);
		return 0;
	}
	free(cfg->services);
	cfg->services = saved;
	cfg->nb_services = nb_saved;
	return error(out, rc, "the new service table could not be built; nothing changed "
		     "(see the log)");
}

static int
edit_service(struct lb_config *cfg, const struct lb_ipvs_cmd *cmd, int idx, FILE *out)
{
	struct lb_cfg_service *s;

	switch (cmd->op) {
	case LB_IPVS_ADD_SVC:
		if (idx >= 0)
			return error(out, -EEXIST, "Service already exists");
		if (cfg->nb_services == LB_MAX_SERVICES)
			return error(out, -ENOSPC, "too many services");
		s = realloc(cfg->services, (cfg->nb_services + 1) * sizeof(*s));
		if (s == NULL)
			return error(out, -ENOMEM, "Memory allocation problem");
		cfg->services = s;
		s[cfg->nb_services++] = cmd->svc;
		return 0;
	case LB_IPVS_EDIT_SVC:	/* options not given go back to their defaults */
		s = &cfg->services[idx];
		memcpy(s->sched, cmd->svc.sched, sizeof(s->sched));
		s->flags = cmd->svc.flags | (s->flags & LB_SVC_F_DISABLED);
		s->persistence = cmd->svc.persistence;
		s->netmask = cmd->svc.netmask;
		return 0;
	case LB_IPVS_DEL_SVC:
		memmove(&cfg->services[idx], &cfg->services[idx + 1],
			(cfg->nb_services - idx - 1) * sizeof(cfg->services[0]));
		cfg->nb_services--;
		return 0;
	default:
		return -EINVAL;
	}
}

static int
edit_server(struct lb_config *cfg, const struct lb_ipvs_cmd *cmd, int idx, FILE *out)
{
	struct lb_cfg_service *s = &cfg->services[idx];
	struct lb_cfg_rs rs = cmd->rs;
	char msg[160];
	int r;

	if (rs.port == 0)
		rs.port = s->port;
	r = lb_cfg_find_rs(s, rs.addr, rs.port);
	if (cmd->op == LB_IPVS_DEL_RS) {
		if (r < 0)
			return error(out, -ENOENT, "No such destination");
		memmove(&s->rs[r], &s->rs[r + 1], (s->nb_rs - r - 1) * sizeof(s->rs[0]));
		s->nb_rs--;
		return 0;
	}
	if (cmd->op == LB_IPVS_ADD_RS && r >= 0)
		return error(out, -EEXIST, "Destination already exists");
	if (cmd->op == LB_IPVS_EDIT_RS && r < 0)
		return error(out, -ENOENT, "No such destination");
	if (lb_cfg_check_rs(cfg, s, &rs, msg, sizeof(msg)) != 0)
		return error(out, -EINVAL, msg);
	if (cmd->op == LB_IPVS_ADD_RS) {
		if (s->nb_rs == LB_MAX_RS)
			return error(out, -ENOSPC, "too many real servers for this service");
		r = (int)s->nb_rs++;
	}
	s->rs[r] = rs;
	return 0;
}

static int
cmp_svc(const void *a, const void *b)
{
	const struct lb_cfg_service *x = *(const struct lb_cfg_service *const *)a;
	const struct lb_cfg_service *y = *(const struct lb_cfg_service *const *)b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->vip != y->vip)
		return x->vip < y->vip ? -1 : 1;
	return (int)x->port - (int)y->port;
}

static int
cmp_rs(const void *a, const void *b)
{
	const struct lb_cfg_rs *x = *(const struct lb_cfg_rs *const *)a;
	const struct lb_cfg_rs *y = *(const struct lb_cfg_rs *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->port - (int)y->port;
}

static void
save_flags(FILE *out, uint32_t flags)
{
	static const struct { uint32_t f; const char *name; } names[] = {
		{ LB_SVC_F_SH_FALLBACK, "sh-fallback" }, { LB_SVC_F_SH_PORT, "sh-port" },
		{ LB_SVC_F_MH_FALLBACK, "mh-fallback" }, { LB_SVC_F_MH_PORT, "mh-port" },
	};
	unsigned int i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].f)
			fprintf(out, "%s%s", n++ ? "," : " -b ", names[i].name);
}

/* ipvsadm -S: the rules as ipvsadm lines, numeric, in ipvsadm's order. */
static void
save(const struct lb_config *cfg, FILE *out)
{
	static const char *const fwd[] = { "-m", "-g", "-i", "--fullnat" };
	const struct lb_cfg_service *svcs[LB_MAX_SERVICES];
	const struct lb_cfg_rs *rs[LB_MAX_RS];
	char a[16], b[16];
	unsigned int i, j;

	for (i = 0; i < cfg->nb_services; i++)
		svcs[i] = &cfg->services[i];
	qsort(svcs, cfg->nb_services, sizeof(svcs[0]), cmp_svc);
	for (i = 0; i < cfg->nb_services; i++) {
		const struct lb_cfg_service *s = svcs[i];
		const char *p = s->proto == IPPROTO_UDP ? "-u" : "-t";

		lb_ipv4_str(s->vip, a, sizeof(a));
		fprintf(out, "-A %s %s:%u -s %s", p, a, s->port, s->sched);
		save_flags(out, s->flags);
		if (s->flags & LB_SVC_F_PERSISTENT) {
			fprintf(out, " -p %u", s->persistence);
			if (s->netmask != 0xffffffff)
				fprintf(out, " -M %s", lb_ipv4_str(s->netmask, b, sizeof(b)));
		}
		fputc('\n', out);
		for (j = 0; j < s->nb_rs; j++)
			rs[j] = &s->rs[j];
		qsort(rs, s->nb_rs, sizeof(rs[0]), cmp_rs);
		for (j = 0; j < s->nb_rs; j++) {
			fprintf(out, "-a %s %s:%u -r %s:%u %s -w %u", p, a, s->port,
				lb_ipv4_str(rs[j]->addr, b, sizeof(b)), rs[j]->port,
				fwd[rs[j]->fwd], rs[j]->weight);
			if (rs[j]->u_threshold)
				fprintf(out, " -x %u", rs[j]->u_threshold);
			if (rs[j]->l_threshold)
				fprintf(out, " -y %u", rs[j]->l_threshold);
			fputc('\n', out);
		}
	}
}

/* ipvsadm -h: the commands and options this ipvsadm takes. */
static void
usage(FILE *out)
{
	fputs("ipvsadm (dplb): the IPVS table of this director\n"
	      "  ipvsadm -A|E -t|u service-address [-s scheduler] [-p [timeout]] [-M netmask]\n"
	      "          [-b sched-flags]\n"
	      "  ipvsadm -D -t|u service-address\n"
	      "  ipvsadm -C\n"
	      "  ipvsadm -R                 (dplbctl -R < rules)\n"
	      "  ipvsadm -S [-n]\n"
	      "  ipvsadm -a|e -t|u service-address -r server-address [-g|i|m] [-w weight]\n"
	      "          [-x upper-threshold] [-y lower-threshold]\n"
	      "  ipvsadm -d -t|u service-address -r server-address\n"
	      "  ipvsadm -L|l [-t|u service-address] [-c] [-n] [--stats|--rate|--thresholds|\n"
	      "          --persistent-conn|--timeout] [--exact] [--sort]\n"
	      "  ipvsadm -Z [-t|u service-address]\n"
	      "  ipvsadm --set tcp tcpfin udp\n"
	      "  ipvsadm --start-daemon master|backup [--mcast-interface IF] [--syncid N]\n"
	      "          [--sync-maxlen N] [--mcast-group A.B.C.D] [--mcast-port N] [--mcast-ttl N]\n"
	      "  ipvsadm --stop-daemon master|backup\n"
	      "  ipvsadm -L --daemon\n"
	      "  ipvsadm -h\n"
	      "Schedulers: rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos (default wlc);\n"
	      "forwarding: -g direct routing (default), -i tunnel, -m masquerading, --fullnat;\n"
	      "-p alone: 360 s. Firewall-mark services (-f) do not exist on a DPDK data path.\n",
	      out);
}

/* --start-daemon / --stop-daemon, with ipvsadm's messages. */
static int
daemon_cmd(const struct lb_ipvs_cmd *cmd, FILE *out)
{
	enum lb_sync_role role = cmd->d.role ? LB_SYNC_ROLE_BACKUP : LB_SYNC_ROLE_MASTER;
	struct lb_sync_params p = { .syncid = (uint8_t)cmd->d.syncid,
				    .maxlen = (uint16_t)cmd->d.maxlen, .group = cmd->d.group,
				    .port = (uint16_t)cmd->d.port, .ttl = (uint8_t)cmd->d.ttl };
	char msg[128];
	int rc;

	if (cmd->op == LB_IPVS_STOP_DAEMON) {
		rc = lb_sync_stop(role);
		return rc == 0 ? 0 : error(out, rc, "No daemon is running");
	}
	snprintf(p.iface, sizeof(p.iface), "%s", cmd->d.iface);
	rc = lb_sync_start(role, &p, msg, sizeof(msg));
	return rc == 0 ? 0 : error(out, rc, msg);
}

int
lb_ipvsadm_exec(struct lb_config *cfg, const struct lb_ipvs_cmd *cmd, FILE *out)
{
	struct lb_cfg_service *saved;
	unsigned int nb_saved = cfg->nb_services;
	int idx, rc;

	switch (cmd->op) {
	case LB_IPVS_START_DAEMON:
	case LB_IPVS_STOP_DAEMON:
		return daemon_cmd(cmd, out);
	case LB_IPVS_LIST:
		if (cmd->daemon) {	/* ipvsadm -L --daemon */
			lb_sync_list(out);
			return 0;
		}
		if (cmd->timeout) {	/* ipvsadm -L --timeout */
			fprintf(out, "Timeout (tcp tcpfin udp): %u %u %u\n", cfg->tcp_timeout,
				cfg->tcpfin_timeout, cfg->udp_timeout);
			return 0;
		}
		if (cmd->conns) {	/* ipvsadm -L -c */
			lb_conn_show_ipvsadm(out, cmd->persist);
			return 0;
		}
		lb_svc_show(out, cmd->rate ? LB_SVC_VIEW_RATE :
			    cmd->stats ? LB_SVC_VIEW_STATS :
			    cmd->thresholds ? LB_SVC_VIEW_THRESHOLDS :
			    cmd->persist ? LB_SVC_VIEW_PERSIST : LB_SVC_VIEW_PLAIN, cmd->exact);
		return 0;
	case LB_IPVS_ZERO:
		if (lb_svc_zero(cmd->has_svc ? cmd->svc.proto : 0,
				rte_cpu_to_be_32(cmd->svc.vip), rte_cpu_to_be_16(cmd->svc.port)) != 0)
			return error(out, -ENOENT, "No such service");
		return 0;
	case LB_IPVS_SAVE:
		save(cfg, out);
		return 0;
	case LB_IPVS_HELP:
		usage(out);
		return 0;
	case LB_IPVS_SET:
		if (cmd->timeouts[0])
			cfg->tcp_timeout = cmd->timeouts[0];
		if (cmd->timeouts[1])
			cfg->tcpfin_timeout = cmd->timeouts[1];
		if (cmd->timeouts[2])
			cfg->udp_timeout = cmd->timeouts[2];
		lb_conn_set_timeouts(cfg);
		return 0;
	default:
		break;
	}
	idx = cmd->op == LB_IPVS_CLEAR ? -1 : find_svc(cfg, &cmd->svc);
	if (idx < 0 && cmd->op != LB_IPVS_ADD_SVC && cmd->op != LB_IPVS_CLEAR)
		return error(out, -ENOENT, "Service not defined");
	saved = malloc((nb_saved ? nb_saved : 1) * sizeof(*saved));
	if (saved == NULL)
		return error(out, -ENOMEM, "Memory allocation problem");
	if (nb_saved)
		memcpy(saved, cfg->services, nb_saved * sizeof(*saved));
	if (cmd->op == LB_IPVS_CLEAR) {
		cfg->nb_services = 0;
		rc = 0;
	} else if (cmd->op == LB_IPVS_ADD_SVC || cmd->op == LB_IPVS_EDIT_SVC ||
		   cmd->op == LB_IPVS_DEL_SVC) {
		rc = edit_service(cfg, cmd, idx, out);
	} else {
		rc = edit_server(cfg, cmd, idx, out);
	}
	if (rc != 0) {
		memcpy(cfg->services, saved, nb_saved * sizeof(*saved));
		cfg->nb_services = nb_saved;
		free(saved);
		return rc;
	}
	return publish(cfg, saved, nb_saved, out);
}
