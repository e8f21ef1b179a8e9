/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics listener's pure parts: request routing (every malformed
 * input gets its status), label escaping, the exposition of a synthetic
 * snapshot (families, types, values), and the metrics config keys.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "app/metrics.h"
#include "app/metrics_fmt.h"
#include "config/config.h"
#include "test/unit/unit.h"

static int
route(const char *req, enum lb_metrics_page *page, bool *head)
{
	return lb_metrics_route(req, strlen(req), page, head);
}

static void
test_route(void)
{
	static const struct { const char *req; int status; } cases[] = {
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200 },
		{ "GET /metrics?x=1 HTTP/1.0\r\n\r\n", 200 },
		{ "GET / HTTP/1.1\r\n\r\n", 200 },
		{ "GET /metrics HTTP/1.1\n\n", 200 },		/* bare LF (nc) */
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n", 0 },	/* incomplete */
		{ "", 0 },
		{ "GET /other HTTP/1.1\r\n\r\n", 404 },
		{ "GET /metricsX HTTP/1.1\r\n\r\n", 404 },
		{ "POST /metrics HTTP/1.1\r\n\r\n", 405 },
		{ "get /metrics HTTP/1.1\r\n\r\n", 405 },
		{ "GET /metrics HTTP/2.0\r\n\r\n", 505 },
		{ "GET /metrics HTTP/1.2\r\n\r\n", 505 },
		{ "GET /metrics FTP/1.1\r\n\r\n", 400 },
		{ "GET metrics HTTP/1.1\r\n\r\n", 400 },
		{ "GET  HTTP/1.1\r\n\r\n", 400 },
		{ "hello\r\n\r\n", 400 },
		{ "\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\x01\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1 extra\r\n\r\n", 400 },
	};
	enum lb_metrics_page page;
	unsigned int i;
	bool head;

	for (i = 0; i < RTE_DIM(cases); i++) {
		int st = route(cases[i].req, &page, &head);

		if (st != cases[i].status)
			printf("\n  route case %u: got %d, want %d\n", i, st, cases[i].status);
		CU_ASSERT_EQUAL(st, cases[i].status);
	}
	CU_ASSERT_EQUAL(route("HEAD /metrics HTTP/1.1\r\n\r\n", &page, &head), 200);
	CU_ASSERT(head);
	CU_ASSERT_EQUAL(page, LB_METRICS_PAGE_METRICS);
	CU_ASSERT_EQUAL(route("GET / HTTP/1.1\r\n\r\n", &page, &head), 200);
	CU_ASSERT(!head);
	CU_ASSERT_EQUAL(page, LB_METRICS_PAGE_INDEX);
	/* a NUL inside the head */
	CU_ASSERT_EQUAL(lb_metrics_route("GET /m\0 HTTP/1.1\r\n\r\n", 21, &page, &head), 400);
}

static void
test_escape(void)
{
	char buf[16];

	CU_ASSERT_STRING_EQUAL(lb_metrics_label_escape("a\"b\\c\nd", buf, sizeof(buf)),
			       "a\\\"b\\\\c\\nd");
	/* cut short, never in the middle of an escape */
	CU_ASSERT_STRING_EQUAL(lb_metrics_label_escape("abcd\"", buf, 6), "abcd");
	CU_ASSERT_STRING_EQUAL(lb_metrics_label_escape("", buf, sizeof(buf)), "");
}

/* A snapshot: one service with two real servers, a worker, a VRRP instance, a checker. */
static void
fill(struct lb_obs *o)
{
	static struct lb_obs_svc svc;
	static struct lb_obs_rs rs[2];
	static struct lb_health_info chk;

	memset(o, 0, sizeof(*o));
	svc = (struct lb_obs_svc){ .proto = IPPROTO_TCP, .vip = LB_TEST_IPV4(198, 18, 1, 100),
				   .port = 80, .sched = "rr", .first_rs = 0, .nb_rs = 2 };
	svc.t.v[LB_OBS_CONNS] = 20;
	svc.t.v[LB_OBS_INPKTS] = 120;
	svc.t.v[LB_OBS_OUTBYTES] = 9080;
	svc.t.rate[LB_OBS_CONNS] = 2.5;
	rs[0] = (struct lb_obs_rs){ .svc = 0, .addr = LB_TEST_IPV4(198, 18, 2, 11), .port = 80,
				    .fwd = "Masq", .weight = 1, .activeconns = 3 };
	rs[1] = rs[0];
	rs[1].addr = LB_TEST_IPV4(198, 18, 2, 12);
	rs[0].t.v[LB_OBS_CONNS] = 10;
	o->svcs = &svc;
	o->nb_svcs = 1;
	o->rs = rs;
	o->nb_rs = 2;
	o->workers[0] = (struct lb_obs_worker){ .index = 0, .lcore = 1 };
	o->workers[0].st.rx_pkts = 200;
	o->workers[0].st.busy_cycles = 2000;
	o->workers[0].st.drops[LB_DROP_NOT_SYN] = 7;
	o->workers[1] = (struct lb_obs_worker){ .index = -1, .lcore = 0 };
	o->nb_workers = 2;
	snprintf(o->vrrp[0].name, sizeof(o->vrrp[0].name), "VI \"1\"");
	o->vrrp[0].vrid = 51;
	o->vrrp[0].state = LB_VRRP_STATE_MASTER;
	o->vrrp[0].cnt.transitions = 2;
	o->nb_vrrp = 1;
	chk = (struct lb_health_info){ .proto = IPPROTO_TCP, .vip = svc.vip, .vport = 80,
				       .addr = rs[0].addr, .port = 80, .type = "HTTP_GET",
				       .target = "/health", .up = true, .rs_alive = true,
				       .has_run = true, .nb_ok = 4, .last_duration_us = 1500 };
	o->checks = &chk;
	o->nb_checks = 1;
	o->conns = 20;
	o->conns_max = 1000;
	o->reloads = 3;
	o->reload_failures = 1;
}

static void
test_render(void)
{
	struct lb_obs o;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	static const char *const want[] = {
		"# TYPE dplb_service_connections_total counter\n",
		"dplb_service_connections_total{proto=\"TCP\",vip=\"198.18.1.100\",port=\"80\"} 20\n",
		"dplb_service_packets_total{proto=\"TCP\",vip=\"198.18.1.100\",port=\"80\",direction=\"in\"} 120\n",
		"dplb_service_bytes_total{proto=\"TCP\",vip=\"198.18.1.100\",port=\"80\",direction=\"out\"} 9080\n",
		"# TYPE dplb_service_connections_per_second gauge\n",
		"dplb_service_connections_per_second{proto=\"TCP\",vip=\"198.18.1.100\",port=\"80\"} 2.500\n",
		"dplb_realserver_connections_total{proto=\"TCP\",vip=\"198.18.1.100\",port=\"80\","
		"server=\"198.18.2.11\",server_port=\"80\"} 10\n",
		"dplb_realserver_active_connections{proto=\"TCP\",vip=\"198.18.1.100\",port=\"80\","
		"server=\"198.18.2.12\",server_port=\"80\"} 3\n",
		"dplb_worker_busy_cycles_per_packet{worker=\"0\",lcore=\"1\"} 10\n",
		"dplb_worker_drops_total{worker=\"0\",lcore=\"1\",reason=\"no_connection\"} 7\n",
		"dplb_worker_rx_packets_total{worker=\"control\",lcore=\"0\"} 0\n",
		"dplb_vrrp_state{instance=\"VI \\\"1\\\"\",vrid=\"51\",state=\"MASTER\"} 1\n",
		"dplb_vrrp_state{instance=\"VI \\\"1\\\"\",vrid=\"51\",state=\"BACKUP\"} 0\n",
		"dplb_vrrp_transitions_total{instance=\"VI \\\"1\\\"\",vrid=\"51\"} 2\n",
		"check=\"HTTP_GET\",target=\"/health\"} 0.001500\n",
		"check=\"HTTP_GET\",target=\"/health\",result=\"ok\"} 4\n",
		"dplb_connection_table_fill_ratio 0.020000\n",
		"dplb_config_reloads_total{result=\"ok\"} 2\n",
		"dplb_config_reloads_total{result=\"failed\"} 1\n",
		"dplb_build_info{version=\"t\"} 1\n",
	};
	unsigned int i;
	const char *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	fill(&o);
	CU_ASSERT_EQUAL(lb_metrics_render(&o, "t", out), 0);
	fclose(out);
	for (i = 0; i < RTE_DIM(want); i++) {
		if (strstr(text, want[i]) == NULL)
			printf("\n  missing: %s", want[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, want[i]));
	}
	/* every counter family is named *_total */
	for (p = strstr(text, " counter\n"); p != NULL; p = strstr(p + 1, " counter\n")) {
		const char *line = p;

		while (line > text && line[-1] != '\n')
			line--;
		CU_ASSERT(p - line > 6 && memcmp(p - 6, "_total", 6) == 0);
	}
	free(text);
}

static int
parse(const char *text, struct lb_config *cfg, unsigned int *count)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc = lb_config_parse_native("test.conf", text, cfg, &err);

	fclose(err.out);
	if (count != NULL)
		*count = err.count;
	return rc;
}

#define IFACE "interfaces = ( { name = \"x\"; device = \"net_null0\"; } );\n"

static void
test_config(void)
{
	struct lb_config *cfg = malloc(sizeof(*cfg));

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(parse(IFACE, cfg, NULL), 0);
	CU_ASSERT(!cfg->metrics.on);
	lb_config_free(cfg);
	CU_ASSERT_EQUAL(parse(IFACE "metrics = { listen = \"127.0.0.2:9100\"; };", cfg, NULL), 0);
	CU_ASSERT(cfg->metrics.on);
	CU_ASSERT_STRING_EQUAL(cfg->metrics.listen_addr, "127.0.0.2");
	CU_ASSERT_EQUAL(cfg->metrics.listen_port, 9100);
	lb_config_free(cfg);
	free(cfg);
	lb_test_expect_error(parse, IFACE "metrics = { listen = \"0.0.0.0:9100\"; };",
			     "is not a loopback address");
	lb_test_expect_error(parse, IFACE "metrics = { listen = \"127.0.0.1:0\"; };",
			     "must be ADDR:PORT");
	lb_test_expect_error(parse, IFACE "metrics = { listen = \"localhost:9100\"; };",
			     "must be ADDR:PORT");
	lb_test_expect_error(parse, IFACE "metrics = { listen = 9100; };", "listen");
	lb_test_expect_error(parse, IFACE "metrics = { };", "metrics needs listen");
	lb_test_expect_error(parse, IFACE "metrics = { listen = \"127.0.0.1:9100\"; auth = 1; };",
			     "auth");
	lb_test_expect_error(parse, IFACE "metrics = { listen = \"127.0.0.1:2323\"; };",
			     "is the CLI's address");
}

void
lb_test_register_metrics(void)
{
	CU_pSuite s = CU_add_suite("metrics", NULL, NULL);

	CU_add_test(s, "HTTP request routing and malformed requests", test_route);
	CU_add_test(s, "label value escaping", test_escape);
	CU_add_test(s, "exposition of a snapshot", test_render);
	CU_add_test(s, "metrics config keys", test_config);
}
