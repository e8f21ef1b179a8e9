/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL argument vector: config defaults, overridden by the operator's args. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "app/eal_args.h"

/* Does the operator's list hold any of the given options (also "--opt=v")? */
static bool
user_has(int uargc, char **uargv, const char *const *opts)
{
	int i, j;

	for (i = 0; i < uargc; i++)
		for (j = 0; opts[j] != NULL; j++) {
			size_t n = strlen(opts[j]);

			if (strncmp(uargv[i], opts[j], n) == 0 &&
			    (uargv[i][n] == '\0' || uargv[i][n] == '=' ||
			     (opts[j][1] != '-' && uargv[i][n] != '\0')))
				return true;
		}
	return false;
}

#define PUSH(s) do { if (argc >= max) return -E2BIG; out[argc++] = (char *)(s); } while (0)

int
lb_eal_args(const struct lb_config *cfg, const char *prog, int uargc,
	    char **uargv, bool huge_ok, char **out, int max)
{
	static const char *const o_lcores[] = { "-l", "--lcores", "-c", NULL };
	static const char *const o_prefix[] = { "--file-prefix", "--in-memory", NULL };
	static const char *const o_huge[] = { "--no-huge", NULL };
	static const char *const o_mem[] = { "-m", "--socket-mem", NULL };
	static const char *const o_pci[] = { "-a", "--allow", "-b", "--block", "--no-pci", NULL };
	static const char *const o_log[] = { "--log-level", NULL };
	static char lcores[64], mem[16];
	bool no_huge;
	unsigned int i;
	int argc = 0;

	PUSH(prog);
	if (!user_has(uargc, uargv, o_lcores)) {
		if (cfg->eal.lcores[0] != '\0')
			snprintf(lcores, sizeof(lcores), "%s", cfg->eal.lcores);
		else
			snprintf(lcores, sizeof(lcores), "0-%u", cfg->workers);
		PUSH("-l");
		PUSH(lcores);
	}
	if (!user_has(uargc, uargv, o_prefix)) {
		PUSH("--file-prefix");
		PUSH(cfg->eal.file_prefix);
	}
	no_huge = user_has(uargc, uargv, o_huge) || cfg->eal.huge == LB_HUGE_NO ||
		  (cfg->eal.huge == LB_HUGE_AUTO && !huge_ok);
	if (no_huge && !user_has(uargc, uargv, o_huge))
		PUSH("--no-huge");
	if (!user_has(uargc, uargv, o_mem) &&
	    (cfg->eal.memory_mb != 0 || no_huge)) {
		snprintf(mem, sizeof(mem), "%u",
			 cfg->eal.memory_mb ? cfg->eal.memory_mb :
			 RTE_MAX(LB_NO_HUGE_DEFAULT_MB, lb_eal_memory_need_mb(cfg)));
		PUSH("-m");
		PUSH(mem);
	}
	if (!user_has(uargc, uargv, o_pci)) {
		bool any_pci = false;

		for (i = 0; i < cfg->nb_ifaces; i++)
			if (cfg->ifaces[i].is_pci) {
				PUSH("-a");
				PUSH(cfg->ifaces[i].device);
				any_pci = true;
			}
		if (!any_pci)
			PUSH("--no-pci");
	}
	if (cfg->eal.log_level[0] != '\0' && !user_has(uargc, uargv, o_log)) {
		PUSH("--log-level");
		PUSH(cfg->eal.log_level);
	}
	for (i = 0; i < cfg->eal.nb_args; i++)
		PUSH(cfg->eal.args[i]);
	for (i = 0; i < (unsigned int)uargc; i++)
		PUSH(uargv[i]);
	if (argc >= max)
		return -E2BIG;
	out[argc] = NULL;
	return argc;
}

unsigned int
lb_eal_memory_need_mb(const struct lb_config *cfg)
{
	/* connections: 124 B measured (lb_conn_bytes_per_conn, with headroom); mbufs 2.5 KB */
	uint64_t bytes = (uint64_t)cfg->conn_max * 140 +
			 (uint64_t)cfg->nb_ifaces * 2 * cfg->mbufs_per_port * 2560 +
			 (128ull << 20);	/* rings, tables, EAL itself */

	return (unsigned int)((bytes + (1 << 20) - 1) >> 20);
}

bool
lb_hugepages_available(unsigned int need_mb)
{
	char line[256];
	long free_pages = 0, page_kb = 2048;
	bool mounted = false;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "HugePages_Free:", 15) == 0)
			free_pages = strtol(line + 15, NULL, 10);
		else if (strncmp(line, "Hugepagesize:", 13) == 0)
			page_kb = strtol(line + 13, NULL, 10);
	fclose(f);
	f = fopen("/proc/mounts", "r");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, " hugetlbfs ") != NULL)
			mounted = true;
	fclose(f);
	return mounted && (uint64_t)free_pages * (uint64_t)page_kb >= (uint64_t)need_mb * 1024;
}
