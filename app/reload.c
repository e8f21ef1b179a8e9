/* SPDX-License-Identifier: BSD-3-Clause */
/* Config file loading and hot reload. See reload.h. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "app/conn.h"
#include "app/lcore.h"
#include "app/classify.h"
#include "app/obs.h"
#include "app/reload.h"
#include "app/svc_table.h"
#include "health/monitor.h"
#include "vrrp/diff.h"
#include "vrrp/instance.h"

RTE_LOG_REGISTER_SUFFIX(lb_reload_logtype, reload, INFO);

volatile bool lb_reload_requested;

static struct lb_config *running;
static bool from_keepalived;

int
lb_config_load_file(const char *path, bool keepalived, const struct lb_config *run,
		    struct lb_config *cfg, struct lb_cfg_errors *err)
{
	struct lb_kernel_ifaces *kif;
	unsigned int i, k;
	int rc;

	if (!keepalived)
		return lb_config_load_native(path, cfg, err);
	kif = calloc(1, sizeof(*kif));
	if (kif == NULL)
		return -ENOMEM;
	rc = lb_kernel_ifaces_read(kif);
	if (rc != 0) {
		fprintf(err->out ? err->out : stderr,
			"dplb: cannot list the kernel's interfaces: %s\n", strerror(-rc));
		free(kif);
		return rc;
	}
	/* interfaces dplb adopted: the kernel lent dplb their addresses */
	for (i = 0; run != NULL && i < run->nb_ifaces; i++)
		for (k = 0; k < kif->nb && run->ifaces[i].adopt_kernel; k++)
			if (strcmp(kif->ifaces[k].name, run->ifaces[i].name) == 0) {
				memcpy(kif->ifaces[k].addrs, run->ifaces[i].addrs,
				       sizeof(run->ifaces[i].addrs));
				kif->ifaces[k].nb_addrs = run->ifaces[i].nb_addrs;
			}
	rc = lb_config_load_keepalived(path, kif, cfg, err);
	free(kif);
	return rc;
}

void
lb_reload_setup(struct lb_config *cfg, bool keepalived)
{
	running = cfg;
	from_keepalived = keepalived;
}

struct lb_config *
lb_reload_running(bool *keepalived)
{
	*keepalived = from_keepalived;
	return running;
}

/*
 * Whether n elements of a and b (each size bytes) are equal in everything
 * before their line field at line_off (configs are zeroed before they are
 * filled, so their bytes compare).
 */
static bool
same_but_line(const void *a, const void *b, unsigned int n, size_t size, size_t line_off)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (memcmp((const char *)a + i * size, (const char *)b + i * size, line_off) != 0)
			return false;
	return true;
}

/* Name what changed that only a restart applies. */
static void
report_restart_only(const struct lb_config *a, const struct lb_config *b, FILE *out)
{
	if (a->nb_ifaces != b->nb_ifaces ||
	    !same_but_line(a->ifaces, b->ifaces, a->nb_ifaces, sizeof(a->ifaces[0]),
			   offsetof(struct lb_cfg_iface, line)))
		fputs("reload: interfaces changed: they apply at the next restart\n", out);
	if (a->workers != b->workers || a->idle_sleep_us != b->idle_sleep_us ||
	    strcmp(a->eal.lcores, b->eal.lcores) != 0 ||
	    a->eal.memory_mb != b->eal.memory_mb || a->eal.huge != b->eal.huge)
		fputs("reload: workers, idle_sleep_us or eal changed: they apply at the next "
		      "restart\n", out);
	if (strcmp(a->cli.listen_addr, b->cli.listen_addr) != 0 ||
	    a->cli.listen_port != b->cli.listen_port)
		fputs("reload: cli.listen changed: it applies at the next restart\n", out);
	if (a->metrics.on != b->metrics.on ||
	    strcmp(a->metrics.listen_addr, b->metrics.listen_addr) != 0 ||
	    a->metrics.listen_port != b->metrics.listen_port)
		fputs("reload: metrics changed: it applies at the next restart\n", out);
	if (a->conn_max != b->conn_max)
		fputs("reload: connections.max changed: it applies at the next restart\n", out);
	if (!same_but_line(&a->sync, &b->sync, 1, sizeof(a->sync), offsetof(struct lb_cfg_sync, line)))
		fputs("reload: sync_daemon changed: it applies at the next restart (ipvsadm "
		      "--start-daemon/--stop-daemon change it now)\n", out);
	if (!same_but_line(&a->announce, &b->announce, 1, sizeof(a->announce),
			   offsetof(struct lb_cfg_announce, line)))
		fputs("reload: announce changed: it applies at the next restart (the VIPs it "
		      "judges follow the services now)\n", out);
}

/*
 * The VRRP part of a reload: say what changes; when it can apply live,
 * take n's VRRP settings into run and hand them to the running instances.
 */
static void
reload_vrrp(struct lb_config *run, const struct lb_config *n, FILE *out)
{
	struct lb_vrrp_diff d;
	int rc;

	lb_vrrp_diff(run, n, &d);
	if (!d.changed)
		return;
	lb_vrrp_diff_print(run, n, &d, out);
	if (d.restart)
		return;
	memcpy(run->vrrp, n->vrrp, sizeof(run->vrrp));
	run->nb_vrrp = n->nb_vrrp;
	memcpy(run->vrrp_scripts, n->vrrp_scripts, sizeof(run->vrrp_scripts));
	memcpy(run->vrrp_syncs, n->vrrp_syncs, sizeof(run->vrrp_syncs));
	memcpy(run->vrrp_notify_fifo, n->vrrp_notify_fifo, sizeof(run->vrrp_notify_fifo));
	rc = lb_vrrp_reload(run, &d);
	if (rc != 0)
		fprintf(out, "reload: some VRRP instances could not take their settings (%s): see "
			"the log\n", strerror(-rc));
}

#define SWAP(a, b) do { __typeof__(a) t_ = (a); (a) = (b); (b) = t_; } while (0)

/* Exchange what a reload applies between the running config and n. */
static void
swap_reloadable(struct lb_config *run, struct lb_config *n)
{
	SWAP(run->services, n->services);
	SWAP(run->nb_services, n->nb_services);
	SWAP(run->checks, n->checks);
	SWAP(run->nb_checks, n->nb_checks);
	SWAP(run->notifies, n->notifies);
	SWAP(run->nb_notifies, n->nb_notifies);
	SWAP(run->tcp_timeout, n->tcp_timeout);
	SWAP(run->tcpfin_timeout, n->tcpfin_timeout);
	SWAP(run->udp_timeout, n->udp_timeout);
	SWAP(run->vip_reject, n->vip_reject);
	SWAP(run->sloppy_tcp, n->sloppy_tcp);
	SWAP(run->decrement_ttl, n->decrement_ttl);
}

static int
reload_into(FILE *out)
{
	struct lb_cfg_errors err = { out, 0 };
	struct lb_config *n;
	int rc;

	if (running == NULL)
		return -EINVAL;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return -ENOMEM;
	rc = lb_config_load_file(running->path, from_keepalived, running, n, &err);
	if (rc != 0) {
		fprintf(out, "reload: %s: %u error(s); still running the previous "
			"configuration\n", running->path, err.count);
		free(n);
		return rc;
	}
	report_restart_only(running, n, out);
	swap_reloadable(running, n);
	rc = lb_svc_apply(running, lb_nb_workers);
	if (rc != 0) {
		swap_reloadable(running, n);	/* the old snapshot is still the published one */
		fprintf(out, "reload: cannot publish the new services (%s); still running the "
			"previous configuration\n", strerror(-rc));
		lb_config_free(n);
		free(n);
		return rc;
	}
	reload_vrrp(running, n, out);
	lb_local.vip_reject = running->vip_reject;
	lb_local.sloppy_tcp = running->sloppy_tcp;
	lb_local.keep_ttl = !running->decrement_ttl;
	lb_conn_set_timeouts(running);
	rc = lb_health_monitor_reload(lb_health_now_us());
	if (rc != 0)
		fprintf(out, "reload: health checks could not restart: %s\n", strerror(-rc));
	fprintf(out, "reload: %s: %u virtual service(s), %u checker(s) in effect\n",
		running->path, running->nb_services, running->nb_checks);
	lb_config_free(n);	/* the previous services and checkers */
	free(n);
	return rc;
}

/*
 * Log every line a reload printed, at NOTICE when it took effect, else ERR,
 * with why it ran ("SIGHUP", "CLI"), and count it for the metrics.
 */
static void
log_outcome(const char *why, char *text, int rc)
{
	char *line, *save = NULL;

	lb_obs_count_reload(rc == 0);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		rte_log(rc == 0 ? RTE_LOG_NOTICE : RTE_LOG_ERR, lb_reload_logtype,
			"dplb: config reload (%s): %s\n", why, line);
	if (rc != 0)
		rte_log(RTE_LOG_ERR, lb_reload_logtype, "dplb: config reload (%s) failed: %s; "
			"fix the file and reload again\n", why, strerror(-rc));
}

/* Reload with the messages in a string (*text, malloc'd; may be NULL). */
static int
reload_text(char **text)
{
	size_t len = 0;
	FILE *mem;
	int rc;

	*text = NULL;
	mem = open_memstream(text, &len);
	if (mem == NULL)
		return -ENOMEM;
	rc = reload_into(mem);
	fclose(mem);
	return rc;
}

int
lb_reload(FILE *out)
{
	char *text;
	int rc = reload_text(&text);

	if (text != NULL) {
		fputs(text, out);
		log_outcome("CLI", text, rc);
	} else
		log_outcome("CLI", (char[]){ "" }, rc);
	free(text);
	return rc;
}

int
lb_reload_logged(const char *why)
{
	char *text;
	int rc = reload_text(&text);

	log_outcome(why, text != NULL ? text : (char[]){ "" }, rc);
	free(text);
	return rc;
}
