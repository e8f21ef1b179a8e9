/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scale-out behind ECMP: the announce group's config (values, every
 * mistake named, dump round trip), which VIPs are announced and why,
 * the fragment text and its atomic write, BIRD's control-socket replies,
 * and sloppy_tcp (config, and an ACK opening an ESTABLISHED connection).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <rte_tcp.h>

#include "announce/announce_priv.h"
#include "app/conn.h"
#include "config/config.h"
#include "test/unit/unit.h"


#define IP LB_TEST_IPV4
#define VIP1 IP(198, 18, 5, 100)
#define VIP2 IP(198, 18, 5, 101)

static int
parse(const char *text, struct lb_config *cfg, unsigned int *count)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc = lb_config_parse_native("a.conf", text, cfg, &err);

	fclose(err.out);
	if (count != NULL)
		*count = err.count;
	return rc;
}

#define BASE "interfaces = ( { name = \"eth0\"; device = \"net_null0\"; " \
	"addresses = [ \"198.18.1.1/24\" ]; } );\n" \
	"virtual_servers = (\n" \
	" { address = \"198.18.5.101\"; port = 80; scheduler = \"mh\";\n" \
	"   real_servers = ( { address = \"198.18.1.21\"; port = 80; forward = \"dr\"; } ); },\n" \
	" { address = \"198.18.5.100\"; port = 80; scheduler = \"mh\";\n" \
	"   real_servers = ( { address = \"198.18.1.21\"; port = 80; forward = \"dr\"; } ); },\n" \
	" { address = \"198.18.5.100\"; port = 443; scheduler = \"mh\";\n" \
	"   real_servers = ( { address = \"198.18.1.21\"; port = 443; forward = \"dr\"; } ); } );\n" \
	"vrrp_instances = ( { name = \"VI_1\"; interface = \"eth0\"; virtual_router_id = 5; " \
	"priority = 100; virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n"

static void
test_config(void)
{
	struct lb_config *cfg = malloc(sizeof(*cfg)), *again = malloc(sizeof(*again));
	char *dump = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_FATAL(cfg != NULL && again != NULL);
	CU_ASSERT_EQUAL_FATAL(parse(BASE "sloppy_tcp = true;\nannounce = { file = \"/run/v.conf\"; "
		"bird_socket = \"/run/bird/bird.ctl\"; vrrp_instance = \"VI_1\"; require = \"any\"; "
		"vips = [ \"198.18.5.100\" ]; interval = 0.05; timeout = 3; shutdown_delay = 0.5; };",
		cfg, NULL), 0);
	CU_ASSERT(cfg->sloppy_tcp);
	CU_ASSERT(cfg->announce.on);
	CU_ASSERT_EQUAL(cfg->announce.format, LB_ANNOUNCE_BIRD);
	CU_ASSERT_STRING_EQUAL(cfg->announce.file, "/run/v.conf");
	CU_ASSERT_STRING_EQUAL(cfg->announce.bird_socket, "/run/bird/bird.ctl");
	CU_ASSERT_STRING_EQUAL(cfg->announce.vrrp_instance, "VI_1");
	CU_ASSERT(!cfg->announce.require_all);
	CU_ASSERT_EQUAL(cfg->announce.nb_vips, 1);
	CU_ASSERT_EQUAL(cfg->announce.vips[0], VIP1);
	CU_ASSERT_EQUAL(cfg->announce.interval_ms, 50);
	CU_ASSERT_EQUAL(cfg->announce.timeout_ms, 3000);
	CU_ASSERT_EQUAL(cfg->announce.shutdown_delay_ms, 500);

	/* --config-dump loads back to the same settings */
	f = open_memstream(&dump, &len);
	CU_ASSERT_FATAL(f != NULL);
	lb_config_dump(cfg, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(parse(dump, again, NULL), 0);
	CU_ASSERT(again->sloppy_tcp);
	CU_ASSERT_EQUAL(memcmp(&again->announce, &cfg->announce,
			       offsetof(struct lb_cfg_announce, line)), 0);
	free(dump);
	lb_config_free(again);
	lb_config_free(cfg);

	/* defaults: off, then BIRD format, every VIP, require all */
	CU_ASSERT_EQUAL_FATAL(parse(BASE "announce = { file = \"/run/v.conf\"; "
		"command = \"true\"; };", cfg, NULL), 0);
	CU_ASSERT(!cfg->sloppy_tcp);
	CU_ASSERT(cfg->announce.require_all);
	CU_ASSERT_EQUAL(cfg->announce.nb_vips, 0);
	CU_ASSERT_EQUAL(cfg->announce.interval_ms, 100);
	CU_ASSERT_EQUAL(cfg->announce.timeout_ms, 2000);
	CU_ASSERT_EQUAL(cfg->announce.shutdown_delay_ms, 1000);
	lb_config_free(cfg);
	free(cfg);
	free(again);
}

static void
test_config_errors(void)
{
	lb_test_expect_error(parse, BASE "announce = { bird_socket = \"/b\"; };",
			     "a.conf:10: announce needs file");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; };",
			     "announce needs bird_socket");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; bird_socket = \"/b\"; "
			     "command = \"x\"; };", "give bird_socket or command, not both");
	lb_test_expect_error(parse, BASE "announce = { file = \"v.conf\"; command = \"x\"; };",
			     "announce.file 'v.conf' must be an absolute path");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; command = \"x\"; "
			     "format = \"quagga\"; };", "announce.format 'quagga' is not bird or prefixes");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; bird_socket = \"/b\"; "
			     "format = \"prefixes\"; };", "it needs format = \"bird\"");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; command = \"x\"; "
			     "vips = [ \"198.18.5.7\" ]; };",
			     "announce.vips[0] 198.18.5.7 is the address of no virtual server");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; command = \"x\"; "
			     "vrrp_instance = \"VI_9\"; };",
			     "announce.vrrp_instance 'VI_9' is not in vrrp_instances");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; command = \"x\"; "
			     "require = \"most\"; };", "announce.require 'most' is not all or any");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; command = \"x\"; "
			     "interval = 0; };", "announce.interval must be 0.01..10 seconds");
	lb_test_expect_error(parse, BASE "announce = { file = \"/v\"; command = \"x\"; "
			     "speed = 1; };", "speed");
	lb_test_expect_error(parse, BASE "sloppy_tcp = 1;", "sloppy_tcp must be true or false");
}

/* Quorum as the test says: port 443 lost unless q443. */
static bool q443;

static int
quorum(const struct lb_cfg_service *svc)
{
	return svc->port != 443 || q443;
}

static void
test_select(void)
{
	struct lb_config *cfg = malloc(sizeof(*cfg));
	struct lb_announce_input in = { .quorum = quorum };
	struct lb_announce_vip v[8];
	unsigned int n;

	CU_ASSERT_FATAL(cfg != NULL);
	CU_ASSERT_EQUAL_FATAL(parse(BASE "announce = { file = \"/v\"; command = \"x\"; };",
				    cfg, NULL), 0);
	q443 = false;
	n = lb_announce_select(cfg, &cfg->announce, &in, v, 8);
	CU_ASSERT_EQUAL_FATAL(n, 2);		/* each VIP once, ascending */
	CU_ASSERT_EQUAL(v[0].vip, VIP1);
	CU_ASSERT_EQUAL(v[1].vip, VIP2);
	CU_ASSERT(!v[0].up);			/* require all: 443 lost */
	CU_ASSERT_STRING_EQUAL(v[0].why, "quorum lost: TCP 198.18.5.100:443 (1 of 2 services up)");
	CU_ASSERT(v[1].up);
	CU_ASSERT_STRING_EQUAL(v[1].why, "quorum 1/1 services");
	cfg->announce.require_all = false;
	n = lb_announce_select(cfg, &cfg->announce, &in, v, 8);
	CU_ASSERT(v[0].up);			/* any: port 80 is enough */
	q443 = true;
	cfg->announce.require_all = true;
	strcpy(cfg->announce.vrrp_instance, "VI_1");
	in.vrrp_state = "BACKUP";
	n = lb_announce_select(cfg, &cfg->announce, &in, v, 8);
	CU_ASSERT(!v[0].up && !v[1].up);
	CU_ASSERT_STRING_EQUAL(v[0].why, "vrrp_instance VI_1 is BACKUP");
	in.vrrp_state = "MASTER";
	in.vrrp_master = true;
	n = lb_announce_select(cfg, &cfg->announce, &in, v, 8);
	CU_ASSERT(v[0].up && v[1].up);
	CU_ASSERT_STRING_EQUAL(v[0].why, "quorum 2/2 services, VI_1 MASTER");
	in.stopping = true;
	n = lb_announce_select(cfg, &cfg->announce, &in, v, 8);
	CU_ASSERT(!v[0].up && !v[1].up);
	CU_ASSERT_STRING_EQUAL(v[1].why, "shutting down");
	/* a listed VIP whose services are gone (ipvsadm -D) is withdrawn */
	in.stopping = false;
	cfg->announce.vips[0] = VIP2;
	cfg->announce.nb_vips = 1;
	cfg->services[0].vip = IP(198, 18, 5, 9);
	n = lb_announce_select(cfg, &cfg->announce, &in, v, 8);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(!v[0].up);
	CU_ASSERT_STRING_EQUAL(v[0].why, "no virtual service");
	lb_config_free(cfg);
	free(cfg);
}

static void
test_fragment(void)
{
	struct lb_announce_vip v[3] = { { VIP1, true, "" }, { VIP2, false, "" },
					{ IP(198, 18, 5, 102), true, "" } };
	char buf[512], path[] = "/tmp/dplb-announce-XXXXXX", file[64], got[512];
	size_t n;
	FILE *f;
	int len;

	len = lb_announce_render(LB_ANNOUNCE_BIRD, v, 3, buf, sizeof(buf));
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nroute 198.18.5.100/32 blackhole;\n"
				     "route 198.18.5.102/32 blackhole;\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "198.18.5.101"));
	CU_ASSERT_EQUAL(buf[0], '#');
	len = lb_announce_render(LB_ANNOUNCE_PREFIXES, v, 3, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\n198.18.5.100/32\n198.18.5.102/32\n"));
	CU_ASSERT_EQUAL(lb_announce_render(LB_ANNOUNCE_BIRD, v, 3, buf, 80), -ENOSPC);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(path));
	snprintf(file, sizeof(file), "%s/vips.conf", path);
	len = lb_announce_render(LB_ANNOUNCE_BIRD, v, 3, buf, sizeof(buf));
	CU_ASSERT_EQUAL(lb_announce_write(file, buf, (size_t)len), 0);
	f = fopen(file, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(got, 1, sizeof(got), f);
	fclose(f);
	CU_ASSERT_EQUAL(n, (size_t)len);
	CU_ASSERT_EQUAL(memcmp(got, buf, n), 0);
	snprintf(got, sizeof(got), "%s.tmp", file);
	CU_ASSERT_NOT_EQUAL(access(got, F_OK), 0);	/* renamed, not left */
	CU_ASSERT_EQUAL(unlink(file), 0);
	CU_ASSERT_EQUAL(rmdir(path), 0);
	snprintf(file, sizeof(file), "%s/vips.conf", path);	/* the directory is gone */
	CU_ASSERT_EQUAL(lb_announce_write(file, buf, (size_t)len), -ENOENT);
}

static int
feed(struct lb_bird_req *r, const char *s)
{
	return lb_bird_feed(r, s, strlen(s));
}

static void
test_bird_replies(void)
{
	struct lb_bird_req r;

	lb_bird_req_init(&r);
	CU_ASSERT_EQUAL(feed(&r, "0001 BIRD 2.0."), 1);
	CU_ASSERT_EQUAL(feed(&r, "12 ready.\n"), 2);		/* greeted: send configure */
	CU_ASSERT_EQUAL(feed(&r, "0002-Reading configuration from /etc/bird.conf\n"), 1);
	CU_ASSERT_EQUAL(feed(&r, "0003 Reconfigured\n"), 0);
	CU_ASSERT_STRING_EQUAL(r.reply, "0003 Reconfigured");

	lb_bird_req_init(&r);
	CU_ASSERT_EQUAL(feed(&r, "0001 BIRD 2.0.12 ready.\n0002-Reading configuration\n"
			     "8002 /run/v.conf:2:1 syntax error, unexpected '}'\n"), 2);
	CU_ASSERT_EQUAL(feed(&r, "0002-Reading configuration\n"
			     "8002 /run/v.conf:2:1 syntax error, unexpected '}'\n"), -1);
	CU_ASSERT_STRING_EQUAL(r.reply, "8002 /run/v.conf:2:1 syntax error, unexpected '}'");

	lb_bird_req_init(&r);
	CU_ASSERT_EQUAL(feed(&r, "0001 BIRD 2.0.12 ready.\n"), 2);
	CU_ASSERT_EQUAL(feed(&r, "0004 Reconfiguration in progress\n"), 0);

	lb_bird_req_init(&r);					/* not BIRD */
	CU_ASSERT_EQUAL(feed(&r, "SSH-2.0-OpenSSH_9.2 \n"), 1);
	CU_ASSERT_EQUAL(feed(&r, "9999 go away\n"), -1);

	lb_bird_req_init(&r);					/* nobody listens */
	CU_ASSERT(lb_bird_start(&r, "/nonexistent/bird.ctl", "configure") < 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reply, "connect /nonexistent/bird.ctl"));
	CU_ASSERT_EQUAL(r.fd, -1);
}

/* sloppy_tcp: an ACK opens an ESTABLISHED connection, as in LVS. */
static void
test_sloppy_state(void)
{
	CU_ASSERT_EQUAL(lb_tcp_next_state(LB_TCP_NONE, LB_DIR_IN, RTE_TCP_ACK_FLAG),
			LB_TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(lb_tcp_next_state(LB_TCP_NONE, LB_DIR_IN_ONLY,
					  RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG), LB_TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(lb_tcp_next_state(LB_TCP_NONE, LB_DIR_IN, RTE_TCP_SYN_FLAG),
			LB_TCP_SYN_RECV);
	CU_ASSERT_EQUAL(lb_tcp_next_state(LB_TCP_NONE, LB_DIR_IN_ONLY, RTE_TCP_FIN_FLAG |
					  RTE_TCP_ACK_FLAG), LB_TCP_CLOSE);
}

void
lb_test_register_announce(void)
{
	CU_pSuite s = CU_add_suite("announce (ECMP scale-out)", NULL, NULL);

	CU_add_test(s, "announce config and dump", test_config);
	CU_add_test(s, "announce config mistakes named", test_config_errors);
	CU_add_test(s, "which VIPs, and why", test_select);
	CU_add_test(s, "fragment text and atomic write", test_fragment);
	CU_add_test(s, "BIRD control socket replies", test_bird_replies);
	CU_add_test(s, "sloppy_tcp: ACK opens ESTABLISHED", test_sloppy_state);
}
