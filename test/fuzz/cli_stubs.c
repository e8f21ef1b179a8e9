/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the CLI's commands call beyond their own parsing, stubbed for the
 * cli fuzz target: no EAL, no workers, no sockets. Each writes a line so
 * the output paths run.
 */
#include <stdio.h>

#include "app/cfgsave.h"
#include "app/conn.h"
#include "app/conn_show.h"
#include "app/lcore.h"
#include "app/reload.h"
#include "app/stats.h"
#include "app/svc_table.h"
#include "cli/ipvsadm.h"
#include "health/monitor.h"
#include "pmd-glue/mempool.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "sync/sync.h"
#include "vrrp/instance.h"

unsigned int lb_nb_workers = 1;

void lb_stats_print(FILE *out) { fputs("rx_packets 0\n", out); }
void lb_ports_show(FILE *out) { fputs("lab0: port 0\n", out); }
void lb_mempool_show(FILE *out) { fputs("mbufs: in use 0 of 0\n", out); }
int lb_mempool_hold(uint32_t n, FILE *out) { fprintf(out, "hold %u\n", n); return 0; }
void lb_mempool_release(FILE *out) { fputs("released\n", out); }
void lb_neigh_show(FILE *out) { fputs("neigh\n", out); }
void lb_vrrp_show(FILE *out) { fputs("vrrp\n", out); }
void lb_sync_show(FILE *out) { fputs("sync\n", out); }
void lb_announce_show(FILE *out) { fputs("announce\n", out); }
const char *lb_vrrp_summary(void) { return NULL; }
int lb_vrrp_set_priority(const char *name, unsigned int prio)
{
	return name[0] == 'V' && prio > 0 ? 0 : -2;
}
void lb_health_monitor_show(FILE *out, uint64_t now) { fprintf(out, "health %lu\n", now); }
uint64_t lb_health_now_us(void) { return 1; }
int lb_reload(FILE *out) { fputs("reload\n", out); return 0; }
int lb_cfgsave_run(const char *file, FILE *out) { fprintf(out, "save %s\n", file ? file : "-"); return 0; }
unsigned int lb_conn_count(void) { return 0; }
void lb_svc_show(FILE *out, enum lb_svc_view view, bool exact) { fprintf(out, "%d %d\n", view, exact); }
int lb_svc_apply(const struct lb_config *cfg, unsigned int nb_workers)
{
	return cfg != NULL && nb_workers > 0 ? 0 : -1;
}
void lb_conn_show(FILE *out, const struct lb_conn_filter *f) { fprintf(out, "conn %u\n", f->limit); }
int lb_ipvsadm_exec(struct lb_config *cfg, const struct lb_ipvs_cmd *cmd, FILE *out)
{
	fprintf(out, "ipvsadm %d %u\n", cmd->op, cfg->nb_services);
	return 0;
}

const char *
lb_conn_state_name(unsigned int state)
{
	static const char *const names[] = { "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV",
		"FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
		"UDP" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}
