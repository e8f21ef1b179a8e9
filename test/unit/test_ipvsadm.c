/* SPDX-License-Identifier: BSD-3-Clause */
/* ipvsadm(8) command lines as operators type them, and their mistakes. */
#include <netinet/in.h>
#include <string.h>

#include "cli/ipvsadm.h"
#include "test/unit/unit.h"

/* Split line into words (in a static buffer) and parse it. */
static int
parse(const char *line, struct lb_ipvs_cmd *cmd, char *err)
{
	static char buf[512];
	char *argv[32], *save = NULL, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	err[0] = '\0';
	return lb_ipvsadm_parse(argc, argv, cmd, err, 200);
}

static void
test_add_service(void)
{
	struct lb_ipvs_cmd c;
	char err[200];

	CU_ASSERT_EQUAL_FATAL(parse("-A -t 198.18.1.100:80 -s wlc -p 3", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_ADD_SVC);
	CU_ASSERT_EQUAL(c.svc.proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(c.svc.vip, LB_TEST_IPV4(198, 18, 1, 100));
	CU_ASSERT_EQUAL(c.svc.port, 80);
	CU_ASSERT_STRING_EQUAL(c.svc.sched, "wlc");
	CU_ASSERT(c.svc.flags & LB_SVC_F_PERSISTENT);
	CU_ASSERT_EQUAL(c.svc.persistence, 3);
	CU_ASSERT_EQUAL(c.svc.netmask, 0xffffffff);
	/* ipvsadm's defaults: wlc, -p alone = 360 s (libipvs IPVS_SVC_PERSISTENT_TIMEOUT) */
	CU_ASSERT_EQUAL_FATAL(parse("--add-service --udp-service 198.18.1.100:53 -p -M 255.255.255.0",
				    &c, err), 0);
	CU_ASSERT_EQUAL(c.svc.proto, IPPROTO_UDP);
	CU_ASSERT_STRING_EQUAL(c.svc.sched, "wlc");
	CU_ASSERT_EQUAL(c.svc.persistence, 360);
	CU_ASSERT_EQUAL(c.svc.netmask, 0xffffff00);
	CU_ASSERT_EQUAL_FATAL(parse("-A -t 198.18.1.100:80 -s sh -b sh-fallback,sh-port", &c, err), 0);
	CU_ASSERT_EQUAL(c.svc.flags, LB_SVC_F_SH_FALLBACK | LB_SVC_F_SH_PORT);
}

static void
test_short_groups(void)
{
	struct lb_ipvs_cmd c;
	char err[200];

	CU_ASSERT_EQUAL_FATAL(parse("-lnc", &c, err), 0);
	CU_ASSERT(c.op == LB_IPVS_LIST && c.numeric && c.conns && !c.exact);
	CU_ASSERT_EQUAL_FATAL(parse("-L -n --stats --exact", &c, err), 0);
	CU_ASSERT(c.op == LB_IPVS_LIST && c.stats && c.exact && !c.conns);
	CU_ASSERT_EQUAL_FATAL(parse("--list --connection --persistent-conn", &c, err), 0);
	CU_ASSERT(c.conns && c.persist);
	CU_ASSERT_EQUAL_FATAL(parse("-Zn", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_ZERO);
	CU_ASSERT_EQUAL_FATAL(parse("-h", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_HELP);
	/* a group with a letter that takes a value is not a flag group */
	CU_ASSERT_NOT_EQUAL(parse("-Lt 198.18.1.100:80", &c, err), 0);
}

static void
test_add_server(void)
{
	struct lb_ipvs_cmd c;
	char err[200];

	CU_ASSERT_EQUAL_FATAL(parse("-a -t 198.18.1.100:80 -r 198.18.2.11:8080 -m -w 3 -x 100 -y 50",
				    &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_ADD_RS);
	CU_ASSERT_EQUAL(c.rs.addr, LB_TEST_IPV4(198, 18, 2, 11));
	CU_ASSERT_EQUAL(c.rs.port, 8080);
	CU_ASSERT_EQUAL(c.rs.fwd, LB_FWD_NAT);
	CU_ASSERT_EQUAL(c.rs.weight, 3);
	CU_ASSERT_EQUAL(c.rs.u_threshold, 100);
	CU_ASSERT_EQUAL(c.rs.l_threshold, 50);
	/* no port: the service's; no method: -g (gatewaying), weight 1 */
	CU_ASSERT_EQUAL_FATAL(parse("-a -t 198.18.1.100:80 -r 198.18.1.21", &c, err), 0);
	CU_ASSERT_EQUAL(c.rs.port, 0);
	CU_ASSERT_EQUAL(c.rs.fwd, LB_FWD_DR);
	CU_ASSERT_EQUAL(c.rs.weight, 1);
	CU_ASSERT_EQUAL_FATAL(parse("-e -t 198.18.1.100:80 -r 198.18.1.21 -i -w 0", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_EDIT_RS);
	CU_ASSERT_EQUAL(c.rs.fwd, LB_FWD_TUN);
	CU_ASSERT_EQUAL(c.rs.weight, 0);
}

static void
test_list_and_others(void)
{
	struct lb_ipvs_cmd c;
	char err[200];

	CU_ASSERT_EQUAL(parse("-L -n --stats", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_LIST);
	CU_ASSERT(c.numeric && c.stats);
	CU_ASSERT_EQUAL(parse("-Ln", &c, err), 0);
	CU_ASSERT(c.numeric);
	CU_ASSERT_EQUAL(parse("-C", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_CLEAR);
	CU_ASSERT_EQUAL(parse("-S -n", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_SAVE);
	CU_ASSERT_EQUAL(parse("--set 900 120 300", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_SET);
	CU_ASSERT_EQUAL(c.timeouts[0], 900);
	CU_ASSERT_EQUAL(c.timeouts[2], 300);
	CU_ASSERT_EQUAL(parse("-D -t 198.18.1.100:80", &c, err), 0);
	CU_ASSERT_EQUAL(c.op, LB_IPVS_DEL_SVC);
}

/* Each mistake is refused with a message naming what is wrong. */
static void
test_mistakes(void)
{
	static const struct { const char *line, *says; } bad[] = {
		{ "-A -t 198.18.1.100 -s rr", "198.18.1.100" },		/* no port */
		{ "-A -t 198.18.1.300:80", "198.18.1.300:80" },
		{ "-A -t 198.18.1.100:0", "198.18.1.100:0" },
		{ "-A -t 198.18.1.100:80 -s nosuch", "nosuch" },
		{ "-A -t 198.18.1.100:80 -p 0", "timeout" },
		{ "-A -t 198.18.1.100:80 -M 255.0.255.0", "netmask" },
		{ "-A -t 198.18.1.100:80 -b sh-nope", "sh-nope" },
		{ "-A -s rr", "-t|-u" },
		{ "-a -t 198.18.1.100:80", "-r" },
		{ "-a -t 198.18.1.100:80 -r 198.18.2.11 -w 70000", "70000" },
		{ "-a -t 198.18.1.100:80 -r 198.18.2.11 -x 10 -y 20", "above" },
		{ "-A -a -t 198.18.1.100:80", "one command" },
		{ "-A -t 198.18.1.100:80 --frobnicate", "--frobnicate" },
		{ "-a -t 198.18.1.100:80 -r", "needs a value" },
		{ "--set 1 2", "three" },
		{ "-A -f 1 -s rr", "firewall-mark" },
		{ "-Ln -Z", "one command" },
	};
	struct lb_ipvs_cmd c;
	char err[200];
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		CU_ASSERT_EQUAL(parse(bad[i].line, &c, err), -EINVAL);
		if (strstr(err, bad[i].says) == NULL) {
			fprintf(stderr, "\n  '%s': message '%s' does not name '%s'\n",
				bad[i].line, err, bad[i].says);
			CU_FAIL("message does not name the mistake");
		}
	}
}

void
lb_test_register_ipvsadm(void)
{
	CU_pSuite s = CU_add_suite("ipvsadm command lines", NULL, NULL);

	CU_add_test(s, "-A with scheduler, persistence, netmask, flags", test_add_service);
	CU_add_test(s, "-a / -e with methods, weights, thresholds", test_add_server);
	CU_add_test(s, "-L, -C, -S, --set, -D", test_list_and_others);
	CU_add_test(s, "mistakes are refused and named", test_mistakes);
	CU_add_test(s, "-lnc, --exact, -c, -h as popt reads them", test_short_groups);
}
