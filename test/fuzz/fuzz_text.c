/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the text an operator or a peer sends. The first byte picks
 * the parser: ipvsadm command lines (CLI/dplbctl), the native config file,
 * VRRP adverts (wire format), HTTP responses from real servers (health
 * checks, fed in pieces), keepalived.conf, HTTP request heads to the
 * metrics listener (every prefix, as they arrive). Any input: no crash, no
 * leak, no UB.
 */
#include <stdlib.h>
#include <string.h>

#include "app/metrics.h"
#include "cli/ipvsadm.h"
#include "config/config.h"
#include "health/http.h"
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
	switch (data[0] % 6) {
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
	case 5:
		metrics_request(data + 1, size - 1);
		break;
	default:
		keepalived(text);
		break;
	}
	free(text);
	return 0;
}
