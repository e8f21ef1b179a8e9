/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the CLI's command parser as a session feeds it. The input's
 * lines run through lb_cli_exec (word splitting, the command table, every
 * command's own argument checks: show conn filters, service and drain
 * endpoints, log level, vrrp set-priority, config save/reload words) and
 * through completion (TAB / `?`); the same bytes go through the line
 * editor (DPDK's rdline: escape sequences, history, ^C/^D) whose lines run
 * too. What commands would do to the data path is stubbed (cli_stubs.c).
 * Any input: no crash, no leak, no UB.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/server.h"
#include "cli/term.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lb_config cfg;
static FILE *sink;

static const char conf[] =
	"interfaces = ( { name = \"lab0\"; device = \"net_null0\"; address = \"198.18.2.1/24\"; } );\n"
	"virtual_servers = ( { address = \"198.18.1.100\"; port = 80; real_servers = (\n"
	"  { address = \"198.18.2.11\"; port = 80; }, { address = \"198.18.2.12\"; port = 80; } ); },\n"
	"  { protocol = \"udp\"; address = \"198.18.1.100\"; port = 53;\n"
	"    real_servers = ( { address = \"198.18.2.11\"; port = 53; } ); } );\n";

static void
discard(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
}

static void
run_line(const char *line)
{
	struct lb_cli_word found[64];
	char store[1024];
	const char *usage;

	lb_cli_exec(line, sink);
	lb_cli_complete(line, found, 64, store, sizeof(store), &usage);
	lb_term_help(sink, line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lb_cfg_errors err = { .out = NULL };
	struct lb_term *term;
	char *text, *line, *save = NULL;
	size_t i;

	if (size > 8192)
		return 0;
	if (sink == NULL) {
		sink = fopen("/dev/null", "w");
		if (sink == NULL || lb_config_parse_native("fuzz.conf", conf, &cfg, &err) != 0)
			abort();
		lb_cli_set_config(&cfg);
	}
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		run_line(line);
	free(text);
	term = lb_term_new(discard, NULL);
	if (term == NULL)
		return 0;
	lb_term_newline(term, "fuzz> ");
	for (i = 0; i < size; i++) {
		enum lb_term_event ev = lb_term_input(term, (char)data[i]);

		if (ev == LB_TERM_LINE)
			run_line(lb_term_line(term));
		else if (ev == LB_TERM_EOF)
			lb_term_newline(term, "fuzz> ");
	}
	lb_term_free(term);
	return 0;
}
