/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dplb: the daemon. Reads and validates the config, starts EAL, brings the
 * modules up in the order of `modules[]`, runs the workers and the control
 * loop until SIGINT/SIGTERM, then takes the modules down in reverse order.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_pdump.h>

#include "announce/announce.h"
#include "app/conn.h"
#include "app/control.h"
#include "app/eal_args.h"
#include "app/lcore.h"
#include "app/log.h"
#include "app/metrics.h"
#include "app/reload.h"
#include "app/svc_table.h"
#include "app/syncookie.h"
#include "app/telemetry.h"
#include "app/worker.h"
#include "cli/password.h"
#include "cli/server.h"
#include "config/config.h"
#include "health/monitor.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/kernel_addr.h"
#include "pmd-glue/port.h"
#include "sync/sync.h"
#include "vrrp/instance.h"

RTE_LOG_REGISTER_SUFFIX(lb_main_logtype, main, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_main_logtype, "dplb: " fmt "\n", ##__VA_ARGS__)

#define NEIGH_MAX 65536

static struct lb_config config;
static int eal_argc;
static char *eal_argv[LB_EAL_MAX_ARGC];

static int
eal_init(const struct lb_config *cfg)
{
	(void)cfg;
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "dplb: EAL init failed: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

static void
eal_term(void)
{
	rte_eal_cleanup();
}

static int
neigh_init(const struct lb_config *cfg)
{
	return lb_neigh_init(NEIGH_MAX, lb_rcu, cfg->neigh_timeout_s);
}

static int
ports_init(const struct lb_config *cfg)
{
	int rc = lb_ports_init(cfg, lb_nb_workers);

	return rc == 0 ? lb_lcores_attach_ports() : rc;
}

/* The connection tables, and the secret of the SYN proxy's cookies. */
static int
conn_init(const struct lb_config *cfg)
{
	int rc = lb_syncookie_init();

	return rc == 0 ? lb_conn_init(lb_nb_workers, cfg->conn_max, lb_rcu, cfg) : rc;
}

static int
services_init(const struct lb_config *cfg)
{
	lb_local.vip_reject = cfg->vip_reject;
	lb_local.sloppy_tcp = cfg->sloppy_tcp;
	lb_local.keep_ttl = !cfg->decrement_ttl;
	lb_cli_set_config(&config);	/* ipvsadm edits the running config */
	return lb_svc_apply(cfg, lb_nb_workers);
}

/* Health checks edit the running config and publish it like ipvsadm does. */
static int
publish_services(struct lb_config *cfg)
{
	return lb_svc_apply(cfg, lb_nb_workers);
}

static int
health_init(const struct lb_config *cfg)
{
	(void)cfg;	/* the monitor edits the running config itself */
	return lb_health_monitor_init(&config, publish_services, lb_svc_dest_fails,
				      lb_health_now_us());
}

/*
 * Packet capture: dpdk-dumpcap (a secondary process) asks the primary to
 * copy its ports' packets into a ring. Needs multi-process: with
 * --in-memory or --no-shconf EAL has no IPC, so capture is off (logged).
 */
static int
pdump_init(const struct lb_config *cfg)
{
	char mp[PATH_MAX];

	(void)cfg;
	/* EAL opens its multi-process socket unless --in-memory / --no-shconf */
	snprintf(mp, sizeof(mp), "%s/mp_socket", rte_eal_get_runtime_dir());
	if (rte_pdump_init() != 0)
		LOG(WARNING, "packet capture (dpdk-dumpcap) unavailable: %s (EAL runs "
		    "--in-memory or --no-shconf?)", rte_strerror(rte_errno));
	else if (access(mp, F_OK) != 0)
		LOG(WARNING, "packet capture (dpdk-dumpcap) unavailable: EAL runs --in-memory "
		    "or --no-shconf, without the multi-process socket dpdk-dumpcap needs");
	else if (!rte_eal_has_hugepages())
		LOG(WARNING, "packet capture (dpdk-dumpcap) unavailable: EAL runs --no-huge, "
		    "and a secondary process cannot map its memory (free 2 MB hugepages)");
	else
		LOG(INFO, "packet capture: dpdk-dumpcap --file-prefix=%s -i PORT",
		    strrchr(rte_eal_get_runtime_dir(), '/') + 1);
	return 0;
}

static void
pdump_term(void)
{
	rte_pdump_uninit();
}

/* Module bring-up order; term runs in reverse. */
static const struct module {
	const char *name;
	int (*init)(const struct lb_config *cfg);
	void (*term)(void);
} modules[] = {
	{ "eal", eal_init, eal_term },
	{ "log", lb_log_init, lb_log_term },
	{ "lcores", lb_lcores_init, lb_lcores_term },
	{ "neigh", neigh_init, lb_neigh_term },
	{ "connections", conn_init, lb_conn_term },
	/* before the ports: the exception TAPs get the addresses the kernel gives up */
	{ "kernel addresses", lb_kernel_addrs_take, lb_kernel_addrs_give_back },
	{ "ports", ports_init, lb_ports_term },
	{ "services", services_init, lb_svc_term },
	/* after the ports, so its term sends the priority-0 adverts before they close */
	{ "vrrp", lb_vrrp_init, lb_vrrp_term },
	/* after the ports (it sends through them) and VRRP (it may follow an instance) */
	{ "sync", lb_sync_init, lb_sync_term },
	{ "control", lb_control_init, lb_control_term },
	/* after the ports: probes leave through the exception path's TAP */
	{ "health", health_init, lb_health_monitor_term },
	{ "cli", lb_cli_init, lb_cli_term },
	/* after services, VRRP and health, which it judges VIPs by; its term withdraws */
	{ "announce", lb_announce_init, lb_announce_term },
	/* last: they read every module above through the observability snapshot */
	{ "telemetry", lb_telemetry_init, lb_telemetry_term },
	{ "metrics", lb_metrics_init, lb_metrics_term },
	{ "pdump", pdump_init, pdump_term },
};

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		lb_reload_requested = true;	/* the control loop reloads */
	else if (lb_announce_active && !lb_announce_stop_requested)
		lb_announce_stop_requested = true;	/* withdraw the VIPs, then stop */
	else
		lb_force_quit = true;
}

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: dplb -f FILE | -k FILE [options] [-- EAL options]\n"
		"       dplb --config-test -f|-k FILE\n"
		"  -f, --config FILE      native config (libconfig syntax)\n"
		"  -k, --keepalived FILE  keepalived.conf as is; the interfaces it uses become\n"
		"                         af_packet ports on the kernel's interfaces\n"
		"  -i, --config-id ID     keepalived.conf @ID lines apply (default: short host name)\n"
		"  -t, --config-test      validate the config and exit (FILE:LINE: messages)\n"
		"      --hash-password    print a cli.password_hash for the password on stdin\n"
		"  -d, --config-dump      print the effective config and exit\n"
		"  -l, --log-target T     where log messages go: stderr (default), syslog, both\n"
		"  -h, --help             this text\n"
		"EAL options after `--` override the config's eal defaults.\n");
}

/* dplb --hash-password: a cli.password_hash for the password on stdin. */
static int
hash_password(void)
{
	char pw[256], hash[LB_CLI_HASH_LEN + 1];

	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "dplb: give the password on standard input\n");
		return 1;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (lb_cli_hash_new(pw, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "dplb: cannot hash the password\n");
		return 1;
	}
	printf("%s\n", hash);
	return 0;
}

static int
load_config(int argc, char **argv, bool *test_only, bool *dump)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "keepalived", required_argument, NULL, 'k' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "hash-password", no_argument, NULL, 'P' },
		{ "config-test", no_argument, NULL, 't' },
		{ "config-dump", no_argument, NULL, 'd' },
		{ "log-target", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lb_cfg_errors err = { .out = stderr };
	const char *file = NULL;
	bool keepalived = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "f:k:i:tdl:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 'k':
			if (file != NULL) {
				fprintf(stderr, "dplb: give one config: -f FILE or -k FILE\n");
				return -EINVAL;
			}
			file = optarg;
			keepalived = c == 'k';
			break;
		case 'i':
			lb_config_set_id(optarg);	/* keepalived.conf @ID lines */
			break;
		case 'P':
			exit(hash_password());
		case 't':
			*test_only = true;
			break;
		case 'd':
			*dump = true;
			break;
		case 'l':
			if (lb_log_set_target(optarg) != 0) {
				fprintf(stderr, "dplb: --log-target '%s': give stderr, syslog "
					"or both\n", optarg);
				return -EINVAL;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (file == NULL) {
		fprintf(stderr, "dplb: no config: give -f FILE or -k FILE\n");
		usage(stderr);
		return -EINVAL;
	}
	rc = lb_config_load_file(file, keepalived, NULL, &config, &err);
	lb_reload_setup(&config, keepalived);
	if (rc != 0 && err.count > 0)
		fprintf(stderr, "dplb: %s: %u error(s)\n", file, err.count);
	return rc;
}

int
main(int argc, char **argv)
{
	bool test_only = false, dump = false;
	unsigned int up = 0;
	int rc;

	rc = load_config(argc, argv, &test_only, &dump);
	if (rc != 0)
		return 1;
	if (dump)
		lb_config_dump(&config, stdout);
	if (test_only || dump) {
		if (test_only)
			printf("%s: configuration OK\n", config.path);
		lb_config_free(&config);
		return 0;
	}
	rc = lb_eal_args(&config, argv[0], argc - optind, argv + optind,
			 lb_hugepages_available(lb_eal_memory_need_mb(&config)), eal_argv, LB_EAL_MAX_ARGC);
	if (rc < 0) {
		fprintf(stderr, "dplb: too many EAL arguments\n");
		return 1;
	}
	eal_argc = rc;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);

	for (up = 0; up < RTE_DIM(modules); up++) {
		rc = modules[up].init(&config);
		if (rc != 0) {
			fprintf(stderr, "dplb: %s: start-up failed (%s); see the messages above\n",
				modules[up].name, strerror(rc < 0 ? -rc : rc));
			break;
		}
	}
	if (up == RTE_DIM(modules)) {
		LOG(NOTICE, "running: %u worker(s), %u interface(s); CLI on %s:%u",
		    lb_nb_workers, lb_nb_ports, config.cli.listen_addr, config.cli.listen_port);
		rte_eal_mp_remote_launch(lb_worker_main, &config.idle_sleep_us, SKIP_MAIN);
		lb_control_main();
		rte_eal_mp_wait_lcore();
		LOG(NOTICE, "stopping on signal; final counters:");
		if (rte_log_can_log(lb_main_logtype, RTE_LOG_NOTICE))
			lb_stats_print(stderr);
	}
	lb_force_quit = true;
	while (up-- > 0)
		modules[up].term();
	lb_config_free(&config);
	if (rc == 0)
		fprintf(stderr, "dplb: stopped cleanly\n");
	return rc == 0 ? 0 : 1;
}
