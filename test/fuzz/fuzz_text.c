/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the text an operator or a peer sends. The first byte picks
 * the parser: ipvsadm command lines (CLI/dplbctl), the native config file,
 * VRRP adverts (wire format), HTTP responses from real servers (health
 * checks, fed in pieces), keepalived.conf, connection sync messages (LVS
 * version 1, wire format), HTTP request heads to the metrics listener
 * (every prefix, as they arrive), and `config save` editing a native file
 * that loads (its runtime config changed as a byte of the input says).
 * Any input: no crash, no leak, no UB.
 */
#include <stdlib.h>
#include <string.h>

#include "app/metrics.h"
#include "cli/ipvsadm.h"
#include "config/config.h"
#include "config/save.h"
#include "health/http.h"
#include "sync/codec.h"
#include "vrrp/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
ipvsadm(const char *text)
{
	char buf[1024], *argv[64], *save = NULL, *w, err[256];
	struct lb_ipvs_cmd cmd;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, " \t\n", &save); w && argc < 64; w = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = w;
	lb_ipvsadm_parse(argc, argv, &cmd, err, sizeof(err));
}

static void
config(const char *text)
{
	struct lb_cfg_errors err = { .out = NULL };
	struct lb_config cfg;

	if (lb_config_parse_native("fuzz.conf", text, &cfg, &err) == 0)
		lb_config_free(&cfg);
}

/* config save: the text as the file, its config changed as `how` says, edited. */
static void
save(const char *text, uint8_t how)
{
	struct lb_cfg_errors err = { .out = NULL };
	struct lb_config cfg;
	struct lb_cfg_service *svc;
	unsigned int changes;
	char *out = NULL;
	FILE *msgs;

	if (lb_config_parse_native("fuzz.conf", text, &cfg, &err) != 0)
		return;
	svc = cfg.nb_services > 0 ? &cfg.services[how % cfg.nb_services] : NULL;
	switch (how >> 5) {
	case 0:				/* ipvsadm -E -s / --set */
		if (svc != NULL)
			snprintf(svc->sched, sizeof(svc->sched), "%s", how & 1 ? "rr" : "sh");
		cfg.tcp_timeout = 1 + how;
		break;
	case 1:				/* ipvsadm -e -w / drain */
		if (svc != NULL && svc->nb_rs > 0)
			svc->rs[how % svc->nb_rs].weight = how & 3;
		break;
	case 2:				/* ipvsadm -d */
		if (svc != NULL && svc->nb_rs > 0)
			svc->nb_rs--;
		break;
	case 3:				/* ipvsadm -D */
		if (svc != NULL)
			cfg.nb_services--;
		break;
	case 4:				/* service disable, -p */
		if (svc != NULL) {
			svc->flags ^= LB_SVC_F_DISABLED | LB_SVC_F_PERSISTENT;
			svc->persistence = 360;
		}
		break;
	default:			/* vrrp set-priority */
		if (cfg.nb_vrrp > 0)
			cfg.vrrp[0].priority = 1 + how % 254;
		break;
	}
	msgs = fopen("/dev/null", "w");
	if (msgs != NULL) {
		lb_cfg_save_text("fuzz.conf", text, &cfg, &out, &changes, msgs);
		fclose(msgs);
	}
	free(out);
	lb_config_free(&cfg);
}

static void
keepalived(const char *text)
{
	static const struct lb_kernel_ifaces kif = { .ifaces = {
		{ "eth0", { { 0xc6120002, 24 } }, 1 }, { "eth1", { { 0xc6120a01, 24 } }, 1 } },
		.nb = 2 };
	struct lb_cfg_errors err = { .out = NULL };
	struct lb_config cfg;

	if (lb_config_parse_keepalived("fuzz/keepalived.conf", text, "lb1", &kif, &cfg,
				       &err) == 0)
		lb_config_free(&cfg);
}

static void
vrrp(const uint8_t *data, size_t size)
{
	struct lb_vrrp_wire w = { .version = (size & 1) ? 3 : 2, .vrid = 51, .adver_int = 1 };
	struct lb_vrrp_advert adv;

	lb_vrrp_decode(&w, data, size, &adv);
	w.unicast = true;
	w.csum_accept = ~0u;
	lb_vrrp_decode(&w, data, size, &adv);
}

static void
http(const uint8_t *data, size_t size)
{
	struct lb_health_http_resp r;
	size_t off = 0, step = 1 + (size % 7);

	if (lb_health_http_init(&r, true, 4096) != 0)
		return;
	while (off < size) {
		size_t n = size - off < step ? size - off : step;

		if (lb_health_http_feed(&r, data + off, n) != 0)
			break;
		off += n;
	}
	lb_health_http_eof(&r);
	lb_health_http_digest_match(&r, "00000000000000000000000000000000");
	lb_health_http_free(&r);
}

/* A sync message as a backup decodes it; what it keeps is encoded again. */
static void
sync_msg(const uint8_t *data, size_t size)
{
	static struct lb_sync_conn out[255];
	static uint8_t again[65536];
	uint64_t skipped[LB_SYNC_SKIP_MAX] = { 0 };
	unsigned int n, i;

	if (lb_sync_msg_decode(data, size, size > 1 ? data[1] : 0, out, 255, &n, skipped) !=
	    LB_SYNC_OK)
		return;
	lb_sync_msg_init(again, 0);
	for (i = 0; i < n; i++)
		if (lb_sync_msg_add(again, sizeof(again), &out[i]) != 0)
			break;
}

/* The listener routes the head again after each read: every prefix. */
static void
metrics_request(const uint8_t *data, size_t size)
{
	enum lb_metrics_page page;
	size_t n;
	bool head;

	if (size > LB_METRICS_MAX_REQ)
		size = LB_METRICS_MAX_REQ;
	for (n = 0; n <= size; n += 1 + n / 8)
		lb_metrics_route((const char *)data, n, &page, &head);
	lb_metrics_route((const char *)data, size, &page, &head);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1 || size > 8192)
		return 0;
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 8) {
	case 0:
		ipvsadm(text);
		break;
	case 1:
		config(text);
		break;
	case 2:
		vrrp(data + 1, size - 1);
		break;
	case 3:
		http(data + 1, size - 1);
		break;
	case 4:
		keepalived(text);
		break;
	case 5:
		sync_msg(data + 1, size - 1);
		break;
	case 6:
		metrics_request(data + 1, size - 1);
		break;
	default:
		save(text, size > 1 ? data[size - 1] : 0);
		break;
	}
	free(text);
	return 0;
}
