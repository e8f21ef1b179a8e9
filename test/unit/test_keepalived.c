/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf reader: tutorial-style LVS-NAT, LVS-DR and keepalived DR
 * director files load with the right values; each keyword lands in its
 * field; include globs, $VAR, @id, both comment kinds and glued braces work
 * as in keepalived; broken files give the exact FILE:LINE: message, every
 * problem of a file in one pass; refused keywords say so; --config-dump of
 * the result loads back through the native reader to the same services.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "config/config.h"
#include "test/unit/unit.h"

#define IP LB_TEST_IPV4

/* The box the files are read on: what the kernel has before dplb. */
static const struct lb_kernel_ifaces kif = {
	.ifaces = {
		{ "lo", { { IP(127, 0, 0, 1), 8 } }, 1 },
		{ "eth0", { { IP(198, 18, 0, 2), 24 } }, 1 },
		{ "eth1", { { IP(198, 18, 10, 1), 24 } }, 1 },
		/* keepalived is MASTER right now: it holds the VIP 198.18.1.100 */
		{ "eth2", { { IP(198, 18, 1, 10), 24 }, { IP(198, 18, 1, 100), 24 } }, 2 },
		{ "eth3", { { 0, 0 } }, 0 },
	},
	.nb = 5,
};

static int
run(const char *path, const char *text, const char *id, struct lb_config *cfg,
    unsigned int *count)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc;

	if (text != NULL)
		rc = lb_config_parse_keepalived(path, text, id, &kif, cfg, &err);
	else
		rc = lb_config_load_keepalived(path, &kif, cfg, &err);
	fclose(err.out);
	if (count != NULL)
		*count = err.count;
	return rc;
}

/* Parse text as "k.conf" with config id "lb1". */
static int
parse(const char *text, struct lb_config *cfg, unsigned int *count)
{
	return run("k.conf", text, "lb1", cfg, count);
}

#define has_msg lb_test_has_msg

/* parse(text) is refused with a message holding needle. */
#define expect_error(text, needle) lb_test_expect_error(parse, text, needle)

/* text loads; cfg must be freed. */
static void
expect_ok(const char *text, struct lb_config *cfg)
{
	unsigned int count;

	CU_ASSERT_EQUAL(parse(text, cfg, &count), 0);
	CU_ASSERT_EQUAL(count, 0);
	if (count != 0)
		fprintf(stderr, "\nunexpected:\n%s", lb_test_msgs());
}

/* test/keepalived/name from wherever the tests run (see test_config.c). */
static const char *
sample(const char *name)
{
	static char path[600];
	const char *src = __FILE__, *me = "test/unit/test_keepalived.c";
	const char *dirs[] = { "", "", "../", "../../" };
	size_t n = strlen(src) >= strlen(me) ? strlen(src) - strlen(me) : 0;
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (i == 0)
			snprintf(path, sizeof(path), "%.*stest/keepalived/%s", (int)n, src, name);
		else
			snprintf(path, sizeof(path), "%stest/keepalived/%s", dirs[i], name);
		if (access(path, R_OK) == 0)
			return path;
	}
	fprintf(stderr, "\ntest/keepalived/%s not found from here\n", name);
	return name;
}

static const struct lb_cfg_check *
check_of(const struct lb_config *cfg, uint32_t vip, uint16_t vport, uint32_t rs,
	 uint16_t rport)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_checks; i++)
		if (cfg->checks[i].key.vip == vip && cfg->checks[i].key.vport == vport &&
		    cfg->checks[i].key.rs_addr == rs && cfg->checks[i].key.rs_port == rport)
			return &cfg->checks[i];
	return NULL;
}

static void
test_lvs_nat(void)
{
	const struct lb_cfg_service *s;
	const struct lb_cfg_check *c;
	struct lb_config cfg;
	unsigned int count;

	CU_ASSERT_EQUAL_FATAL(run(sample("lvs_nat.conf"), NULL, NULL, &cfg, &count), 0);
	CU_ASSERT_EQUAL(count, 0);
	/* ignored and deprecated keywords are said, not silent */
	CU_ASSERT(has_msg("lvs_nat.conf:5: warning: 'notification_email' ignored: dplb sends "
			  "no mail alerts"));
	CU_ASSERT(has_msg("lvs_nat.conf:9: warning: 'smtp_server' ignored"));
	CU_ASSERT(has_msg("lvs_nat.conf:44: warning: 'nat_mask' is deprecated"));
	CU_ASSERT(has_msg("lvs_nat.conf:52: warning: 'nb_get_retry' is deprecated"));
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "LVS_NAT");
	/* interfaces: the two the VRRP instances name, with the kernel's addresses */
	CU_ASSERT_EQUAL_FATAL(cfg.nb_ifaces, 2);
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[0].name, "eth0");
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[0].device, "net_af_packet0,iface=eth0");
	CU_ASSERT_EQUAL(cfg.ifaces[0].nb_addrs, 1);
	CU_ASSERT_EQUAL(cfg.ifaces[0].addrs[0].addr, IP(198, 18, 0, 2));
	CU_ASSERT_EQUAL(cfg.ifaces[0].addrs[0].prefix_len, 24);
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[1].device, "net_af_packet1,iface=eth1");
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[1].exception_name, "dp-eth1");
	/* VRRP */
	CU_ASSERT_EQUAL_FATAL(cfg.nb_vrrp, 2);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].name, "VI_1");
	CU_ASSERT_EQUAL(cfg.vrrp[0].iface, 0);
	CU_ASSERT_EQUAL(cfg.vrrp[0].vrid, 51);
	CU_ASSERT_EQUAL(cfg.vrrp[0].priority, 150);
	CU_ASSERT(cfg.vrrp[0].init_master);
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].advert_int_cs, 100);
	CU_ASSERT_EQUAL(cfg.vrrp[0].auth_type, 1);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].auth_pass, "s3cret");
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_vips, 1);
	CU_ASSERT_EQUAL(cfg.vrrp[0].vips[0], IP(198, 18, 0, 100));
	CU_ASSERT_EQUAL(cfg.vrrp[0].line, 14);
	CU_ASSERT_EQUAL(cfg.vrrp[1].iface, 1);
	CU_ASSERT_EQUAL(cfg.vrrp[1].auth_type, 0);
	CU_ASSERT_EQUAL(cfg.vrrp[1].vips[0], IP(198, 18, 10, 254));
	/* the service */
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 1);
	s = &cfg.services[0];
	CU_ASSERT_EQUAL(s->proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(s->vip, IP(198, 18, 0, 100));
	CU_ASSERT_EQUAL(s->port, 80);
	CU_ASSERT_STRING_EQUAL(s->sched, "wrr");
	CU_ASSERT_EQUAL(s->flags, LB_SVC_F_PERSISTENT);
	CU_ASSERT_EQUAL(s->persistence, 50);
	CU_ASSERT_EQUAL(s->netmask, 0xffffffff);
	CU_ASSERT_EQUAL(s->timing.delay_loop_ms, 6000);
	CU_ASSERT_EQUAL(s->quorum, 1);
	CU_ASSERT_EQUAL(s->line, 40);
	CU_ASSERT_EQUAL_FATAL(s->nb_rs, 2);
	CU_ASSERT_EQUAL(s->rs[0].addr, IP(198, 18, 10, 11));
	CU_ASSERT_EQUAL(s->rs[0].port, 8080);
	CU_ASSERT_EQUAL(s->rs[0].fwd, LB_FWD_NAT);
	CU_ASSERT_EQUAL(s->rs[0].weight, 3);
	CU_ASSERT_EQUAL(s->rs[1].weight, 1);
	CU_ASSERT(!s->has_sorry);
	/* checkers, timing inherited from the virtual server */
	CU_ASSERT_EQUAL_FATAL(cfg.nb_checks, 2);
	c = check_of(&cfg, s->vip, 80, IP(198, 18, 10, 11), 8080);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->type, LB_CHECK_TCP);
	CU_ASSERT_EQUAL(c->key.proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(c->connect_port, 8080);
	CU_ASSERT_EQUAL(c->timing.delay_loop_ms, 6000);
	CU_ASSERT_EQUAL(c->timing.connect_timeout_ms, 3000);
	CU_ASSERT_EQUAL(c->timing.retry, 3);
	CU_ASSERT_EQUAL(c->timing.delay_before_retry_ms, 3000);
	c = check_of(&cfg, s->vip, 80, IP(198, 18, 10, 12), 8080);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->type, LB_CHECK_HTTP);
	CU_ASSERT_EQUAL(c->timing.connect_timeout_ms, 2500);
	CU_ASSERT_EQUAL(c->timing.retry, 2);
	CU_ASSERT_EQUAL(c->timing.delay_before_retry_ms, 1000);	/* keepalived's default */
	CU_ASSERT_EQUAL_FATAL(c->nb_urls, 1);
	CU_ASSERT_STRING_EQUAL(c->urls[0].path, "/health");
	CU_ASSERT_STRING_EQUAL(c->urls[0].status_code, "200");
	CU_ASSERT_EQUAL(c->http_proto, 0);
	lb_config_free(&cfg);
}

static void
test_lvs_dr(void)
{
	const struct lb_cfg_service *s;
	const struct lb_cfg_check *c;
	struct lb_config cfg;
	unsigned int count;

	CU_ASSERT_EQUAL_FATAL(run(sample("lvs_dr.conf"), NULL, NULL, &cfg, &count), 0);
	CU_ASSERT_EQUAL(count, 0);
	CU_ASSERT_EQUAL(cfg.tcp_timeout, 7200);
	CU_ASSERT_EQUAL(cfg.tcpfin_timeout, 60);
	CU_ASSERT_EQUAL(cfg.udp_timeout, 120);
	/* eth2 without the VIP keepalived holds now: that is VRRP's to own */
	CU_ASSERT_EQUAL_FATAL(cfg.nb_ifaces, 1);
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[0].name, "eth2");
	CU_ASSERT_EQUAL(cfg.ifaces[0].nb_addrs, 1);
	CU_ASSERT_EQUAL(cfg.ifaces[0].addrs[0].addr, IP(198, 18, 1, 10));
	CU_ASSERT_EQUAL_FATAL(cfg.nb_vrrp, 1);
	CU_ASSERT(!cfg.vrrp[0].init_master);
	CU_ASSERT(cfg.vrrp[0].nopreempt);
	CU_ASSERT_EQUAL(cfg.vrrp[0].advert_int_cs, 200);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 2);
	s = &cfg.services[0];
	CU_ASSERT_STRING_EQUAL(s->sched, "rr");
	CU_ASSERT_EQUAL(s->flags, LB_SVC_F_PERSISTENT);
	CU_ASSERT_EQUAL(s->persistence, 360);			/* no value: 6 minutes */
	CU_ASSERT_EQUAL(s->netmask, 0xffffff00);
	CU_ASSERT_EQUAL(s->quorum, 2);
	CU_ASSERT_EQUAL(s->hysteresis, 1);
	CU_ASSERT(s->alpha);
	CU_ASSERT(s->omega);
	CU_ASSERT(s->has_sorry);
	CU_ASSERT_EQUAL(s->sorry.addr, IP(198, 18, 1, 99));
	CU_ASSERT_EQUAL(s->sorry.fwd, LB_FWD_DR);
	CU_ASSERT_EQUAL_FATAL(s->nb_rs, 2);
	CU_ASSERT_EQUAL(s->rs[0].fwd, LB_FWD_DR);
	CU_ASSERT_EQUAL(s->rs[1].fwd, LB_FWD_DR);
	CU_ASSERT(s->rs[0].inhibit_on_failure);
	CU_ASSERT(!s->rs[1].inhibit_on_failure);
	CU_ASSERT_EQUAL(s->rs[1].weight, 2);
	c = check_of(&cfg, s->vip, 80, IP(198, 18, 1, 21), 80);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->type, LB_CHECK_HTTP);
	CU_ASSERT_EQUAL(c->http_proto, 2);
	CU_ASSERT_STRING_EQUAL(c->virtualhost, "www.example.com");	/* from the VS */
	CU_ASSERT_EQUAL_FATAL(c->nb_urls, 2);
	CU_ASSERT_STRING_EQUAL(c->urls[0].digest, "9b3a0c85a887a256d6939da88aabd8cd");
	CU_ASSERT_STRING_EQUAL(c->urls[0].status_code, "");
	CU_ASSERT_STRING_EQUAL(c->urls[1].status_code, "200 301-302");
	CU_ASSERT_EQUAL(c->timing.delay_loop_ms, 10000);
	CU_ASSERT_EQUAL(c->timing.retry, 3);
	CU_ASSERT_EQUAL(c->timing.delay_before_retry_ms, 2000);
	c = check_of(&cfg, s->vip, 80, IP(198, 18, 1, 22), 80);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->timing.connect_timeout_ms, 1500);
	CU_ASSERT_EQUAL(c->timing.warmup_ms, 5000);
	s = &cfg.services[1];
	CU_ASSERT_EQUAL(s->proto, IPPROTO_UDP);
	CU_ASSERT_EQUAL(s->port, 53);
	CU_ASSERT_STRING_EQUAL(s->sched, "sh");
	CU_ASSERT_EQUAL(s->flags, 0);
	CU_ASSERT_EQUAL(s->nb_rs, 2);
	CU_ASSERT_EQUAL(cfg.nb_checks, 2);
	lb_config_free(&cfg);
}

/* keepalived + LVS-DR: @id, $VAR, groups and includes of a real file. */
static void
test_keepalived_dr(void)
{
	const struct lb_cfg_service *s;
	const struct lb_cfg_check *c;
	struct lb_config cfg;
	unsigned int count, i;
	char host[256] = "";

	CU_ASSERT_EQUAL_FATAL(run(sample("keepalived_dr.conf"), NULL, NULL, &cfg, &count), 0);
	CU_ASSERT_EQUAL(count, 0);
	gethostname(host, sizeof(host));
	host[strcspn(host, ".")] = '\0';
	if (strcmp(host, "lb1") != 0) {		/* @^lb1 lines: the BACKUP */
		CU_ASSERT_STRING_EQUAL(cfg.router_id, "lb-other");
		CU_ASSERT(!cfg.vrrp[0].init_master);
		CU_ASSERT_EQUAL(cfg.vrrp[0].priority, 100);
	}
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 3);		/* global vrrp_version */
	CU_ASSERT_EQUAL(cfg.vrrp[0].advert_int_cs, 50);
	CU_ASSERT_EQUAL(cfg.vrrp[0].preempt_delay_s, 30);
	CU_ASSERT_EQUAL_FATAL(cfg.vrrp[0].nb_vips, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].vips[0], IP(198, 18, 1, 100));
	/* the group: one service per entry, the same real servers and checkers */
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 2);
	CU_ASSERT_EQUAL(cfg.nb_checks, 4);
	for (i = 0; i < 2; i++) {
		s = &cfg.services[i];
		CU_ASSERT_EQUAL(s->vip, i ? IP(198, 18, 1, 101) : IP(198, 18, 1, 100));
		CU_ASSERT_EQUAL(s->port, 443);
		CU_ASSERT_EQUAL_FATAL(s->nb_rs, 2);
		CU_ASSERT_EQUAL(s->rs[0].weight, 10);
		CU_ASSERT_EQUAL(s->rs[1].weight, 20);
		CU_ASSERT_EQUAL(s->rs[1].fwd, LB_FWD_DR);
		c = check_of(&cfg, s->vip, 443, IP(198, 18, 1, 22), 443);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(c->bind_to, IP(198, 18, 1, 10));
		CU_ASSERT_EQUAL(c->timing.delay_loop_ms, 3000);
		CU_ASSERT_EQUAL(c->timing.connect_timeout_ms, 2000);
		CU_ASSERT(strstr(cfg.path, "keepalived_dr.conf") != NULL);
	}
	lb_config_free(&cfg);
}

static const char vs_head[] = "virtual_server 198.18.10.100 80 {\n";

static void
test_service_keywords(void)
{
	const struct lb_cfg_check *c;
	struct lb_config cfg;

	expect_ok("global_defs {\n router_id r1\n}\n"
		  "virtual_server 198.18.10.100 80 {\n"
		  "  lvs_sched mh\n  lvs_method NAT\n  mh-port\n  mh-fallback\n"
		  "  protocol TCP\n  persistence_timeout 0\n"
		  "  persistence_granularity 16\n"
		  "  delay_loop 0.5\n  connect_timeout 4\n  retry 5\n  delay_before_retry 0.25\n"
		  "  warmup 1\n  quorum 3\n  hysteresis 2\n  alpha off\n  omega yes\n"
		  "  sorry_server 198.18.10.99 8080\n  sorry_server_lvs_method NAT\n"
		  "  real_server 198.18.10.11 8080 {\n    weight 0\n    uthreshold 100\n"
		  "    lthreshold 50\n    inhibit_on_failure false\n    connect_timeout 6\n"
		  "    HTTP_GET {\n      url { path /a?b=1 }\n      virtualhost app.local\n"
		  "      http_protocol 1.0C\n      connect_ip 198.18.10.12\n"
		  "      connect_port 81\n      delay_loop 9\n    }\n  }\n}\n", &cfg);
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "r1");
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 1);
	CU_ASSERT_STRING_EQUAL(cfg.services[0].sched, "mh");
	CU_ASSERT_EQUAL(cfg.services[0].flags, LB_SVC_F_MH_PORT | LB_SVC_F_MH_FALLBACK);
	CU_ASSERT_EQUAL(cfg.services[0].persistence, 0);
	CU_ASSERT_EQUAL(cfg.services[0].netmask, 0xffff0000);
	CU_ASSERT_EQUAL(cfg.services[0].timing.delay_loop_ms, 500);
	CU_ASSERT_EQUAL(cfg.services[0].timing.delay_before_retry_ms, 250);
	CU_ASSERT_EQUAL(cfg.services[0].timing.warmup_ms, 1000);
	CU_ASSERT_EQUAL(cfg.services[0].quorum, 3);
	CU_ASSERT_EQUAL(cfg.services[0].hysteresis, 2);
	CU_ASSERT(!cfg.services[0].alpha);
	CU_ASSERT(cfg.services[0].omega);
	CU_ASSERT_EQUAL(cfg.services[0].sorry.port, 8080);
	CU_ASSERT_EQUAL(cfg.services[0].sorry.fwd, LB_FWD_NAT);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].weight, 0);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].u_threshold, 100);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].l_threshold, 50);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_checks, 1);
	c = &cfg.checks[0];
	CU_ASSERT_EQUAL(c->timing.connect_timeout_ms, 6000);	/* real server's */
	CU_ASSERT_EQUAL(c->timing.retry, 5);			/* virtual server's */
	CU_ASSERT_EQUAL(c->timing.delay_loop_ms, 9000);		/* its own */
	CU_ASSERT_EQUAL(c->timing.warmup_ms, 1000);
	CU_ASSERT_STRING_EQUAL(c->urls[0].path, "/a?b=1");
	CU_ASSERT_STRING_EQUAL(c->virtualhost, "app.local");
	CU_ASSERT_EQUAL(c->http_proto, 1);
	CU_ASSERT_EQUAL(c->connect_ip, IP(198, 18, 10, 12));
	CU_ASSERT_EQUAL(c->connect_port, 81);
	CU_ASSERT_EQUAL(c->line, 29);
	lb_config_free(&cfg);

	/* defaults: wlc, NAT, TCP, no persistence, keepalived's checker timing */
	expect_ok("virtual_server 198.18.10.100 80 {\n real_server 198.18.10.11 80 {\n"
		  "  TCP_CHECK {\n  }\n }\n}\n", &cfg);
	CU_ASSERT_STRING_EQUAL(cfg.services[0].sched, "wlc");
	CU_ASSERT_EQUAL(cfg.services[0].proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(cfg.services[0].flags, 0);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].fwd, LB_FWD_NAT);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].weight, 1);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.delay_loop_ms, 60000);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.connect_timeout_ms, 5000);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.retry, 1);
	CU_ASSERT_EQUAL(cfg.nb_ifaces, 1);	/* eth1: the real server's subnet */
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "");
	lb_config_free(&cfg);

	/* a real server without port or block: the service's port */
	expect_ok("virtual_server 198.18.10.100 80 {\n lb_kind TUN\n"
		  " real_server 198.18.20.5\n}\n", &cfg);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].port, 80);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].fwd, LB_FWD_TUN);
	lb_config_free(&cfg);
}

static void
test_vrrp_keywords(void)
{
	struct lb_config cfg;

	expect_ok("global_defs {\n vrrp_version 3\n}\n"
		  "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
		  " advert_int 0.25\n state MASTER\n priority 255\n preempt_delay 5\n"
		  " virtual_ipaddress {\n  198.18.0.50/32 dev eth0 label eth0:vip scope global\n"
		  "  198.18.0.51 brd 198.18.0.255\n }\n}\n"
		  "vrrp_instance B {\n interface eth0\n version 2\n virtual_router_id 8\n"
		  " authentication {\n  auth_type AH\n  auth_pass 12345678\n }\n"
		  " virtual_ipaddress {\n  198.18.0.52\n }\n}\n", &cfg);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_vrrp, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 3);
	CU_ASSERT_EQUAL(cfg.vrrp[0].advert_int_cs, 25);
	CU_ASSERT_EQUAL(cfg.vrrp[0].priority, 255);
	CU_ASSERT_EQUAL(cfg.vrrp[0].preempt_delay_s, 5);
	CU_ASSERT(cfg.vrrp[0].init_master);
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_vips, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[1].version, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[1].priority, 100);
	CU_ASSERT_EQUAL(cfg.vrrp[1].auth_type, 2);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[1].auth_pass, "12345678");
	CU_ASSERT_EQUAL(cfg.nb_ifaces, 1);
	lb_config_free(&cfg);

	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
		     " advert_int 0.5\n virtual_ipaddress {\n  198.18.0.50\n }\n}\n",
		     "k.conf:4: 'advert_int' must be whole seconds 1..255 with VRRP version 2 "
		     "(got 0.5)");
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n version 3\n"
		     " authentication {\n  auth_type PASS\n  auth_pass x\n }\n"
		     " virtual_ipaddress {\n  198.18.0.50\n }\n}\n",
		     "k.conf:5: 'authentication' is for VRRP version 2 only");
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
		     " authentication {\n  auth_type PASS\n  auth_pass 123456789\n }\n"
		     " virtual_ipaddress {\n  198.18.0.50\n }\n}\n",
		     "k.conf:6: 'auth_pass' is 9 characters: VRRP carries 8");
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
		     " virtual_ipaddress {\n  198.18.0.2\n }\n}\n",
		     "k.conf:5: virtual_ipaddress '198.18.0.2' is an address of interface eth0");
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
		     " virtual_ipaddress {\n  198.18.0.50 dev eth1\n }\n}\n",
		     "k.conf:5: virtual_ipaddress '198.18.0.50' on dev eth1: dplb holds VIPs on "
		     "the instance's interface eth0 only");
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
		     " virtual_ipaddress {\n  198.18.0.50\n }\n}\n"
		     "vrrp_instance B {\n interface eth0\n virtual_router_id 7\n"
		     " virtual_ipaddress {\n  198.18.0.51\n }\n}\n",
		     "k.conf:10: virtual_router_id 7 is already used on interface eth0 by "
		     "vrrp_instance A (line 1)");
	expect_error("vrrp_instance A {\n interface eth3\n virtual_router_id 7\n"
		     " virtual_ipaddress {\n  198.18.0.50\n }\n}\n",
		     "k.conf:2: 'interface': eth3 has no IPv4 address to send adverts from");
	expect_error("vrrp_instance A {\n interface eth0\n virtual_router_id 7\n}\n",
		     "k.conf:1: vrrp_instance A has no virtual_ipaddress");
	expect_error("vrrp_instance A {\n state FAULT\n}\n",
		     "k.conf:2: 'state' must be MASTER or BACKUP (got 'FAULT')");
	expect_error("vrrp_instance A {\n state FAULT\n}\n",
		     "k.conf:1: vrrp_instance A has no interface");
}

/* unicast_peer { } and unicast_src_ip: read, dumped, loaded back natively. */
static void
test_vrrp_unicast(void)
{
#define UC_HEAD "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n" \
	" virtual_ipaddress {\n  198.18.0.50\n }\n"
	struct lb_config cfg, back;
	struct lb_cfg_errors err = { NULL, 0 };
	char *dump = NULL;
	size_t len;
	FILE *f;

	expect_ok(UC_HEAD " unicast_src_ip 198.18.0.2\n unicast_peer {\n  198.18.0.3\n"
		  "  198.18.0.4\n }\n}\n", &cfg);
	CU_ASSERT_EQUAL_FATAL(cfg.vrrp[0].nb_unicast_peers, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].unicast_peers[1], IP(198, 18, 0, 4));
	CU_ASSERT_EQUAL(cfg.vrrp[0].unicast_src, IP(198, 18, 0, 2));
	f = open_memstream(&dump, &len);
	lb_config_dump(&cfg, f);
	fclose(f);
	CU_ASSERT(strstr(dump, "unicast_peer = [ \"198.18.0.3\", \"198.18.0.4\" ];") != NULL);
	CU_ASSERT_EQUAL_FATAL(lb_config_parse_native("dump", dump, &back, &err), 0);
	CU_ASSERT_EQUAL(back.vrrp[0].nb_unicast_peers, 2);
	CU_ASSERT_EQUAL(memcmp(back.vrrp[0].unicast_peers, cfg.vrrp[0].unicast_peers,
			       sizeof(cfg.vrrp[0].unicast_peers)), 0);
	CU_ASSERT_EQUAL(back.vrrp[0].unicast_src, cfg.vrrp[0].unicast_src);
	lb_config_free(&back);
	lb_config_free(&cfg);
	free(dump);

	/* the keyword before interface is fine: checked once the block is read */
	expect_ok("vrrp_instance A {\n unicast_peer {\n  198.18.0.3\n }\n interface eth0\n"
		  " virtual_router_id 7\n virtual_ipaddress {\n  198.18.0.50\n }\n}\n", &cfg);
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_unicast_peers, 1);
	lb_config_free(&cfg);
	expect_error(UC_HEAD " unicast_peer {\n  198.18.10.3\n }\n}\n",
		     "k.conf:8: unicast_peer 198.18.10.3 is not on a subnet of interface eth0, "
		     "which has no gateway");
	expect_error(UC_HEAD " unicast_peer {\n  198.18.0.3 min_ttl 1\n }\n}\n",
		     "k.conf:8: unicast_peer '198.18.0.3': only the address is supported by dplb "
		     "yet (no min_ttl, max_ttl)");
	expect_error(UC_HEAD " unicast_peer {\n  fe80::1\n }\n}\n",
		     "k.conf:8: unicast_peer 'fe80::1' is not an IPv4 address (dplb has no IPv6 yet)");
	expect_error(UC_HEAD " unicast_peer {\n  198.18.0.2\n }\n}\n",
		     "k.conf:8: unicast_peer 198.18.0.2 is an address of this box");
	expect_error(UC_HEAD " unicast_src_ip 198.18.10.1\n}\n",
		     "k.conf:7: 'unicast_src_ip' 198.18.10.1 is not an address of interface eth0");
	expect_error(UC_HEAD " unicast_peer 198.18.0.3\n}\n",
		     "k.conf:7: 'unicast_peer' needs a { block }");
	/* an empty list: multicast, with a warning, as keepalived */
	CU_ASSERT_EQUAL(parse(UC_HEAD " unicast_peer {\n }\n}\n", &cfg, NULL), 0);
	CU_ASSERT(has_msg("k.conf:7: warning: 'unicast_peer' lists no peer: adverts go to 224.0.0.18"));
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_unicast_peers, 0);
	lb_config_free(&cfg);
	/* keepalived's source check is what dplb always does */
	CU_ASSERT_EQUAL(parse("global_defs {\n vrrp_check_unicast_src\n}\n" UC_HEAD
			      " check_unicast_src\n unicast_peer {\n  198.18.0.3\n }\n}\n",
			      &cfg, NULL), 0);
	CU_ASSERT(has_msg("k.conf:2: warning: 'vrrp_check_unicast_src' ignored: dplb always drops"));
	CU_ASSERT(has_msg("k.conf:10: warning: 'check_unicast_src' ignored"));
	lb_config_free(&cfg);
#undef UC_HEAD
}

/* include with a glob, relative to the including file, nested. */
static void
test_include_glob(void)
{
	char dir[] = "/tmp/dplb-kc-XXXXXX", path[256];
	const char *files[][2] = {
		{ "main.conf", "global_defs {\n router_id inc\n}\n"
			       "include conf.d/*.conf\n" },
		{ "conf.d/10-vrrp.conf", "vrrp_instance V {\n interface eth0\n"
					 " virtual_router_id 9\n virtual_ipaddress {\n"
					 "  198.18.0.60\n }\n}\n" },
		{ "conf.d/20-web.conf", vs_head },
		{ "conf.d/sub/rs.inc", " real_server 198.18.10.11 80 {\n  weight 4\n }\n" },
		{ "conf.d/sub/zz.conf", "" },
		{ "conf.d/30-end.conf", " include sub/*.inc\n}\n" },
	};
	struct lb_config cfg;
	unsigned int i, count;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/conf.d/sub", dir);
	mkdir(path, 0700);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		f = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	CU_ASSERT_EQUAL(run(path, NULL, NULL, &cfg, &count), 0);
	CU_ASSERT_EQUAL(count, 0);
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "inc");
	CU_ASSERT_EQUAL(cfg.nb_vrrp, 1);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 1);
	CU_ASSERT_EQUAL(cfg.services[0].nb_rs, 1);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].weight, 4);
	lb_config_free(&cfg);

	/* an error in an included file names that file and its line */
	snprintf(path, sizeof(path), "%s/conf.d/sub/rs.inc", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(" real_server 198.18.10.11 80 {\n  weight -1\n }\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	CU_ASSERT_EQUAL(run(path, NULL, NULL, &cfg, &count), -EINVAL);
	CU_ASSERT_EQUAL(count, 1);
	snprintf(path, sizeof(path), "%s/conf.d/sub/rs.inc:2: 'weight' must be 0..65535 "
		 "(got -1)", dir);
	CU_ASSERT(has_msg(path));

	/* a file including itself stops at the nesting limit */
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("include main.conf\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(run(path, NULL, NULL, &cfg, &count), -EINVAL);
	CU_ASSERT(has_msg("includes nest deeper than 16"));

	/* no match: keepalived's include goes on (a warning), includea does not */
	CU_ASSERT_EQUAL(run(path, "include nothing/*.conf\n", NULL, &cfg, &count), 0);
	CU_ASSERT(has_msg("warning: include 'nothing/*.conf': no file matches"));
	lb_config_free(&cfg);
	CU_ASSERT_EQUAL(run("k.conf", "includea nothing/*.conf\n", NULL, &cfg, &count),
			-EINVAL);
	CU_ASSERT(has_msg("k.conf:1: includea 'nothing/*.conf': no file matches"));

	for (i = sizeof(files) / sizeof(files[0]); i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/conf.d/sub", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_variables(void)
{
	struct lb_config cfg;

	expect_ok("$NET=198.18.10\n"
		  "$RS=${NET}.11\n"
		  "$PORT=8080\n"
		  "$CHECK= \\\n"
		  "  TCP_CHECK { \\\n"
		  "    connect_timeout $TIMEOUT \\\n"
		  "  }\n"
		  "$TIMEOUT=2\n"
		  "virtual_server ${NET}.100 80 {\n"
		  " real_server $RS $PORT {\n"
		  "  $CHECK\n"
		  " }\n"
		  "$TIMEOUT=7\n"
		  " real_server ${NET}.12 $PORT {\n"
		  "  $CHECK\n"
		  " }\n"
		  "}\n", &cfg);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 1);
	CU_ASSERT_EQUAL(cfg.services[0].vip, IP(198, 18, 10, 100));
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].addr, IP(198, 18, 10, 11));
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].port, 8080);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_checks, 2);
	/* substituted when used, not when defined */
	CU_ASSERT_EQUAL(cfg.checks[0].timing.connect_timeout_ms, 2000);
	CU_ASSERT_EQUAL(cfg.checks[1].timing.connect_timeout_ms, 7000);
	CU_ASSERT_EQUAL(cfg.checks[1].line, 15);	/* the line that used $CHECK */
	lb_config_free(&cfg);

	/* undefined: left as is; $X glued to text is not substituted */
	expect_error("virtual_server $UNDEF 80 {\n}\n",
		     "k.conf:1: 'virtual_server': '$UNDEF' is not an IPv4 address");
	expect_error("$P=80\nvirtual_server 198.18.10.100 $P0 {\n}\n",
		     "k.conf:2: 'port' must be an integer (got '$P0')");
	expect_error("$A=${A}x\nglobal_defs {\n router_id $A\n}\n",
		     "k.conf:3: $A: parameter substitution does not end");
}

static void
test_conditionals(void)
{
	static const char text[] =
		"global_defs {\n"
		"@lb1 router_id one\n"
		"@lb2 router_id two\n"
		"  @^lb1 vrrp_version 3\n"
		"}\n"
		"$IF_LB1=@lb1\n"
		"vrrp_instance V {\n interface eth0\n virtual_router_id 9\n"
		"$IF_LB1 priority 200\n"
		" virtual_ipaddress {\n  198.18.0.60\n }\n}\n";
	struct lb_config cfg;
	unsigned int count;

	CU_ASSERT_EQUAL(run("k.conf", text, "lb1", &cfg, &count), 0);
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "one");
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].priority, 200);
	lb_config_free(&cfg);
	CU_ASSERT_EQUAL(run("k.conf", text, "lb2", &cfg, &count), 0);
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "two");
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 3);
	CU_ASSERT_EQUAL(cfg.vrrp[0].priority, 100);
	lb_config_free(&cfg);
	CU_ASSERT_EQUAL(run("k.conf", text, "other", &cfg, &count), 0);
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "");
	lb_config_free(&cfg);
}

static void
test_comments_quotes_braces(void)
{
	struct lb_config cfg;

	expect_ok("# hash comment\n"
		  "! bang comment\n"
		  "global_defs {   # after a brace\n"
		  "  router_id \"my router\" ! trailing\n"
		  "}\n"
		  "vrrp_instance V{\n"			/* glued */
		  "  interface eth0\n  virtual_router_id 9\n"
		  "  authentication\n  {\n auth_type PASS\n auth_pass 'p#ss!'\n }\n"
		  "  virtual_ipaddress { 198.18.0.60 }\n"	/* one-line block */
		  "}\n"
		  "virtual_server 198.18.10.100 80{\n"
		  " real_server 198.18.10.11 80 { weight 2 }\n"
		  " real_server 198.18.10.12 80{\n  HTTP_GET {\n   url { path /x }\n  }}}\n", &cfg);
	CU_ASSERT_STRING_EQUAL(cfg.router_id, "my router");
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].auth_pass, "p#ss!");
	CU_ASSERT_EQUAL(cfg.vrrp[0].vips[0], IP(198, 18, 0, 60));
	CU_ASSERT_EQUAL_FATAL(cfg.nb_services, 1);
	CU_ASSERT_EQUAL(cfg.services[0].nb_rs, 2);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].weight, 2);
	CU_ASSERT_EQUAL(cfg.nb_checks, 1);
	CU_ASSERT_STRING_EQUAL(cfg.checks[0].urls[0].path, "/x");
	lb_config_free(&cfg);
}

/* SSL_GET, MISC_CHECK, notify and quorum scripts land in their fields. */
static void
test_scripts_and_tls(void)
{
	struct lb_config cfg;
	const struct lb_cfg_notify *nt;

	expect_ok("virtual_server 198.18.10.100 443 {\n"
		  " delay_loop 4\n"
		  " quorum_up \"/usr/local/bin/page up\"\n"
		  " quorum_down /usr/local/bin/page down\n"
		  " real_server 198.18.10.11 443 {\n"
		  "  notify_up /bin/rs-up\n"
		  "  notify_down \"/bin/rs-down 11\"\n"
		  "  SSL_GET {\n   url { path /health }\n   virtualhost www.lab\n   enable_sni\n  }\n"
		  "  MISC_CHECK {\n   misc_path \"/bin/check 198.18.10.11\"\n   misc_dynamic\n  }\n"
		  "  MISC_CHECK {\n   misc_path /bin/true\n   misc_timeout 2.5\n  }\n"
		  " }\n}\n", &cfg);
	CU_ASSERT_STRING_EQUAL(cfg.services[0].quorum_up, "/usr/local/bin/page up");
	CU_ASSERT_STRING_EQUAL(cfg.services[0].quorum_down, "/usr/local/bin/page down");
	nt = lb_cfg_notify_of(&cfg, &cfg.services[0], &cfg.services[0].rs[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(nt);
	CU_ASSERT_STRING_EQUAL(nt->up, "/bin/rs-up");
	CU_ASSERT_STRING_EQUAL(nt->down, "/bin/rs-down 11");
	CU_ASSERT_EQUAL_FATAL(cfg.nb_checks, 3);
	CU_ASSERT_EQUAL(cfg.checks[0].type, LB_CHECK_HTTP);
	CU_ASSERT(cfg.checks[0].tls && cfg.checks[0].enable_sni);
	CU_ASSERT_EQUAL(cfg.checks[1].type, LB_CHECK_MISC);
	CU_ASSERT_STRING_EQUAL(cfg.checks[1].misc_path, "/bin/check 198.18.10.11");
	CU_ASSERT(cfg.checks[1].misc_dynamic);
	CU_ASSERT_EQUAL(cfg.checks[1].timing.connect_timeout_ms, 4000);	/* = delay_loop */
	CU_ASSERT_EQUAL(cfg.checks[2].timing.connect_timeout_ms, 2500);	/* misc_timeout */
	lb_config_free(&cfg);
	expect_error("virtual_server 198.18.10.100 80 {\n real_server 198.18.10.11 80 {\n"
		     "  MISC_CHECK {\n   misc_dynamic\n  }\n }\n}\n",
		     "k.conf:3: MISC_CHECK needs misc_path (the command to run)");
	expect_error("virtual_server 198.18.10.100 443 {\n real_server 198.18.10.11 443 {\n"
		     "  SSL_GET {\n   url { path / }\n   enable_sni\n  }\n }\n}\n",
		     "k.conf:3: enable_sni sends the virtualhost; set virtualhost");
}

/* vrrp_script, track_script and track_interface, as the native tracking. */
static void
test_vrrp_tracking(void)
{
	struct lb_config cfg;

	expect_ok("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		  " track_script {\n  chk_web\n  chk_db\n }\n"
		  " track_interface {\n  eth0\n }\n"
		  " virtual_ipaddress { 198.18.0.100 }\n}\n"
		  "vrrp_script chk_web {\n script \"/usr/bin/pgrep nginx\"\n interval 2\n"
		  " weight -20\n fall 3\n rise 2\n}\n"
		  "vrrp_script chk_db {\n script /bin/check-db\n timeout 5\n init_fail\n}\n", &cfg);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_vrrp_scripts, 2);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp_scripts[0].script, "/usr/bin/pgrep nginx");
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].interval_ms, 2000);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].timeout_ms, 2000);	/* = interval */
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].weight, -20);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].fall, 3);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].rise, 2);
	CU_ASSERT(cfg.vrrp_scripts[1].init_fail);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[1].timeout_ms, 5000);
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_track_scripts, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].track_scripts[1], 1);
	CU_ASSERT_EQUAL_FATAL(cfg.vrrp[0].nb_track_ifaces, 1);
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[cfg.vrrp[0].track_ifaces[0]].name, "eth0");
	lb_config_free(&cfg);
	expect_error("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		     " track_script {\n  nope\n }\n virtual_ipaddress { 198.18.0.100 }\n}\n",
		     "k.conf:5: track_script 'nope' is not a vrrp_script of this file");
	expect_error("vrrp_script s {\n script /bin/true\n weight 300\n}\n",
		     "k.conf:3: 'weight' must be an integer -253..253 (got '300')");
	expect_error("vrrp_script s {\n interval 1\n}\n", "k.conf:1: vrrp_script s has no script");
	/* found by the fuzzer: status codes longer than the field */
	expect_error("virtual_server 198.18.10.100 80 {\n real_server 198.18.10.11 80 {\n"
		     "  HTTP_GET {\n   url {\n    path /\n    status_code 200 201 202 203 204 205 "
		     "206 207 208 209 210 211 212 213 214 215 216 217 218 219 220\n   }\n  }\n"
		     " }\n}\n", "k.conf:6: 'status_code' must be codes or ranges in 100-599");
	expect_ok("vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n}\n"
		  "global_defs {\n notify_fifo /run/dplb.fifo\n vrrp_garp_master_repeat 2\n}\n"
		  "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		  " notify_master \"/bin/up VI_1\"\n notify /bin/any\n garp_master_refresh 60\n"
		  " virtual_ipaddress { 198.18.0.100 }\n}\n"
		  "vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 52\n"
		  " virtual_ipaddress { 198.18.10.100 }\n}\n", &cfg);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_vrrp_syncs, 1);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp_syncs[0].name, "G1");
	CU_ASSERT_EQUAL(cfg.vrrp_syncs[0].nb_members, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].sync_group, 0);
	CU_ASSERT_EQUAL(cfg.vrrp[1].sync_group, 0);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].notify_master, "/bin/up VI_1");
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].notify, "/bin/any");
	CU_ASSERT_STRING_EQUAL(cfg.vrrp_notify_fifo, "/run/dplb.fifo");
	CU_ASSERT_EQUAL(cfg.vrrp[0].garp_repeat, 2);		/* the global default */
	CU_ASSERT_EQUAL(cfg.vrrp[0].garp_refresh_ms, 60000);
	CU_ASSERT_EQUAL(cfg.vrrp[1].garp_repeat, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[1].garp_delay_ms, 5000);
	lb_config_free(&cfg);
	expect_error("vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_9\n }\n}\n"
		     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		     " virtual_ipaddress { 198.18.0.100 }\n}\n",
		     "k.conf:4: vrrp_sync_group G1: 'VI_9' is not a vrrp_instance");
}

/* One broken file: rejected with exactly these messages (and no others). */
static void
expect_file(const char *name, const char *const want[], unsigned int n)
{
	struct lb_config cfg;
	unsigned int count, i;

	CU_ASSERT_EQUAL(run(sample(name), NULL, NULL, &cfg, &count), -EINVAL);
	CU_ASSERT_EQUAL(count, n);
	for (i = 0; i < n; i++)
		CU_ASSERT(has_msg(want[i]));
	CU_ASSERT_EQUAL(cfg.services, NULL);	/* nothing to free */
	CU_ASSERT_EQUAL(cfg.checks, NULL);
}

static void
test_broken_files(void)
{
	static const char *const brace[] = {
		"broken_brace.conf:2: 'virtual_server' block has no closing '}' (the file "
		"ends first)" };
	static const char *const unknown[] = {
		"broken_unknown.conf:2: unknown keyword 'lb_algoo' in virtual_server",
		"broken_unknown.conf:4: unknown keyword 'weigth' in real_server" };
	static const char *const range[] = {
		"broken_range.conf:3: 'virtual_router_id' must be 1..255 (got 256)",
		"broken_range.conf:4: 'priority' must be 1..255 (got 0)",
		"broken_range.conf:5: 'advert_int' must be whole seconds 1..255 with VRRP "
		"version 2 (got 1.5)",
		"broken_range.conf:10: 'port' must be 1..65535 (got 70000)" };
	static const char *const dup[] = {
		"broken_dup_vs.conf:5: virtual_server 198.18.0.100 80 (TCP) is already defined "
		"(line 1)" };
	static const char *const iface[] = {
		"broken_iface.conf:2: 'interface': interface 'eth9' is not one of this box's "
		"(the kernel has: lo, eth0, eth1, eth2, eth3)" };
	static const char *const unsup[] = {
		"broken_unsupported.conf:1: 'vrrp_track_process' is not supported by dplb yet (it "
		"would track a process to adjust VRRP priority)",
		"broken_unsupported.conf:7: 'virtual_routes' is not supported by dplb yet (it "
		"would add routes while MASTER)",
		"broken_unsupported.conf:10: 'track_process' is not supported by dplb yet",
		"broken_unsupported.conf:17: 'virtual_server fwmark' is not supported by dplb yet",
		"broken_unsupported.conf:21: 'DNS_CHECK' is not supported by dplb yet (it would "
		"check by a DNS query)",
		"broken_unsupported.conf:24: 'UDP_CHECK' is not supported by dplb yet" };

	expect_file("broken_brace.conf", brace, 1);
	expect_file("broken_unknown.conf", unknown, 2);
	expect_file("broken_range.conf", range, 4);
	expect_file("broken_dup_vs.conf", dup, 1);
	expect_file("broken_iface.conf", iface, 1);
	expect_file("broken_unsupported.conf", unsup, 6);
}

static void
test_broken_text(void)
{
	struct lb_config cfg;
	unsigned int count;

	expect_error("}\n", "k.conf:1: '}' closes no block");
	expect_error("{ x }\n", "k.conf:1: '{' has no keyword before it");
	expect_error("global_defs\n", "k.conf:1: 'global_defs' needs a { block }");
	expect_error("global_defs {\n router_id \"open\n}\n",
		     "k.conf:2: unterminated \" quoted string");
	expect_error("virtual_server 198.18.10.100 80 {\n protocol SCTP\n}\n",
		     "k.conf:2: 'protocol SCTP' is not supported by dplb yet");
	expect_error("virtual_server 198.18.10.100 80 {\n lb_kind FNAT\n}\n",
		     "k.conf:2: 'lb_kind' must be NAT, DR or TUN (got 'FNAT')");
	expect_error("virtual_server 198.18.10.100 80 {\n lb_algo fastest\n}\n",
		     "k.conf:2: 'lb_algo' 'fastest' is unknown (one of:");
	expect_error("virtual_server 198.18.10.100 80 {\n delay_loop 1 2\n}\n",
		     "k.conf:2: 'delay_loop' takes at most 1 value (got 2)");
	expect_error("virtual_server 198.18.10.100 80 {\n delay_loop\n}\n",
		     "k.conf:2: 'delay_loop' needs 1 value");
	expect_error("virtual_server 198.18.10.100 80 {\n alpha maybe\n}\n",
		     "k.conf:2: 'alpha' takes on, off, true, false, yes or no (got 'maybe')");
	expect_error("virtual_server 198.18.10.100 80 {\n quorum 1\n hysteresis 1\n}\n",
		     "k.conf:1: virtual_server: hysteresis 1 must be below quorum 1");
	expect_error("virtual_server 198.18.10.100 80 {\n"
		     " real_server 198.18.10.11 80 {\n }\n"
		     " real_server 198.18.10.11 80 {\n }\n}\n",
		     "k.conf:4: real_server 198.18.10.11 80 is already in this virtual_server "
		     "(line 2)");
	expect_error("virtual_server 198.18.10.100 80 {\n lb_kind DR\n"
		     " real_server 198.18.30.11 80 {\n }\n}\n",
		     "k.conf:3: real_server 198.18.30.11: with forward 'dr' the real server "
		     "must be on the subnet of an interface");
	expect_error("virtual_server 198.18.10.100 80 {\n protocol UDP\n"
		     " real_server 198.18.10.11 80 {\n  TCP_CHECK {\n  }\n }\n}\n",
		     "k.conf:4: TCP_CHECK checks over TCP; the virtual_server is UDP");
	expect_error("virtual_server 198.18.10.100 80 {\n real_server 198.18.10.11 80 {\n"
		     "  HTTP_GET {\n   url {\n    path x\n    digest 123\n    status_code 700\n"
		     "   }\n   bindto 198.18.10.50\n   http_protocol 2\n  }\n }\n}\n",
		     "k.conf:5: 'path' must start with '/'");
	CU_ASSERT(has_msg("k.conf:6: 'digest' must be 32 hex digits"));
	CU_ASSERT(has_msg("k.conf:7: 'status_code' must be codes or ranges in 100-599"));
	CU_ASSERT(has_msg("k.conf:10: 'http_protocol' must be 1.0, 1.0C or 1.1 (got '2')"));
	CU_ASSERT(has_msg("k.conf:3: HTTP_GET: bindto must be an address of one of the "
			  "interfaces"));
	expect_error("virtual_server 198.18.10.100 80 {\n real_server 198.18.10.11 80 {\n"
		     "  HTTP_GET {\n  }\n }\n}\n",
		     "k.conf:3: HTTP_GET needs at least one url { path / }");
	expect_error("virtual_server group NOPE {\n}\n",
		     "k.conf:1: virtual_server group 'NOPE': no virtual_server_group NOPE");
	expect_error("virtual_server_group G {\n fwmark 3\n 198.18.10.100-99 80\n}\n"
		     "virtual_server group G {\n}\n",
		     "k.conf:2: 'fwmark' in virtual_server_group is not supported by dplb yet");
	CU_ASSERT(has_msg("k.conf:3: virtual_server_group: range end '99' must be 100..255"));
	expect_error("global_defs {\n vrrp_strict\n}\n",
		     "k.conf:2: 'vrrp_strict' is not supported by dplb yet (it would "
		     "enforce strict RFC compliance)");
	expect_error("global_defs {\n no_such_thing 1\n}\n",
		     "k.conf:2: unknown keyword 'no_such_thing' in global_defs");
	expect_error("frobnicate {\n}\n", "k.conf:1: unknown keyword 'frobnicate' in the top "
		     "level");

	/* every problem of a file in one pass */
	CU_ASSERT_EQUAL(parse("global_defs {\n vrrp_version 4\n}\n"
			      "virtual_server 198.18.10.100 0 {\n}\n"
			      "virtual_server 198.18.10.100 80 {\n weight 1\n"
			      " real_server 198.18.10.11 80 {\n  weight 1.5\n }\n}\n",
			      &cfg, &count), -EINVAL);
	CU_ASSERT_EQUAL(count, 4);
	CU_ASSERT(has_msg("k.conf:2: 'vrrp_version' must be 2..3 (got 4)"));
	CU_ASSERT(has_msg("k.conf:4: 'port' must be 1..65535 (got 0)"));
	CU_ASSERT(has_msg("k.conf:7: unknown keyword 'weight' in virtual_server"));
	CU_ASSERT(has_msg("k.conf:9: 'weight' must be an integer (got '1.5')"));

	CU_ASSERT_EQUAL(run("/nonexistent/keepalived.conf", NULL, NULL, &cfg, &count),
			-ENOENT);
	CU_ASSERT(has_msg("/nonexistent/keepalived.conf: cannot read: No such file"));
}

/* Compare what the health monitor and the services use. */
static void
expect_same(const struct lb_config *a, const struct lb_config *b)
{
	unsigned int i, k;

	CU_ASSERT_EQUAL_FATAL(a->nb_services, b->nb_services);
	for (i = 0; i < a->nb_services; i++) {
		struct lb_cfg_service x = a->services[i], y = b->services[i];

		x.line = y.line = 0;
		for (k = 0; k < x.nb_rs; k++)
			x.rs[k].line = y.rs[k].line = 0;
		x.sorry.line = y.sorry.line = 0;
		x.sorry.inhibit_on_failure = y.sorry.inhibit_on_failure = false;
		CU_ASSERT(memcmp(&x, &y, sizeof(x)) == 0);
	}
	CU_ASSERT_EQUAL_FATAL(a->nb_checks, b->nb_checks);
	for (i = 0; i < a->nb_checks; i++) {
		struct lb_cfg_check x = a->checks[i], y = b->checks[i];

		x.line = y.line = 0;
		CU_ASSERT(memcmp(&x, &y, sizeof(x)) == 0);
	}
	CU_ASSERT_EQUAL_FATAL(a->nb_vrrp, b->nb_vrrp);
	for (i = 0; i < a->nb_vrrp; i++) {
		struct lb_cfg_vrrp x = a->vrrp[i], y = b->vrrp[i];

		x.line = y.line = 0;
		CU_ASSERT(memcmp(&x, &y, sizeof(x)) == 0);
	}
	CU_ASSERT_EQUAL(a->nb_ifaces, b->nb_ifaces);
	CU_ASSERT_EQUAL(a->tcp_timeout, b->tcp_timeout);
}

static void
test_dump_loads_natively(void)
{
	const char *names[] = { "lvs_nat.conf", "lvs_dr.conf", "keepalived_dr.conf" };
	struct lb_cfg_errors err = { stderr, 0 };
	struct lb_config a, b;
	char *dump;
	size_t len;
	unsigned int i;
	FILE *f;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(run(sample(names[i]), NULL, NULL, &a, NULL), 0);
		dump = NULL;
		f = open_memstream(&dump, &len);
		lb_config_dump(&a, f);
		fclose(f);
		CU_ASSERT_EQUAL_FATAL(lb_config_parse_native("dump.conf", dump, &b, &err), 0);
		expect_same(&a, &b);
		lb_config_free(&a);
		lb_config_free(&b);
		free(dump);
	}
}

static void
test_kernel_ifaces_read(void)
{
	struct lb_kernel_ifaces k;
	unsigned int i;
	bool lo = false;

	CU_ASSERT_EQUAL_FATAL(lb_kernel_ifaces_read(&k), 0);
	for (i = 0; i < k.nb; i++)
		if (strcmp(k.ifaces[i].name, "lo") == 0)
			lo = k.ifaces[i].nb_addrs >= 1 &&
			     k.ifaces[i].addrs[0].addr == IP(127, 0, 0, 1) &&
			     k.ifaces[i].addrs[0].prefix_len == 8;
	CU_ASSERT(lo);
}

static void
cleanup(void)
{
	lb_test_msgs_free();
}

static int
suite_clean(void)
{
	cleanup();
	return 0;
}

void
lb_test_register_keepalived(void)
{
	CU_pSuite s = CU_add_suite("keepalived.conf", NULL, suite_clean);

	CU_add_test(s, "LVS-NAT director (tutorial)", test_lvs_nat);
	CU_add_test(s, "LVS-DR director (tutorial)", test_lvs_dr);
	CU_add_test(s, "keepalived + LVS-DR pair, groups, includes", test_keepalived_dr);
	CU_add_test(s, "virtual_server / real_server / checker keywords",
		    test_service_keywords);
	CU_add_test(s, "vrrp_instance keywords and rules", test_vrrp_keywords);
	CU_add_test(s, "unicast_peer, unicast_src_ip", test_vrrp_unicast);
	CU_add_test(s, "include with a glob", test_include_glob);
	CU_add_test(s, "$VAR definitions and substitution", test_variables);
	CU_add_test(s, "@id conditional lines", test_conditionals);
	CU_add_test(s, "comments, quotes, glued braces", test_comments_quotes_braces);
	CU_add_test(s, "SSL_GET, MISC_CHECK, notify and quorum scripts", test_scripts_and_tls);
	CU_add_test(s, "vrrp_script, track_script, track_interface", test_vrrp_tracking);
	CU_add_test(s, "broken files: exact FILE:LINE messages", test_broken_files);
	CU_add_test(s, "broken text: exact FILE:LINE messages", test_broken_text);
	CU_add_test(s, "--config-dump loads back natively", test_dump_loads_natively);
	CU_add_test(s, "kernel interfaces (getifaddrs)", test_kernel_ifaces_read);
}
