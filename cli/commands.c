/* SPDX-License-Identifier: BSD-3-Clause */
/* The CLI command table and handlers. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "app/conn.h"
#include "app/stats.h"
#include "app/svc_table.h"
#include "cli/server.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"

#define MAX_ARGS 16

struct command {
	const char *words;		/* fixed leading words */
	const char *usage;
	int (*run)(int argc, char **argv, FILE *out);
};

static int cmd_help(int argc, char **argv, FILE *out);

static int
cmd_stats(int argc, char **argv, FILE *out)
{
	(void)argc;
	(void)argv;
	lb_stats_print(out);
	return 0;
}

static int
cmd_interfaces(int argc, char **argv, FILE *out)
{
	(void)argc;
	(void)argv;
	lb_ports_show(out);
	return 0;
}

static int
cmd_neigh(int argc, char **argv, FILE *out)
{
	(void)argc;
	(void)argv;
	lb_neigh_show(out);
	return 0;
}

static int
cmd_ipvsadm(int argc, char **argv, FILE *out)
{
	bool list = false, numeric = false, stats = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-L") == 0 || strcmp(argv[i], "-l") == 0 ||
		    strcmp(argv[i], "--list") == 0)
			list = true;
		else if (strcmp(argv[i], "-n") == 0 || strcmp(argv[i], "--numeric") == 0)
			numeric = true;
		else if (strcmp(argv[i], "--stats") == 0)
			stats = true;
		else if (strcmp(argv[i], "-Ln") == 0)
			list = numeric = true;
		else {
			fprintf(out, "error: ipvsadm: option '%s' is not supported yet "
				"(only -L -n [--stats])\n", argv[i]);
			return -EINVAL;
		}
	}
	(void)numeric;	/* addresses are always printed numerically */
	if (argc > 0 && !list) {
		fprintf(out, "error: ipvsadm: only -L is supported yet\n");
		return -EINVAL;
	}
	lb_svc_show(out, stats);
	return 0;
}

static int
cmd_conns(int argc, char **argv, FILE *out)
{
	(void)argc;
	(void)argv;
	fprintf(out, "connections %u\n", lb_conn_count());
	return 0;
}

static const struct command commands[] = {
	{ "ipvsadm", "ipvsadm -L -n [--stats]  the virtual service table", cmd_ipvsadm },
	{ "show connections", "show connections    how many connections are tracked", cmd_conns },
	{ "show stats", "show stats          packet counters and drops by reason", cmd_stats },
	{ "show interfaces", "show interfaces     data ports, addresses, link, NIC counters",
	  cmd_interfaces },
	{ "show neigh", "show neigh          the ARP table", cmd_neigh },
	{ "help", "help                this list", cmd_help },
};

static int
cmd_help(int argc, char **argv, FILE *out)
{
	unsigned int i;

	(void)argc;
	(void)argv;
	for (i = 0; i < RTE_DIM(commands); i++)
		fprintf(out, "%s\n", commands[i].usage);
	fprintf(out, "quit                end the session\n");
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
