/* SPDX-License-Identifier: BSD-3-Clause */
/* Runtime service commands: real-server drain, service enable / disable. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "app/lcore.h"
#include "app/svc_table.h"
#include "cli/commands.h"

/*
 * [tcp|udp] VIP:PORT at the front of argv: the service, or NULL with an
 * error in out (usage when the words are wrong). *used: words taken.
 */
static struct lb_cfg_service *
service_arg(int argc, char **argv, int *used, const char *usage, FILE *out)
{
	uint8_t proto = IPPROTO_TCP;
	struct lb_cfg_service *svc;
	uint32_t vip;
	uint16_t vport;
	int k = 0;

	if (argc > 0 && (strcmp(argv[0], "tcp") == 0 || strcmp(argv[0], "udp") == 0)) {
		proto = argv[0][0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP;
		k++;
	}
	if (k >= argc || lb_parse_ipv4_endpoint(argv[k], &vip, &vport, false) != 0) {
		fprintf(out, "error: %s\n", usage);
		return NULL;
	}
	svc = lb_cfg_find_service(lb_cli_running_config(), proto, vip, vport);
	if (svc == NULL)
		fprintf(out, "error: Service not defined\n");
	*used = k + 1;
	return svc;
}

/* Publish the running config's services to the workers. */
static int
publish(FILE *out)
{
	if (lb_svc_apply(lb_cli_running_config(), lb_nb_workers) != 0) {
		fprintf(out, "error: cannot publish the change\n");
		return -EIO;
	}
	return 0;
}

/* real-server drain [tcp|udp] VIP:PORT RIP:PORT: weight 0, connections stay. */
int
lb_cmd_drain(int argc, char **argv, FILE *out)
{
	static const char usage[] = "real-server drain [tcp|udp] VIP:PORT RIP:PORT";
	struct lb_cfg_service *svc;
	uint32_t rip;
	uint16_t rport;
	int used = 0, k;

	if (argc < 2 || argc > 3 || lb_parse_ipv4_endpoint(argv[argc - 1], &rip, &rport, false) != 0) {
		fprintf(out, "error: %s\n", usage);
		return -EINVAL;
	}
	svc = service_arg(argc - 1, argv, &used, usage, out);
	if (svc == NULL)
		return used == 0 ? -EINVAL : -ENOENT;
	if (used != argc - 1) {
		fprintf(out, "error: %s\n", usage);
		return -EINVAL;
	}
	k = lb_cfg_find_rs(svc, rip, rport);
	if (k < 0) {
		fprintf(out, "error: %s is not a real server of %s\n", argv[used], argv[used - 1]);
		return -ENOENT;
	}
	svc->rs[k].weight = 0;
	if (publish(out) != 0)
		return -EIO;
	fprintf(out, "%s drained: weight 0, no new connections; its established ones go on "
		"(ipvsadm -e ... -w N to restore)\n", argv[used]);
	return 0;
}

/* service enable|disable [tcp|udp] VIP:PORT */
static int
service_set(int argc, char **argv, FILE *out, bool enable)
{
	static const char usage_en[] = "service enable [tcp|udp] VIP:PORT";
	static const char usage_dis[] = "service disable [tcp|udp] VIP:PORT";
	struct lb_cfg_service *svc;
	int used = 0;

	svc = service_arg(argc, argv, &used, enable ? usage_en : usage_dis, out);
	if (svc == NULL)
		return used == 0 ? -EINVAL : -ENOENT;
	if (argc != used) {
		fprintf(out, "error: unexpected '%s' (%s)\n", argv[used],
			enable ? usage_en : usage_dis);
		return -EINVAL;
	}
	if (enable == !(svc->flags & LB_SVC_F_DISABLED)) {
		fprintf(out, "%s is already %s\n", argv[used - 1], enable ? "enabled" : "disabled");
		return 0;
	}
	if (enable)
		svc->flags &= ~LB_SVC_F_DISABLED;
	else
		svc->flags |= LB_SVC_F_DISABLED;
	if (publish(out) != 0)
		return -EIO;
	if (enable)
		fprintf(out, "%s enabled: new connections are scheduled again\n", argv[used - 1]);
	else
		fprintf(out, "%s disabled: new connections are dropped (show stats: "
			"service_disabled); established ones go on\n", argv[used - 1]);
	return 0;
}

int
lb_cmd_service_enable(int argc, char **argv, FILE *out)
{
	return service_set(argc, argv, out, true);
}

int
lb_cmd_service_disable(int argc, char **argv, FILE *out)
{
	return service_set(argc, argv, out, false);
}
