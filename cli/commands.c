/* SPDX-License-Identifier: BSD-3-Clause */
/* The CLI command table and handlers. */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "app/cfgsave.h"
#include "app/conn.h"
#include "app/lcore.h"
#include "app/reload.h"
#include "app/stats.h"
#include "app/svc_table.h"
#include "cli/commands.h"
#include "cli/ipvsadm.h"
#include "cli/server.h"
#include "health/monitor.h"
#include "pmd-glue/mempool.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "sync/sync.h"
#include "announce/announce.h"
#include "vrrp/instance.h"

#define MAX_ARGS 32

static struct lb_config *running_config;

void
lb_cli_set_config(struct lb_config *cfg)
{
	running_config = cfg;
}

struct lb_config *
lb_cli_running_config(void)
{
	return running_config;
}

struct command {
	const char *words;		/* fixed leading words */
	const char *usage;
	int (*run)(int argc, char **argv, FILE *out);
};

static int cmd_help(int argc, char **argv, FILE *out);

bool
lb_cli_extra_words(int argc, char **argv, FILE *out)
{
	if (argc == 0)
		return false;
	fprintf(out, "error: unexpected '%s' (type 'help')\n", argv[0]);
	return true;
}

static int
cmd_stats(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_stats_print(out);
	return 0;
}

static int
cmd_interfaces(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_ports_show(out);
	lb_mempool_show(out);
	return 0;
}

/*
 * debug mbuf hold N|all, debug mbuf release: a test hook (test_faults.sh)
 * that takes mbufs out of the pools to see dplb run short of them.
 */
static int
cmd_mbuf_hold(int argc, char **argv, FILE *out)
{
	unsigned long n;
	char *end;

	if (argc != 1) {
		fprintf(out, "error: debug mbuf hold N|all\n");
		return -EINVAL;
	}
	if (strcmp(argv[0], "all") == 0)
		return lb_mempool_hold(UINT32_MAX, out);
	n = strtoul(argv[0], &end, 10);
	if (*end != '\0' || argv[0][0] == '-' || n == 0 || n > 16777216) {
		fprintf(out, "error: '%s' is not a count of mbufs (1..16777216) or 'all'\n",
			argv[0]);
		return -EINVAL;
	}
	return lb_mempool_hold((uint32_t)n, out);
}

static int
cmd_mbuf_release(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_mempool_release(out);
	return 0;
}

static int
cmd_neigh(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
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
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	fprintf(out, "connections %u\n", lb_conn_count());
	return 0;
}

static int
cmd_top(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_svc_show(out, LB_SVC_VIEW_TOP, false);
	return LB_CLI_REPEAT;
}

static int
cmd_vrrp(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_vrrp_show(out);
	return 0;
}

static int
cmd_announce(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_announce_show(out);
	return 0;
}

static int
cmd_sync(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_sync_show(out);
	return 0;
}

static int
cmd_health(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	lb_health_monitor_show(out, lb_health_now_us());
	return 0;
}

static int
cmd_reload(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
		return -EINVAL;
	return lb_reload(out) == 0 ? 0 : -EINVAL;
}

/* config save [FILE]: runtime changes into the -f file (or FILE). */
static int
cmd_save(int argc, char **argv, FILE *out)
{
	if (argc > 1) {
		fprintf(out, "error: config save [FILE] (one file name, got %d words)\n", argc);
		return -EINVAL;
	}
	return lb_cfgsave_run(argc == 1 ? argv[0] : NULL, out) == 0 ? 0 : -EINVAL;
}

static int
cmd_show_config(int argc, char **argv, FILE *out)
{
	if (lb_cli_extra_words(argc, argv, out))
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

static const struct command commands[] = {
	{ "show config", "show config         the running configuration, in native syntax",
	  cmd_show_config },
	{ "log level", "log level MODULE LEVEL   e.g. log level health debug (MODULE all: every one)",
	  cmd_log_level },
	{ "vrrp set-priority", "vrrp set-priority INSTANCE PRIORITY   until restart; tracking applies on top",
	  cmd_vrrp_prio },
	{ "real-server drain", "real-server drain [tcp|udp] VIP:PORT RIP:PORT   weight 0, connections kept",
	  lb_cmd_drain },
	{ "service enable", "service enable [tcp|udp] VIP:PORT    schedule new connections again",
	  lb_cmd_service_enable },
	{ "service disable", "service disable [tcp|udp] VIP:PORT   no new connections; established go on",
	  lb_cmd_service_disable },
	{ "config save", "config save [FILE]  write ipvsadm edits, --set, drains, priorities into the -f file (or FILE)",
	  cmd_save },
	{ "config reload", "config reload       re-read the config file; apply services, servers, checkers",
	  cmd_reload },
	{ "show health", "show health         checked services: quorum, real servers, checkers, last errors",
	  cmd_health },
	{ "show sync", "show sync           connection sync: roles, peers, messages, drops", cmd_sync },
	{ "show announce", "show announce       VIPs announced to the routing daemon (BGP), why, its last answer",
	  cmd_announce },
	{ "show vrrp", "show vrrp           VRRP instances: state, priority, adverts, rejects", cmd_vrrp },
	{ "ipvsadm", "ipvsadm ARGS        ipvsadm(8): -A -E -D -C -a -e -d -L -n --stats -S --set --start-daemon --stop-daemon --daemon",
	  cmd_ipvsadm },
	{ "show conn", "show conn [tcp|udp] [client|vip|rs A.B.C.D[:P]] [state S] [limit N]   "
	  "connections (100 by default)", lb_cmd_show_conn },
	{ "show connections", "show connections    how many connections are tracked", cmd_conns },
	{ "show stats", "show stats          packet counters and drops by reason", cmd_stats },
	{ "show top", "show top            services and real servers by rate, every second, "
	  "until a key", cmd_top },
	{ "show interfaces", "show interfaces     data ports, addresses, link, NIC counters",
	  cmd_interfaces },
	{ "show neigh", "show neigh          the ARP table", cmd_neigh },
	{ "debug mbuf hold", "debug mbuf hold N|all   TEST ONLY: take mbufs out of the pool until "
	  "release (all: every one, workers' caches too; traffic stops)", cmd_mbuf_hold },
	{ "debug mbuf release", "debug mbuf release  give back what debug mbuf hold took",
	  cmd_mbuf_release },
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

/* Words that may follow a command's own words (argument completion). */
static const struct lb_cli_word ipvsadm_words[] = {
	{ "-A", "add virtual service: -A -t|-u VIP:PORT [-s SCHED] [-p [TIMEOUT]] [-M MASK]" },
	{ "-E", "edit virtual service" }, { "-D", "delete virtual service: -D -t|-u VIP:PORT" },
	{ "-C", "clear the whole table" }, { "-R", "restore rules (dplbctl -R < rules)" },
	{ "-S", "save rules in -R format (-S -n)" },
	{ "-a", "add real server: -a -t|-u VIP:PORT -r RIP[:PORT] [-g|-i|-m] [-w W]" },
	{ "-e", "edit real server" }, { "-d", "delete real server: -d -t|-u VIP:PORT -r RIP" },
	{ "-L", "list the table (-L -n [--stats|--rate|--thresholds|--persistent-conn|-c])" },
	{ "-Z", "zero the counters [-t|-u VIP:PORT]" }, { "--set", "--set TCP TCPFIN UDP timeouts" },
	{ "-t", "-t VIP:PORT  TCP service" }, { "-u", "-u VIP:PORT  UDP service" },
	{ "-s", "-s SCHED  rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos" },
	{ "-p", "-p [TIMEOUT]  persistence (360 s)" }, { "-M", "-M NETMASK  persistence granularity" },
	{ "-b", "-b FLAGS  sh-fallback,sh-port,mh-fallback,mh-port" },
	{ "-r", "-r RIP[:PORT]  real server" }, { "-g", "gatewaying (direct routing, default)" },
	{ "-i", "ipip (tunnel)" }, { "-m", "masquerading (NAT)" }, { "-w", "-w WEIGHT  0..65535" },
	{ "-x", "-x N  upper connection threshold" }, { "-y", "-y N  lower connection threshold" },
	{ "-n", "numeric output" }, { "-c", "the connection entries (-L -c)" },
	{ "--stats", "counters" }, { "--rate", "rates" }, { "--exact", "exact numbers" },
	{ "--timeout", "the tcp tcpfin udp timeouts" }, { "--thresholds", "-x/-y thresholds" },
	{ "--persistent-conn", "persistent connections" }, { "--sort", "sorted (always)" },
	{ NULL, NULL },
};

static const struct lb_cli_word conn_words[] = {
	{ "tcp", "TCP only" }, { "udp", "UDP only" }, { "client", "client A.B.C.D[:PORT]" },
	{ "vip", "vip A.B.C.D[:PORT]" }, { "rs", "rs A.B.C.D[:PORT]" },
	{ "state", "state ESTABLISHED|SYN_RECV|FIN_WAIT|TIME_WAIT|...|template" },
	{ "limit", "limit N  rows (100 by default)" }, { NULL, NULL },
};

static const struct lb_cli_word proto_words[] = {
	{ "tcp", "a TCP service (the default)" }, { "udp", "a UDP service" }, { NULL, NULL },
};

/* The argument words of the command whose own words are `words`, or NULL. */
static const struct lb_cli_word *
argument_words(const char *words)
{
	if (strcmp(words, "ipvsadm") == 0)
		return ipvsadm_words;
	if (strcmp(words, "show conn") == 0)
		return conn_words;
	if (strncmp(words, "service ", 8) == 0 || strcmp(words, "real-server drain") == 0)
		return proto_words;
	return NULL;
}

/* word is new among the n candidates found so far. */
static bool
fresh(const struct lb_cli_word *found, unsigned int n, const char *word)
{
	while (n-- > 0)
		if (strcmp(found[n].word, word) == 0)
			return false;
	return true;
}

unsigned int
lb_cli_complete(const char *line, struct lb_cli_word *found, unsigned int max,
		char *store, size_t store_len, const char **usage)
{
	char buf[512], *argv[MAX_ARGS], words[64], *save = NULL, *w;
	const char *partial;
	unsigned int i, n = 0, k;
	size_t used = 0, plen;
	int argc, m;

	*usage = NULL;
	snprintf(buf, sizeof(buf), "%s", line);
	plen = strlen(buf);
	partial = "";
	if (plen > 0 && buf[plen - 1] != ' ' && buf[plen - 1] != '\t') {
		char *sp = strrchr(buf, ' ');

		partial = line + (sp != NULL ? (size_t)(sp - buf) + 1 : 0);
		buf[sp != NULL ? (size_t)(sp - buf) : 0] = '\0';
	}
	plen = strlen(partial);
	argc = split(buf, argv);
	if (argc < 0)
		return 0;
	for (i = 0; i < RTE_DIM(commands) && n < max; i++) {
		const struct lb_cli_word *args;

		m = match(&commands[i], argc, argv);
		if (m >= 0) {			/* the command is typed: its arguments */
			*usage = commands[i].usage;
			args = argument_words(commands[i].words);
			for (k = 0; args != NULL && args[k].word != NULL && n < max; k++)
				if (strncmp(args[k].word, partial, plen) == 0)
					found[n++] = args[k];
			continue;
		}
		/* the next of the command's own words, when the typed ones agree */
		snprintf(words, sizeof(words), "%s", commands[i].words);
		save = NULL;
		for (k = 0, w = strtok_r(words, " ", &save); w != NULL && k < (unsigned int)argc;
		     k++, w = strtok_r(NULL, " ", &save))
			if (strcmp(w, argv[k]) != 0)
				break;
		if (w == NULL || k < (unsigned int)argc || strncmp(w, partial, plen) != 0 ||
		    !fresh(found, n, w) || used + strlen(w) + 1 > store_len)
			continue;
		memcpy(store + used, w, strlen(w) + 1);
		found[n].word = store + used;
		found[n].help = commands[i].usage;
		used += strlen(w) + 1;
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
