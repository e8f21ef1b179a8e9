/* SPDX-License-Identifier: BSD-3-Clause */
/* The CLI command table and handlers. */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "app/conn.h"
#include "app/lcore.h"
#include "app/reload.h"
#include "app/stats.h"
#include "app/svc_table.h"
#include "cli/ipvsadm.h"
#include "cli/server.h"
#include "health/monitor.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "sync/sync.h"
#include "vrrp/instance.h"

#define MAX_ARGS 32

static struct lb_config *running_config;

void
lb_cli_set_config(struct lb_config *cfg)
{
	running_config = cfg;
}

struct command {
	const char *words;		/* fixed leading words */
	const char *usage;
	int (*run)(int argc, char **argv, FILE *out);
};

static int cmd_help(int argc, char **argv, FILE *out);

/* Commands without arguments refuse stray words rather than ignore them. */
static bool
extra_words(int argc, char **argv, FILE *out)
{
	if (argc == 0)
		return false;
	fprintf(out, "error: unexpected '%s' (type 'help')\n", argv[0]);
	return true;
}

static int
cmd_stats(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_stats_print(out);
	return 0;
}

static int
cmd_interfaces(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_ports_show(out);
	return 0;
}

static int
cmd_neigh(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_neigh_show(out);
	return 0;
}

static int
cmd_ipvsadm(int argc, char **argv, FILE *out)
{
	struct lb_ipvs_cmd cmd;
	char err[200];

	if (running_config == NULL)
		return -EINVAL;
	if (lb_ipvsadm_parse(argc, argv, &cmd, err, sizeof(err)) != 0) {
		fprintf(out, "error: ipvsadm: %s\n", err);
		return -EINVAL;
	}
	return lb_ipvsadm_exec(running_config, &cmd, out);
}

static int
cmd_conns(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	fprintf(out, "connections %u\n", lb_conn_count());
	return 0;
}

static int
cmd_vrrp(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_vrrp_show(out);
	return 0;
}

static int
cmd_sync(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_sync_show(out);
	return 0;
}

static int
cmd_health(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_health_monitor_show(out, lb_health_now_us());
	return 0;
}

static int
cmd_reload(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	return lb_reload(out) == 0 ? 0 : -EINVAL;
}

static int
cmd_show_config(int argc, char **argv, FILE *out)
{
	if (extra_words(argc, argv, out))
		return -EINVAL;
	lb_config_dump(running_config, out);
	return 0;
}

/* log level MODULE|all LEVEL: e.g. `log level health debug`. */
static int
cmd_log_level(int argc, char **argv, FILE *out)
{
	static const char *const levels[] = { "emerg", "alert", "crit", "err", "warning",
		"notice", "info", "debug" };
	char pattern[64];
	unsigned int l;

	if (argc != 2) {
		fprintf(out, "error: log level MODULE LEVEL (MODULE: all, health, vrrp, port, ...; "
			"LEVEL: emerg .. debug)\n");
		return -EINVAL;
	}
	for (l = 0; l < RTE_DIM(levels); l++)
		if (strcmp(argv[1], levels[l]) == 0)
			break;
	if (l == RTE_DIM(levels)) {
		fprintf(out, "error: level '%s' is not one of emerg alert crit err warning notice "
			"info debug\n", argv[1]);
		return -EINVAL;
	}
	if (strcmp(argv[0], "all") == 0)
		snprintf(pattern, sizeof(pattern), "dplb*");
	else
		snprintf(pattern, sizeof(pattern), "dplb.%s", argv[0]);
	if (rte_log_set_level_pattern(pattern, l + 1) != 0) {
		fprintf(out, "error: cannot set the level of '%s'\n", argv[0]);
		return -EINVAL;
	}
	fprintf(out, "log level of %s: %s\n", pattern, levels[l]);
	return 0;
}

static int
cmd_vrrp_prio(int argc, char **argv, FILE *out)
{
	char *end;
	long prio;
	int rc;

	if (argc != 2) {
		fprintf(out, "error: vrrp set-priority INSTANCE PRIORITY (1..255)\n");
		return -EINVAL;
	}
	prio = strtol(argv[1], &end, 10);
	rc = *end != '\0' || prio < 1 || prio > 255 ? -ERANGE :
	     lb_vrrp_set_priority(argv[0], (unsigned int)prio);
	if (rc == -ENOENT)
		fprintf(out, "error: no vrrp_instance '%s'\n", argv[0]);
	else if (rc != 0)
		fprintf(out, "error: priority '%s' is not 1..255\n", argv[1]);
	return rc;
}

/* An "a.b.c.d:port" word into host-order address and port; false if bad. */
static bool
endpoint(const char *w, uint32_t *addr, uint16_t *port)
{
	char ip[20];
	const char *colon = strchr(w, ':');
	char *end;
	long p;
	uint8_t len;

	if (colon == NULL || (size_t)(colon - w) >= sizeof(ip))
		return false;
	memcpy(ip, w, (size_t)(colon - w));
	ip[colon - w] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535 || lb_parse_ipv4_prefix(ip, addr, &len, false) != 0)
		return false;
	*port = (uint16_t)p;
	return true;
}

/* real-server drain [tcp|udp] VIP:PORT RIP:PORT: weight 0, connections stay. */
static int
cmd_drain(int argc, char **argv, FILE *out)
{
	struct lb_cfg_service *svc;
	uint8_t proto = IPPROTO_TCP;
	uint32_t vip, rip;
	uint16_t vport, rport;
	int k;

	if (argc == 3 && (strcmp(argv[0], "tcp") == 0 || strcmp(argv[0], "udp") == 0)) {
		proto = argv[0][0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP;
		argc--;
		argv++;
	}
	if (argc != 2 || !endpoint(argv[0], &vip, &vport) || !endpoint(argv[1], &rip, &rport)) {
		fprintf(out, "error: real-server drain [tcp|udp] VIP:PORT RIP:PORT\n");
		return -EINVAL;
	}
	svc = lb_cfg_find_service(running_config, proto, vip, vport);
	if (svc == NULL) {
		fprintf(out, "error: Service not defined\n");
		return -ENOENT;
	}
	k = lb_cfg_find_rs(svc, rip, rport);
	if (k < 0) {
		fprintf(out, "error: %s is not a real server of %s\n", argv[1], argv[0]);
		return -ENOENT;
	}
	svc->rs[k].weight = 0;
	if (lb_svc_apply(running_config, lb_nb_workers) != 0) {
		fprintf(out, "error: cannot publish the change\n");
		return -EIO;
	}
	fprintf(out, "%s drained: weight 0, no new connections; its established ones go on "
		"(ipvsadm -e ... -w N to restore)\n", argv[1]);
	return 0;
}


static const struct command commands[] = {
	{ "show config", "show config         the running configuration, in native syntax",
	  cmd_show_config },
	{ "log level", "log level MODULE LEVEL   e.g. log level health debug (MODULE all: every one)",
	  cmd_log_level },
	{ "vrrp set-priority", "vrrp set-priority INSTANCE PRIORITY   until restart; tracking applies on top",
	  cmd_vrrp_prio },
	{ "real-server drain", "real-server drain [tcp|udp] VIP:PORT RIP:PORT   weight 0, connections kept",
	  cmd_drain },
	{ "config reload", "config reload       re-read the config file; apply services, servers, checkers",
	  cmd_reload },
	{ "show health", "show health         checked services: quorum, real servers, checkers, last errors",
	  cmd_health },
	{ "show sync", "show sync           connection sync: roles, peers, messages, drops", cmd_sync },
	{ "show vrrp", "show vrrp           VRRP instances: state, priority, adverts, rejects", cmd_vrrp },
	{ "ipvsadm", "ipvsadm ARGS        ipvsadm(8): -A -E -D -C -a -e -d -L -n --stats -S --set --start-daemon --stop-daemon --daemon",
	  cmd_ipvsadm },
	{ "show connections", "show connections    how many connections are tracked", cmd_conns },
	{ "show stats", "show stats          packet counters and drops by reason", cmd_stats },
	{ "show interfaces", "show interfaces     data ports, addresses, link, NIC counters",
	  cmd_interfaces },
	{ "show neigh", "show neigh          the ARP table", cmd_neigh },
	{ "help", "help                this list", cmd_help },
};

/* help [WORDS...]: every command, or those whose words start with WORDS. */
static int
cmd_help(int argc, char **argv, FILE *out)
{
	unsigned int i, shown = 0;
	char want[128] = "";
	int k;

	for (k = 0; k < argc; k++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
			 k ? " " : "", argv[k]);
	for (i = 0; i < RTE_DIM(commands); i++)
		if (strncmp(commands[i].words, want, strlen(want)) == 0) {
			fprintf(out, "%s\n", commands[i].usage);
			shown++;
		}
	if (argc == 0)
		fprintf(out, "quit                end the session\n");
	else if (shown == 0) {
		fprintf(out, "error: no command '%s' (type 'help')\n", want);
		return -EINVAL;
	}
	return 0;
}

/* Split line into words in place; returns the count or -E2BIG. */
static int
split(char *line, char **argv)
{
	int argc = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_ARGS)
			return -E2BIG;
		argv[argc++] = w;
	}
	return argc;
}

/* How many words of cmd's fixed words match argv; -1 when they differ. */
static int
match(const struct command *cmd, int argc, char **argv)
{
	char words[64], *save = NULL, *w;
	int n = 0;

	snprintf(words, sizeof(words), "%s", cmd->words);
	for (w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n >= argc || strcmp(w, argv[n]) != 0)
			return -1;
		n++;
	}
	return n;
}

int
lb_cli_exec(const char *line, FILE *out)
{
	char buf[LB_CLI_MAX_LINE + 1], *argv[MAX_ARGS];
	unsigned int i;
	int argc, n;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split(buf, argv);
	if (argc < 0) {
		fprintf(out, "error: too many words (at most %d)\n", MAX_ARGS);
		return -EINVAL;
	}
	if (argc == 0)
		return 0;
	for (i = 0; i < RTE_DIM(commands); i++) {
		n = match(&commands[i], argc, argv);
		if (n >= 0)
			return commands[i].run(argc - n, argv + n, out);
	}
	fprintf(out, "error: unknown command '%s' (type 'help')\n", argv[0]);
	return -EINVAL;
}
