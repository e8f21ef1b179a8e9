/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native config reader: what an operator sees. Valid files load with the
 * right values, each mistake is reported as "FILE:LINE: message" naming the
 * setting, every mistake of a file shows in one pass, and --config-dump
 * output loads back to the same config. No EAL needed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "app/ratelimit.h"
#include "cli/password.h"
#include "config/config.h"
#include "test/unit/unit.h"

static const char full_conf[] =
	"eal = {\n"						/* 1 */
	"	lcores = \"0-2\";\n"
	"	memory = 256;\n"
	"	hugepages = \"no\";\n"
	"	file_prefix = \"lb1\";\n"				/* 5 */
	"	log_level = \"dplb.*:debug\";\n"
	"	args = [ \"--no-pci\", \"--vdev\", \"net_null0\" ];\n"
	"};\n"
	"workers = 2;\n"
	"mbufs_per_port = 16383;\n"				/* 10 */
	"rx_desc = 512;\n"
	"tx_desc = 2048;\n"
	"neigh_timeout = 30;\n"
	"interfaces = (\n"
	"	{ name = \"ens33\"; device = \"03:00.1\";\n"		/* 15 */
	"	  addresses = [ \"198.18.1.1/24\", \"198.18.9.1/30\" ];\n"
	"	  gateway = \"198.18.1.254\"; mtu = 9000;\n"
	"	  promiscuous = true; exception = \"tap.ens33\"; },\n"
	"	{ name = \"lab0\"; device = \"net_af_packet0,iface=veth-lb0\";\n"
	"	  address = \"198.18.2.1/24\"; exception = false; }\n" /* 20 */
	");\n"
	"cli = { listen = \"0.0.0.0:4000\"; };\n";

/* Parse text as file "test.conf", keeping its messages (lb_test_msgs). */
static int
parse(const char *text, struct lb_config *cfg, unsigned int *count)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc;

	rc = lb_config_parse_native("test.conf", text, cfg, &err);
	fclose(err.out);
	if (count != NULL)
		*count = err.count;
	return rc;
}

#define has_msg lb_test_has_msg

/* parse(text) is refused with a message holding needle. */
#define expect_error(text, needle) lb_test_expect_error(parse, text, needle)

static void
test_full_config_values(void)
{
	struct lb_config cfg;
	unsigned int count;
	const struct lb_cfg_iface *a = &cfg.ifaces[0], *b = &cfg.ifaces[1];

	CU_ASSERT_EQUAL_FATAL(parse(full_conf, &cfg, &count), 0);
	CU_ASSERT_EQUAL(count, 0);
	CU_ASSERT_STRING_EQUAL(cfg.path, "test.conf");
	CU_ASSERT_STRING_EQUAL(cfg.eal.lcores, "0-2");
	CU_ASSERT_EQUAL(cfg.eal.memory_mb, 256);
	CU_ASSERT_EQUAL(cfg.eal.huge, LB_HUGE_NO);
	CU_ASSERT_STRING_EQUAL(cfg.eal.file_prefix, "lb1");
	CU_ASSERT_STRING_EQUAL(cfg.eal.log_level, "dplb.*:debug");
	CU_ASSERT_EQUAL_FATAL(cfg.eal.nb_args, 3);
	CU_ASSERT_STRING_EQUAL(cfg.eal.args[2], "net_null0");
	CU_ASSERT_EQUAL(cfg.workers, 2);
	CU_ASSERT_EQUAL(cfg.mbufs_per_port, 16383);
	CU_ASSERT_EQUAL(cfg.rx_desc, 512);
	CU_ASSERT_EQUAL(cfg.tx_desc, 2048);
	CU_ASSERT_EQUAL(cfg.neigh_timeout_s, 30);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_ifaces, 2);
	CU_ASSERT_STRING_EQUAL(a->name, "ens33");
	CU_ASSERT_STRING_EQUAL(a->device, "0000:03:00.1");	/* full form */
	CU_ASSERT(a->is_pci);
	CU_ASSERT_EQUAL(a->nb_addrs, 2);
	CU_ASSERT_EQUAL(a->addrs[0].addr, 0xc6120101);
	CU_ASSERT_EQUAL(a->addrs[0].prefix_len, 24);
	CU_ASSERT_EQUAL(a->addrs[1].prefix_len, 30);
	CU_ASSERT_EQUAL(a->gateway, 0xc61201fe);
	CU_ASSERT_EQUAL(a->mtu, 9000);
	CU_ASSERT(a->promiscuous);
	CU_ASSERT_STRING_EQUAL(a->exception_name, "tap.ens33");
	CU_ASSERT_EQUAL(a->line, 15);
	CU_ASSERT_STRING_EQUAL(b->device, "net_af_packet0,iface=veth-lb0");
	CU_ASSERT(!b->is_pci);
	CU_ASSERT_EQUAL(b->nb_addrs, 1);
	CU_ASSERT_EQUAL(b->addrs[0].addr, 0xc6120201);
	CU_ASSERT_EQUAL(b->gateway, 0);
	CU_ASSERT_EQUAL(b->mtu, 1500);
	CU_ASSERT(!b->promiscuous);
	CU_ASSERT_STRING_EQUAL(b->exception_name, "");
	CU_ASSERT_STRING_EQUAL(cfg.cli.listen_addr, "0.0.0.0");
	CU_ASSERT_EQUAL(cfg.cli.listen_port, 4000);
	lb_config_free(&cfg);
	CU_ASSERT_EQUAL(cfg.eal.nb_args, 0);
}

static void
test_defaults(void)
{
	struct lb_config cfg;

	CU_ASSERT_EQUAL_FATAL(parse("# nothing set\n", &cfg, NULL), 0);
	CU_ASSERT_EQUAL(cfg.workers, 1);
	CU_ASSERT_EQUAL(cfg.mbufs_per_port, 8191);
	CU_ASSERT_EQUAL(cfg.rx_desc, 1024);
	CU_ASSERT_EQUAL(cfg.tx_desc, 1024);
	CU_ASSERT_EQUAL(cfg.neigh_timeout_s, 60);
	CU_ASSERT_EQUAL(cfg.eal.huge, LB_HUGE_AUTO);
	CU_ASSERT_STRING_EQUAL(cfg.eal.file_prefix, "dplb");
	CU_ASSERT_STRING_EQUAL(cfg.eal.lcores, "");
	CU_ASSERT_EQUAL(cfg.eal.memory_mb, 0);
	CU_ASSERT_EQUAL(cfg.eal.nb_args, 0);
	CU_ASSERT_STRING_EQUAL(cfg.cli.listen_addr, "127.0.0.1");
	CU_ASSERT_EQUAL(cfg.cli.listen_port, 2323);
	CU_ASSERT_EQUAL(cfg.nb_ifaces, 0);

	/* An interface gets mtu 1500, no gateway and TAP "dp-" + name. */
	CU_ASSERT_EQUAL_FATAL(parse("interfaces = ( { name = \"averyverylongname\";"
				    " device = \"net_null0\"; } );\n",
				    &cfg, NULL), 0);
	CU_ASSERT_EQUAL(cfg.ifaces[0].mtu, 1500);
	CU_ASSERT_EQUAL(cfg.ifaces[0].gateway, 0);
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[0].exception_name, "dp-averyverylon");
	CU_ASSERT_EQUAL(strlen(cfg.ifaces[0].exception_name), 15);
}

static void
test_unknown_settings(void)
{
	expect_error("workers = 1;\nworker = 2;\n",
		     "test.conf:2: unknown setting 'worker' at top level");
	expect_error("eal = {\n  hugepage = \"no\";\n};\n",
		     "test.conf:2: unknown setting 'hugepage' in eal");
	expect_error("cli = { port = 1; };\n",
		     "test.conf:1: unknown setting 'port' in cli");
	expect_error("interfaces = (\n { name = \"a\"; device = \"net_null0\";\n"
		     "   gw = \"1.2.3.4\"; } );\n",
		     "test.conf:3: unknown setting 'gw' in interfaces[0]");
}

static void
test_wrong_types(void)
{
	expect_error("workers = \"2\";\n", "test.conf:1: workers must be an integer");
	expect_error("\nrx_desc = 1024.0;\n", "test.conf:2: rx_desc must be an integer");
	expect_error("eal = 5;\n", "test.conf:1: eal must be a group");
	expect_error("eal = { args = [ 1, 2 ]; };\n",
		     "test.conf:1: eal.args[0] must be a string");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_null0\";\n"
		     " promiscuous = 1; } );\n",
		     "test.conf:2: interfaces[0].promiscuous must be true or false");
	expect_error("interfaces = { name = \"a\"; };\n",
		     "test.conf:1: interfaces must be a list");
}

static void
test_ranges(void)
{
	expect_error("workers = 0;\n", "test.conf:1: workers must be 1..64 (got 0)");
	expect_error("mbufs_per_port = 100;\n",
		     "mbufs_per_port must be 1023..1048575");
	expect_error("tx_desc = 1000;\n",
		     "test.conf:1: tx_desc must be a power of two");
	expect_error("neigh_timeout = 4000;\n", "neigh_timeout must be 5..3600");
	expect_error("eal = { hugepages = \"sometimes\"; };\n",
		     "eal.hugepages must be \"auto\", \"yes\" or \"no\"");
	expect_error("eal = { lcores = \"0-1 ; rm\"; };\n", "eal.lcores '0-1 ; rm'");
	expect_error("cli = { listen = \"127.0.0.1:0\"; };\n",
		     "test.conf:1: cli.listen '127.0.0.1:0' must be ADDR:PORT");
	expect_error("cli = { listen = \"localhost:2323\"; };\n", "cli.listen");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_null0\";\n"
		     " mtu = 10000; } );\n",
		     "test.conf:2: interfaces[0].mtu must be 68..9600 (got 10000)");
}

static void
test_interface_errors(void)
{
	const char *two = "interfaces = (\n"
		" { name = \"eth0\"; device = \"0000:03:00.0\"; address = \"198.18.1.1/24\"; },\n"
		" { name = \"eth0\"; device = \"03:00.0\"; address = \"198.18.1.1/16\"; }\n"
		");\n";

	expect_error(two, "test.conf:3: interfaces[1].name 'eth0' is already used by interfaces[0]");
	expect_error(two, "test.conf:3: interfaces[1].device '0000:03:00.0' is already used");
	expect_error(two, "test.conf:3: interfaces[1].address '198.18.1.1/16' is already used");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_tap0,iface=x\"; },\n"
		     " { name = \"b\"; device = \"net_tap0,iface=y\"; } );\n",
		     "test.conf:2: interfaces[1].device 'net_tap0' is already used");
	expect_error("interfaces = (\n { device = \"net_null0\"; } );\n",
		     "test.conf:2: interfaces[0] has no name");
	expect_error("interfaces = ( { name = \"a\"; } );\n",
		     "test.conf:1: interfaces[0] has no device");
	expect_error("interfaces = ( { name = \"eth 0\"; device = \"net_null0\"; } );\n",
		     "interfaces[0].name 'eth 0' must be non-empty");
	expect_error("interfaces = ( { name = \"a\"; device = \"eth1\"; } );\n",
		     "interfaces[0].device 'eth1' is neither a PCI address");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_null0\";\n"
		     " addresses = [ \"198.18.1.1\" ]; } );\n",
		     "test.conf:2: interfaces[0].addresses[0] '198.18.1.1' is not ADDR/LEN");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_null0\";\n"
		     " addresses = [ \"198.18.1.1/24\",\n \"198.18.2.1/0\" ]; } );\n",
		     "test.conf:3: interfaces[0].addresses[1] '198.18.2.1/0': prefix length must be 1..32");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_null0\";\n"
		     " address = \"198.18.1.1/24\";\n gateway = \"198.18.2.254\"; } );\n",
		     "test.conf:3: interfaces[0].gateway 198.18.2.254 is not inside any subnet");
	expect_error("interfaces = ( { name = \"a\"; device = \"net_null0\";\n"
		     " exception = \"this-is-too-long\"; } );\n",
		     "test.conf:2: interfaces[0].exception is too long (max 15 characters)");
}

static void
test_too_many_interfaces(void)
{
	char text[4096];
	size_t n;
	int i;

	n = (size_t)snprintf(text, sizeof(text), "interfaces = (\n");
	for (i = 0; i <= LB_MAX_IFACES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%s{ name = \"if%d\"; device = \"net_null%d\"; }\n",
				      i ? "," : "", i, i);
	snprintf(text + n, sizeof(text) - n, ");\n");
	expect_error(text, "test.conf:18: too many interfaces: 17 (max 16)");
}

static void
test_all_errors_in_one_pass(void)
{
	struct lb_config cfg;
	unsigned int count;

	CU_ASSERT_EQUAL(parse("workers = 0;\n"
			      "rx_desc = 100;\n"
			      "colour = \"blue\";\n"
			      "interfaces = ( { name = \"a\"; device = \"nope\";\n"
			      "  mtu = 1; } );\n", &cfg, &count), -EINVAL);
	CU_ASSERT_EQUAL(count, 5);
	CU_ASSERT(has_msg("test.conf:1: workers"));
	CU_ASSERT(has_msg("test.conf:2: rx_desc"));
	CU_ASSERT(has_msg("test.conf:3: unknown setting 'colour'"));
	CU_ASSERT(has_msg("test.conf:4: interfaces[0].device 'nope'"));
	CU_ASSERT(has_msg("test.conf:5: interfaces[0].mtu"));
}

static void
test_syntax_error(void)
{
	expect_error("workers = 1;\neal = {\n  memory = ;\n};\n",
		     "test.conf:3: syntax error");
}

static void
test_missing_file(void)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	struct lb_config cfg;

	CU_ASSERT_EQUAL(lb_config_load_native("/nonexistent/dplb.conf", &cfg,
					      &err), -ENOENT);
	fclose(err.out);
	CU_ASSERT_EQUAL(err.count, 1);
	CU_ASSERT(has_msg("/nonexistent/dplb.conf: cannot read: No such file"));
}

/* Every setting of a and b is equal (path and lines aside). */
static void
assert_cfg_equal(const struct lb_config *a, const struct lb_config *b)
{
	unsigned int i, k;

	CU_ASSERT_STRING_EQUAL(a->eal.lcores, b->eal.lcores);
	CU_ASSERT_EQUAL(a->eal.memory_mb, b->eal.memory_mb);
	CU_ASSERT_EQUAL(a->eal.huge, b->eal.huge);
	CU_ASSERT_STRING_EQUAL(a->eal.file_prefix, b->eal.file_prefix);
	CU_ASSERT_STRING_EQUAL(a->eal.log_level, b->eal.log_level);
	CU_ASSERT_EQUAL_FATAL(a->eal.nb_args, b->eal.nb_args);
	for (i = 0; i < a->eal.nb_args; i++)
		CU_ASSERT_STRING_EQUAL(a->eal.args[i], b->eal.args[i]);
	CU_ASSERT_EQUAL(a->workers, b->workers);
	CU_ASSERT_EQUAL(a->mbufs_per_port, b->mbufs_per_port);
	CU_ASSERT_EQUAL(a->rx_desc, b->rx_desc);
	CU_ASSERT_EQUAL(a->tx_desc, b->tx_desc);
	CU_ASSERT_EQUAL(a->neigh_timeout_s, b->neigh_timeout_s);
	CU_ASSERT_EQUAL_FATAL(a->nb_vrrp, b->nb_vrrp);
	for (i = 0; i < a->nb_vrrp; i++) {
		const struct lb_cfg_vrrp *x = &a->vrrp[i], *y = &b->vrrp[i];

		CU_ASSERT_STRING_EQUAL(x->name, y->name);
		CU_ASSERT_STRING_EQUAL(x->auth_pass, y->auth_pass);
		CU_ASSERT_EQUAL(x->iface, y->iface);
		CU_ASSERT_EQUAL(x->vrid, y->vrid);
		CU_ASSERT_EQUAL(x->priority, y->priority);
		CU_ASSERT_EQUAL(x->version, y->version);
		CU_ASSERT_EQUAL(x->init_master, y->init_master);
		CU_ASSERT_EQUAL(x->advert_int_cs, y->advert_int_cs);
		CU_ASSERT_EQUAL(x->auth_type, y->auth_type);
		CU_ASSERT_EQUAL(x->nopreempt, y->nopreempt);
		CU_ASSERT_EQUAL(x->preempt_delay_s, y->preempt_delay_s);
		CU_ASSERT_EQUAL_FATAL(x->nb_vips, y->nb_vips);
		CU_ASSERT_EQUAL(memcmp(x->vips, y->vips, x->nb_vips * sizeof(x->vips[0])), 0);
		CU_ASSERT_EQUAL_FATAL(x->nb_track_scripts, y->nb_track_scripts);
		CU_ASSERT_EQUAL(memcmp(x->track_scripts, y->track_scripts,
				       sizeof(x->track_scripts)), 0);
		CU_ASSERT_EQUAL_FATAL(x->nb_track_ifaces, y->nb_track_ifaces);
		CU_ASSERT_EQUAL(memcmp(x->track_ifaces, y->track_ifaces, sizeof(x->track_ifaces)), 0);
		CU_ASSERT_EQUAL(x->unicast_src, y->unicast_src);
		CU_ASSERT_EQUAL_FATAL(x->nb_unicast_peers, y->nb_unicast_peers);
		CU_ASSERT_EQUAL(memcmp(x->unicast_peers, y->unicast_peers,
				       sizeof(x->unicast_peers)), 0);
	}
	for (i = 0; i < a->nb_vrrp; i++) {
		struct lb_cfg_vrrp x = a->vrrp[i], y = b->vrrp[i];

		x.line = y.line = 0;	/* and everything else equal, scripts included */
		CU_ASSERT_EQUAL(memcmp(&x, &y, sizeof(x)), 0);
	}
	CU_ASSERT_EQUAL_FATAL(a->nb_vrrp_syncs, b->nb_vrrp_syncs);
	for (i = 0; i < a->nb_vrrp_syncs; i++) {
		struct lb_cfg_vrrp_sync x = a->vrrp_syncs[i], y = b->vrrp_syncs[i];

		x.line = y.line = 0;
		CU_ASSERT_EQUAL(memcmp(&x, &y, sizeof(x)), 0);
	}
	CU_ASSERT_STRING_EQUAL(a->vrrp_notify_fifo, b->vrrp_notify_fifo);
	CU_ASSERT_EQUAL_FATAL(a->nb_vrrp_scripts, b->nb_vrrp_scripts);
	for (i = 0; i < a->nb_vrrp_scripts; i++) {
		struct lb_cfg_vrrp_script x = a->vrrp_scripts[i], y = b->vrrp_scripts[i];

		x.line = y.line = 0;
		CU_ASSERT_EQUAL(memcmp(&x, &y, sizeof(x)), 0);
	}
	CU_ASSERT_STRING_EQUAL(a->cli.listen_addr, b->cli.listen_addr);
	CU_ASSERT_EQUAL(a->cli.listen_port, b->cli.listen_port);
	CU_ASSERT_STRING_EQUAL(a->cli.password_hash, b->cli.password_hash);
	CU_ASSERT_EQUAL_FATAL(a->nb_ifaces, b->nb_ifaces);
	for (i = 0; i < a->nb_ifaces; i++) {
		const struct lb_cfg_iface *x = &a->ifaces[i], *y = &b->ifaces[i];

		CU_ASSERT_STRING_EQUAL(x->name, y->name);
		CU_ASSERT_STRING_EQUAL(x->device, y->device);
		CU_ASSERT_EQUAL(x->is_pci, y->is_pci);
		CU_ASSERT_STRING_EQUAL(x->exception_name, y->exception_name);
		CU_ASSERT_EQUAL_FATAL(x->nb_addrs, y->nb_addrs);
		for (k = 0; k < x->nb_addrs; k++) {
			CU_ASSERT_EQUAL(x->addrs[k].addr, y->addrs[k].addr);
			CU_ASSERT_EQUAL(x->addrs[k].prefix_len, y->addrs[k].prefix_len);
		}
		CU_ASSERT_EQUAL(x->gateway, y->gateway);
		CU_ASSERT_EQUAL(x->mtu, y->mtu);
		CU_ASSERT_EQUAL(x->promiscuous, y->promiscuous);
	}
}

/* Dump text's config and load the dump back: the same config. */
/* Load text into a, dump a, load the dump into b; returns the dump (free it). */
static char *
dump_and_load(const char *text, struct lb_config *a, struct lb_config *b)
{
	char *dump = NULL;
	size_t len;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(parse(text, a, NULL), 0);
	f = open_memstream(&dump, &len);
	lb_config_dump(a, f);
	fclose(f);
	CU_ASSERT_EQUAL(parse(dump, b, NULL), 0);
	if (lb_test_msgs()[0] != '\0')
		fprintf(stderr, "\ndump:\n%s\nerrors:\n%s", dump, lb_test_msgs());
	return dump;
}

static void
round_trip(const char *text)
{
	struct lb_config a, b;
	char *dump = dump_and_load(text, &a, &b);

	assert_cfg_equal(&a, &b);
	lb_config_free(&a);
	lb_config_free(&b);
	free(dump);
}

static void
test_dump_round_trip(void)
{
	round_trip(full_conf);
	round_trip("");
	round_trip("eal = { hugepages = \"yes\"; log_level = \"a\\\"b\";"
		   " args = [ \"--x=\\\\y\", \"tab\\there\" ]; };\n");
}

static const char acl_conf[] =
	"interfaces = ( { name = \"lab0\"; device = \"net_null0\"; address = \"198.18.2.1/24\"; } );\n"
	"virtual_servers = ( { address = \"198.18.1.100\"; port = 80; enabled = false;\n"
	"  acl = { allow = [ \"198.18.0.0/16\", \"198.19.1.1\" ]; deny = [ \"198.18.1.66/32\" ]; };\n"
	"  rate_limit = { per_source = 20; }; syn_proxy = { threshold = 500; };\n"
	"  real_servers = ( { address = \"198.18.2.11\"; port = 80; } ); } );\n";

static void
test_acl(void)
{
	struct lb_config a, b;
	const struct lb_cfg_acl *acl;
	char *dump;

	dump = dump_and_load(acl_conf, &a, &b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
	acl = &a.services[0].acl;
	CU_ASSERT_EQUAL(acl->nb_allow, 2);
	CU_ASSERT_EQUAL(acl->nb_deny, 1);
	CU_ASSERT(lb_acl_permits(acl, LB_TEST_IPV4(198, 18, 7, 7)));
	CU_ASSERT(lb_acl_permits(acl, LB_TEST_IPV4(198, 19, 1, 1)));
	CU_ASSERT(!lb_acl_permits(acl, LB_TEST_IPV4(198, 19, 1, 2)));	/* in no allow */
	CU_ASSERT(!lb_acl_permits(acl, LB_TEST_IPV4(198, 18, 1, 66)));	/* denied */
	CU_ASSERT(a.services[0].flags & LB_SVC_F_DISABLED);
	CU_ASSERT_EQUAL(a.services[0].src_rate, 20);
	CU_ASSERT_EQUAL(a.services[0].src_burst, 20);	/* burst defaults to the rate */
	CU_ASSERT_EQUAL(b.services[0].src_rate, 20);
	CU_ASSERT_EQUAL(b.services[0].src_burst, 20);
	CU_ASSERT(b.services[0].syn_proxy);
	CU_ASSERT_EQUAL(b.services[0].syn_proxy_threshold, 500);
	/* --config-dump writes both lists and `enabled = false`, and they load back */
	CU_ASSERT(strstr(dump, "acl = { allow = [ \"198.18.0.0/16\", \"198.19.1.1/32\" ]; "
			 "deny = [ \"198.18.1.66/32\" ]; };") != NULL);
	CU_ASSERT(memcmp(&a.services[0].acl, &b.services[0].acl, sizeof(*acl)) == 0);
	CU_ASSERT_EQUAL(a.services[0].flags, b.services[0].flags);
	lb_config_free(&a);
	lb_config_free(&b);
	free(dump);
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  acl = { allow = [ \"198.18.1.0/33\" ]; }; } );\n",
		     "test.conf:2: virtual_servers[0].acl.allow[0] '198.18.1.0/33' is not A.B.C.D");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  acl = { deny = [ \"198.18.1.1/24\" ]; }; } );\n",
		     "deny[0] '198.18.1.1/24' has host bits set past /24");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  acl = { permit = [ ]; }; } );\n", "permit");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  acl = [ \"198.18.1.0/24\" ]; } );\n", "acl must be a group");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  rate_limit = { burst = 5; }; } );\n", "rate_limit needs per_source");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  rate_limit = { per_source = 0; }; } );\n", "per_source");
	/* syn_proxy: TCP, and real servers whose replies pass dplb */
	expect_error("virtual_servers = ( { protocol = \"udp\"; address = \"198.18.1.100\";\n"
		     "  port = 53; syn_proxy = true; } );\n",
		     "test.conf:2: virtual_servers[0].syn_proxy: a SYN proxy is for TCP services only");
	expect_error("interfaces = ( { name = \"lab0\"; device = \"net_null0\";\n"
		     "  address = \"198.18.2.1/24\"; } );\n"
		     "virtual_servers = ( { address = \"198.18.1.100\"; port = 80; syn_proxy = true;\n"
		     "  real_servers = ( { address = \"198.18.2.11\"; port = 80;\n"
		     "  forward = \"dr\"; } ); } );\n",
		     "with syn_proxy the real server must be forward 'nat' or 'fnat'");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  syn_proxy = { limit = 5; }; } );\n", "limit");
	expect_error("virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     "  syn_proxy = 1; } );\n", "syn_proxy must be true, false or { threshold = N; }");
}

/* rate_limit's bucket: burst at once, then rate a second, per source. */
static void
test_src_rate(void)
{
	static struct lb_src_bucket table[LB_SRC_SLOTS];
	const uint64_t hz = 1000000;	/* a 1 MHz clock: 1 tick = 1 us */
	rte_be32_t a = rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 10));
	rte_be32_t b = rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 11));
	uint64_t t = 5000000;
	unsigned int i, ok = 0;

	for (i = 0; i < 10; i++)	/* 10 at once: the burst of 5 passes */
		ok += lb_src_rate_take(table, a, 2, 5, t, hz);
	CU_ASSERT_EQUAL(ok, 5);
	CU_ASSERT(lb_src_rate_take(table, b, 2, 5, t, hz));	/* another source: its own */
	CU_ASSERT(!lb_src_rate_take(table, a, 2, 5, t + 499999, hz));	/* < 1 token back */
	CU_ASSERT(lb_src_rate_take(table, a, 2, 5, t + 500000, hz));	/* 2/s: one per 0.5 s */
	CU_ASSERT(!lb_src_rate_take(table, a, 2, 5, t + 500001, hz));
	for (ok = 0, i = 0; i < 10; i++)	/* an hour idle: a full burst, no more */
		ok += lb_src_rate_take(table, a, 2, 5, t + 3600 * hz, hz);
	CU_ASSERT_EQUAL(ok, 5);
}

/*
 * Load config/examples/NAME into cfg: beside this source file as compiled,
 * or from the repo or the build dir.
 */
static void
load_example(const char *name, struct lb_config *cfg)
{
	const char *src = __FILE__, *me = "test/unit/test_config.c";
	const char *prefixes[] = { NULL, "", "../", "../../" };
	struct lb_cfg_errors err = { stderr, 0 };
	size_t n = strlen(src) >= strlen(me) ? strlen(src) - strlen(me) : 0;
	char path[512], here[512];
	unsigned int i;
	FILE *f = NULL;

	snprintf(here, sizeof(here), "%.*s", (int)n, src);
	prefixes[0] = here;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]) && f == NULL; i++) {
		snprintf(path, sizeof(path), "%sconfig/examples/%s", prefixes[i], name);
		f = fopen(path, "r");
	}
	if (f == NULL)
		fprintf(stderr, "\nconfig/examples/%s not found from here\n", name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(lb_config_load_native(path, cfg, &err), 0);
}

static void
test_lab_example_loads(void)
{
	struct lb_config cfg;

	load_example("lab.conf", &cfg);
	CU_ASSERT_EQUAL(cfg.workers, 1);
	CU_ASSERT_EQUAL(cfg.eal.huge, LB_HUGE_AUTO);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_ifaces, 1);
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[0].name, "lab0");
	CU_ASSERT_STRING_EQUAL(cfg.ifaces[0].device, "net_af_packet0,iface=veth-lb0");
	CU_ASSERT_EQUAL(cfg.ifaces[0].addrs[0].addr, 0xc6120101);
	CU_ASSERT_EQUAL(cfg.ifaces[0].addrs[0].prefix_len, 24);
	CU_ASSERT_STRING_EQUAL(cfg.cli.listen_addr, "127.0.0.1");
	CU_ASSERT_EQUAL(cfg.cli.listen_port, 2323);
	lb_config_free(&cfg);
}

/* Every other example loads and is what its name says. */
static void
test_use_examples_load(void)
{
	struct lb_config cfg;

	load_example("nat-pair.conf", &cfg);
	CU_ASSERT_EQUAL(cfg.nb_vrrp, 2);		/* VIP and the servers' gateway */
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].fwd, LB_FWD_NAT);
	CU_ASSERT(cfg.services[0].has_sorry);
	CU_ASSERT_EQUAL(cfg.nb_checks, 2);
	lb_config_free(&cfg);
	load_example("dr-pair.conf", &cfg);
	CU_ASSERT_EQUAL(cfg.nb_vrrp, 1);
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 3);
	CU_ASSERT_EQUAL(cfg.nb_services, 2);
	CU_ASSERT_EQUAL(cfg.services[0].rs[1].fwd, LB_FWD_DR);
	CU_ASSERT_EQUAL(cfg.services[1].proto, IPPROTO_UDP);
	lb_config_free(&cfg);
	load_example("tun.conf", &cfg);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].fwd, LB_FWD_TUN);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].weight, 3);
	lb_config_free(&cfg);
	load_example("fnat.conf", &cfg);
	CU_ASSERT_EQUAL(cfg.services[0].rs[0].fwd, LB_FWD_FNAT);
	CU_ASSERT_EQUAL(cfg.services[0].nb_laddrs, 2);
	CU_ASSERT_EQUAL(cfg.services[0].passive_failures, 3);
	lb_config_free(&cfg);
}

static void
test_ipv4_prefix(void)
{
	uint32_t a;
	uint8_t p;
	char buf[16];

	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("198.18.1.1", &a, &p, false), 0);
	CU_ASSERT_EQUAL(a, 0xc6120101);
	CU_ASSERT_EQUAL(p, 32);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("10.0.0.0/8", &a, &p, true), 0);
	CU_ASSERT_EQUAL(p, 8);
	CU_ASSERT_STRING_EQUAL(lb_ipv4_str(0xc61201fe, buf, sizeof(buf)),
			       "198.18.1.254");
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("198.18.1.1", &a, &p, true), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("256.1.1.1", &a, &p, false), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("1.2.3", &a, &p, false), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("1.2.3.4.5", &a, &p, false), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix(" 1.2.3.4", &a, &p, false), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("1.2.3.4 ", &a, &p, false), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("010.1.1.1", &a, &p, false), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("1.2.3.4/33", &a, &p, true), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("1.2.3.4/", &a, &p, true), -EINVAL);
	CU_ASSERT_EQUAL(lb_parse_ipv4_prefix("1.2.3.4/24x", &a, &p, true), -EINVAL);
}

/* One interface "lab0" with 198.18.1.1/24, then the given vrrp_instances. */
#define VRRP_IF "interfaces = ( { name = \"lab0\"; device = \"net_null0\";\n" \
	" address = \"198.18.1.1/24\"; } );\n"

static void
test_vrrp_values(void)
{
	struct lb_config cfg;
	const char *text = VRRP_IF
		"vrrp_instances = ( {\n"
		" name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51; priority = 100;\n"
		" advert_int = 1; version = 2; state = \"BACKUP\";\n"
		" authentication = { type = \"PASS\"; pass = \"secret\"; };\n"
		" virtual_ipaddress = [ \"198.18.1.100\", \"198.18.1.101\" ];\n"
		" nopreempt = true; preempt_delay = 5; },\n"
		" { interface = \"lab0\"; virtual_router_id = 52; version = 3; advert_int = 0.1;\n"
		"   state = \"MASTER\"; virtual_ipaddress = [ \"198.18.1.102\" ]; } );\n";

	CU_ASSERT_EQUAL_FATAL(parse(text, &cfg, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.nb_vrrp, 2);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].name, "VI_1");
	CU_ASSERT_EQUAL(cfg.vrrp[0].iface, 0);
	CU_ASSERT_EQUAL(cfg.vrrp[0].vrid, 51);
	CU_ASSERT_EQUAL(cfg.vrrp[0].priority, 100);
	CU_ASSERT_EQUAL(cfg.vrrp[0].version, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].advert_int_cs, 100);
	CU_ASSERT_EQUAL(cfg.vrrp[0].auth_type, 1);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].auth_pass, "secret");
	CU_ASSERT_FALSE(cfg.vrrp[0].init_master);
	CU_ASSERT_TRUE(cfg.vrrp[0].nopreempt);
	CU_ASSERT_EQUAL(cfg.vrrp[0].preempt_delay_s, 5);
	CU_ASSERT_EQUAL_FATAL(cfg.vrrp[0].nb_vips, 2);
	CU_ASSERT_EQUAL(cfg.vrrp[0].vips[1], 0xc6120165);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[1].name, "VI_2");	/* default name */
	CU_ASSERT_EQUAL(cfg.vrrp[1].priority, 100);		/* keepalived's default */
	CU_ASSERT_EQUAL(cfg.vrrp[1].version, 3);
	CU_ASSERT_EQUAL(cfg.vrrp[1].advert_int_cs, 10);
	CU_ASSERT_TRUE(cfg.vrrp[1].init_master);
	CU_ASSERT_EQUAL(cfg.vrrp[1].auth_type, 0);
	lb_config_free(&cfg);
	round_trip(text);
}

static void
test_vrrp_errors(void)
{
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"eth9\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:3: vrrp_instances[0].interface 'eth9' is not one of the interfaces");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\";\n virtual_router_id = 0;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].virtual_router_id must be 1..255 (got 0)");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 256;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:3: vrrp_instances[0].virtual_router_id must be 1..255 (got 256)");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " priority = 0; virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].priority must be 1..255 (got 0)");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; },\n"
		     " { interface = \"lab0\";\n virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.101\" ]; } );\n",
		     "test.conf:6: vrrp_instances[1].virtual_router_id 1 is already used on interface "
		     "lab0 by vrrp_instances[0] (VI_1, line 3)");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [\n \"198.18.1.300\" ]; } );\n",
		     "test.conf:5: vrrp_instances[0].virtual_ipaddress[0] '198.18.1.300' is not a unicast");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.1\" ]; } );\n",
		     "vrrp_instances[0].virtual_ipaddress '198.18.1.1' is an address of interface lab0");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " } );\n",
		     "test.conf:3: vrrp_instances[0] has no virtual_ipaddress");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\";\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "vrrp_instances[0] has no virtual_router_id (1..255)");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " advert_int = 1.5; virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].advert_int must be whole seconds 1..255 with version 2");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " version = 3; authentication = { type = \"PASS\"; pass = \"x\"; };\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].authentication is for version 2 only");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " authentication = { type = \"MD5\"; pass = \"x\"; };\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].authentication.type 'MD5' is not PASS or AH");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " state = \"master\"; virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].state 'master' is not MASTER or BACKUP");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " prio = 1; virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:4: unknown setting 'prio' in vrrp_instances[0]");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; },\n"
		     " { interface = \"lab0\"; virtual_router_id = 2;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n",
		     "test.conf:6: vrrp_instances[1].virtual_ipaddress '198.18.1.100' already belongs to "
		     "vrrp_instances[0] (VI_1)");
}

#define HEALTH_IF \
	"interfaces = ( { name = \"lab0\"; device = \"net_null0\";\n" \
	" addresses = [ \"198.18.1.1/24\" ]; } );\n"

/* A virtual server with health keywords at each level; line numbers matter. */
static const char health_conf[] =
	HEALTH_IF						/* 1-2 */
	"virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"	/* 3 */
	" delay_loop = 2; connect_timeout = 0.5; retry = 3; delay_before_retry = 0.25; passive_failures = 3;\n"
	" quorum = 3; hysteresis = 1; alpha = true; omega = true; quorum_up = \"/bin/up 1\";\n"
	" sorry_server = { address = \"198.18.1.99\"; port = 8080; };\n"
	" real_servers = (\n"
	"  { address = \"198.18.1.11\"; inhibit_on_failure = true; connect_timeout = 4;\n"
	"    checkers = ( { type = \"TCP_CHECK\"; connect_port = 81; },\n"	/* 9 */
	"                 { type = \"http_get\"; nb_get_retry = 0; warmup = 1.5;\n"
	"                   http_protocol = \"1.1\"; virtualhost = \"www.lab\";\n"
	"                   bind_to = \"198.18.1.1\";\n"
	"                   urls = ( { path = \"/a\"; digest = \"0123456789ABCDEF0123456789abcdef\"; },\n"
	"                            { path = \"/b\"; status_code = \"200 301-302\"; } ); } ); },\n"
	"  { address = \"198.18.1.12\"; notify_down = \"logger rs2 down\"; checkers = ( {\n"
	"    type = \"MISC_CHECK\"; misc_path = \"/usr/bin/check \\\"x\\\"\"; misc_dynamic = true; } ); } ); } );\n";

static void
test_health_values(void)
{
	const struct lb_cfg_service *svc;
	const struct lb_cfg_check *tcp, *http;
	struct lb_config cfg;

	CU_ASSERT_EQUAL_FATAL(parse(health_conf, &cfg, NULL), 0);
	svc = &cfg.services[0];
	/* the service level: set values, then keepalived's defaults below */
	CU_ASSERT_EQUAL(svc->timing.delay_loop_ms, 2000);
	CU_ASSERT_EQUAL(svc->timing.connect_timeout_ms, 500);
	CU_ASSERT_EQUAL(svc->timing.retry, 3);
	CU_ASSERT_EQUAL(svc->timing.delay_before_retry_ms, 250);
	CU_ASSERT_EQUAL(svc->quorum, 3);
	CU_ASSERT_EQUAL(svc->hysteresis, 1);
	CU_ASSERT(svc->alpha && svc->omega && svc->has_sorry);
	CU_ASSERT_EQUAL(svc->sorry.addr, 0xc6120163);
	CU_ASSERT_EQUAL(svc->sorry.port, 8080);
	CU_ASSERT(svc->rs[0].inhibit_on_failure);
	CU_ASSERT(!svc->rs[1].inhibit_on_failure);
	CU_ASSERT_STRING_EQUAL(svc->quorum_up, "/bin/up 1");
	CU_ASSERT_EQUAL(svc->passive_failures, 3);
	CU_ASSERT_EQUAL(svc->passive_backoff_ms, 2000);	/* defaults to delay_loop */
	CU_ASSERT_STRING_EQUAL(svc->quorum_down, "");
	CU_ASSERT_EQUAL_FATAL(cfg.nb_checks, 3);
	tcp = &cfg.checks[0];
	http = &cfg.checks[1];
	/* MISC_CHECK: misc_timeout defaults to delay_loop, as keepalived */
	CU_ASSERT_EQUAL(cfg.checks[2].type, LB_CHECK_MISC);
	CU_ASSERT_STRING_EQUAL(cfg.checks[2].misc_path, "/usr/bin/check \"x\"");
	CU_ASSERT(cfg.checks[2].misc_dynamic);
	CU_ASSERT_EQUAL(cfg.checks[2].timing.connect_timeout_ms, 2000);
	CU_ASSERT_PTR_NULL(lb_cfg_notify_of(&cfg, svc, &svc->rs[0]));
	CU_ASSERT_PTR_NOT_NULL_FATAL(lb_cfg_notify_of(&cfg, svc, &svc->rs[1]));
	CU_ASSERT_STRING_EQUAL(lb_cfg_notify_of(&cfg, svc, &svc->rs[1])->down, "logger rs2 down");
	CU_ASSERT_STRING_EQUAL(lb_cfg_notify_of(&cfg, svc, &svc->rs[1])->up, "");
	/* checkers know their real server by key */
	CU_ASSERT(lb_cfg_check_of(tcp, svc, &svc->rs[0]));
	CU_ASSERT(!lb_cfg_check_of(tcp, svc, &svc->rs[1]));
	CU_ASSERT_EQUAL(tcp->line, 9);
	/* inheritance: service -> real server (connect_timeout 4) -> checker */
	CU_ASSERT_EQUAL(tcp->type, LB_CHECK_TCP);
	CU_ASSERT_EQUAL(tcp->connect_port, 81);
	CU_ASSERT_EQUAL(tcp->timing.connect_timeout_ms, 4000);
	CU_ASSERT_EQUAL(tcp->timing.delay_loop_ms, 2000);
	CU_ASSERT_EQUAL(tcp->timing.retry, 3);
	CU_ASSERT_EQUAL(tcp->timing.warmup_ms, 0);
	CU_ASSERT_EQUAL(http->type, LB_CHECK_HTTP);
	CU_ASSERT_EQUAL(http->timing.retry, 0);		/* nb_get_retry, the old name */
	CU_ASSERT_EQUAL(http->timing.warmup_ms, 1500);
	CU_ASSERT_EQUAL(http->timing.connect_timeout_ms, 4000);
	CU_ASSERT_EQUAL(http->http_proto, 2);
	CU_ASSERT_STRING_EQUAL(http->virtualhost, "www.lab");
	CU_ASSERT_EQUAL(http->bind_to, 0xc6120101);
	CU_ASSERT_EQUAL_FATAL(http->nb_urls, 2);
	CU_ASSERT_STRING_EQUAL(http->urls[0].digest, "0123456789abcdef0123456789abcdef");
	CU_ASSERT_STRING_EQUAL(http->urls[0].status_code, "");
	CU_ASSERT_STRING_EQUAL(http->urls[1].path, "/b");
	CU_ASSERT_STRING_EQUAL(http->urls[1].status_code, "200 301-302");
	lb_config_free(&cfg);

	/* keepalived's defaults when nothing is set */
	CU_ASSERT_EQUAL_FATAL(parse(HEALTH_IF "virtual_servers = ( { address = \"198.18.1.100\";\n"
				    " port = 80; real_servers = ( { address = \"198.18.1.11\";\n"
				    " checkers = ( { type = \"TCP_CHECK\"; } ); } ); } );\n",
				    &cfg, NULL), 0);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.delay_loop_ms, 60000);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.connect_timeout_ms, 5000);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.delay_before_retry_ms, 1000);
	CU_ASSERT_EQUAL(cfg.checks[0].timing.retry, 1);
	CU_ASSERT_EQUAL(cfg.services[0].quorum, 1);
	CU_ASSERT(!cfg.services[0].has_sorry && !cfg.services[0].alpha);
	lb_config_free(&cfg);
}

/* --config-dump of checkers loads back to the same checkers. */
static void
test_health_dump(void)
{
	struct lb_config a, b;
	char *dump = dump_and_load(health_conf, &a, &b);
	unsigned int i, u;

	CU_ASSERT_EQUAL_FATAL(a.nb_checks, b.nb_checks);
	CU_ASSERT_EQUAL(memcmp(&a.services[0].timing, &b.services[0].timing,
			       sizeof(a.services[0].timing)), 0);
	CU_ASSERT_EQUAL(b.services[0].quorum, 3);
	CU_ASSERT_EQUAL(b.services[0].sorry.port, 8080);
	CU_ASSERT(b.services[0].rs[0].inhibit_on_failure);
	CU_ASSERT_STRING_EQUAL(b.services[0].quorum_up, "/bin/up 1");
	CU_ASSERT_EQUAL(b.services[0].passive_failures, 3);
	CU_ASSERT_EQUAL(b.services[0].passive_backoff_ms, 2000);
	CU_ASSERT_EQUAL_FATAL(b.nb_notifies, 1);
	CU_ASSERT_EQUAL(memcmp(&a.notifies[0], &b.notifies[0], sizeof(a.notifies[0])), 0);
	for (i = 0; i < a.nb_checks; i++) {
		const struct lb_cfg_check *x = &a.checks[i], *y = &b.checks[i];

		CU_ASSERT_EQUAL(x->type, y->type);
		CU_ASSERT_EQUAL(memcmp(&x->timing, &y->timing, sizeof(x->timing)), 0);
		CU_ASSERT_EQUAL(x->connect_port, y->connect_port);
		CU_ASSERT_EQUAL(x->bind_to, y->bind_to);
		CU_ASSERT(lb_cfg_rs_key_eq(&x->key, &y->key));
		CU_ASSERT_EQUAL(x->http_proto, y->http_proto);
		CU_ASSERT_STRING_EQUAL(x->virtualhost, y->virtualhost);
		CU_ASSERT_STRING_EQUAL(x->misc_path, y->misc_path);
		CU_ASSERT_EQUAL(x->misc_dynamic, y->misc_dynamic);
		CU_ASSERT_EQUAL_FATAL(x->nb_urls, y->nb_urls);
		for (u = 0; u < x->nb_urls; u++)
			CU_ASSERT_EQUAL(memcmp(&x->urls[u], &y->urls[u], sizeof(x->urls[u])), 0);
	}
	lb_config_free(&a);
	lb_config_free(&b);
	free(dump);
}

/* One real server with checker body CHECK, for the error tests. */
#define ONE_CHECK(check) \
	HEALTH_IF "virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n" \
	" real_servers = ( { address = \"198.18.1.11\";\n checkers = ( { " check " } ); } ); } );\n"

static void
test_health_errors(void)
{
	expect_error(ONE_CHECK("type = \"PING_CHECK\";"),
		     "test.conf:5: virtual_servers[0].real_servers[0].checkers[0].type 'PING_CHECK' "
		     "is not TCP_CHECK, HTTP_GET, SSL_GET or MISC_CHECK");
	expect_error(ONE_CHECK("type = \"DNS_CHECK\";"), "checkers[0].type DNS_CHECK is not "
		     "supported yet");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; enable_sni = true;"),
		     "checkers[0].enable_sni belongs to SSL_GET");
	expect_error(ONE_CHECK("type = \"SSL_GET\"; enable_sni = true; urls = ( { path = \"/\"; } );"),
		     "checkers[0]: enable_sni sends the virtualhost; set virtualhost");
	expect_error(ONE_CHECK("type = \"MISC_CHECK\";"),
		     "test.conf:5: virtual_servers[0].real_servers[0].checkers[0]: MISC_CHECK needs "
		     "misc_path (the command to run)");
	expect_error(ONE_CHECK("type = \"MISC_CHECK\"; misc_path = \"/bin/true\"; connect_port = 80;"),
		     "checkers[0].connect_port does not apply to MISC_CHECK");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; misc_dynamic = true;"),
		     "checkers[0]: misc_path, misc_timeout and misc_dynamic belong to MISC_CHECK");
	expect_error(ONE_CHECK("type = \"MISC_CHECK\"; misc_path = \"\";"),
		     "checkers[0].misc_path is empty");
	expect_error(ONE_CHECK("connect_port = 80;"), "checkers[0] has no type");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; connect_timeout = 0;"),
		     "checkers[0].connect_timeout must be 0.01..86400 seconds (got 0)");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; delay_loop = \"6\";"),
		     "checkers[0].delay_loop must be a number of seconds");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; retry = 1; nb_get_retry = 2;"),
		     "checkers[0] sets both retry and nb_get_retry");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; connect_port = 70000;"),
		     "checkers[0].connect_port must be 1..65535 (got 70000)");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; bind_to = \"198.18.1.7\";"),
		     "checkers[0].bind_to must be an address of one of the interfaces");
	expect_error(ONE_CHECK("type = \"TCP_CHECK\"; urls = ( { path = \"/\"; } );"),
		     "urls, virtualhost and http_protocol belong to HTTP_GET and SSL_GET, not TCP_CHECK");
	expect_error(ONE_CHECK("type = \"HTTP_GET\";"),
		     "checkers[0]: HTTP_GET/SSL_GET needs urls = ( { path = \"/\"; }, ... )");
	expect_error(ONE_CHECK("type = \"HTTP_GET\"; urls = ( { digest = \"x\"; } );"),
		     "checkers[0].urls[0] has no path");
	expect_error(ONE_CHECK("type = \"HTTP_GET\"; urls = ( { path = \"/a b\"; } );"),
		     "urls[0].path '/a b' must start with '/' and hold no spaces");
	expect_error(ONE_CHECK("type = \"HTTP_GET\"; urls = ( { path = \"/\"; digest = \"abc\"; } );"),
		     "urls[0].digest must be 32 hex digits");
	expect_error(ONE_CHECK("type = \"HTTP_GET\"; urls = ( { path = \"/\"; status_code = 99; } );"),
		     "urls[0].status_code '99' is not a list of codes or ranges in 100-599");
	expect_error(ONE_CHECK("type = \"HTTP_GET\"; http_protocol = \"2\"; urls = ( { path = \"/\"; } );"),
		     "checkers[0].http_protocol '2' is not 1.0, 1.0C or 1.1");
	expect_error(ONE_CHECK("type = \"HTTP_GET\"; virtualhost = \"a\\r\\nX: y\";"
			       " urls = ( { path = \"/\"; } );"),
		     "must be a host name without spaces or control characters");
	expect_error(HEALTH_IF "virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     " quorum = 2; hysteresis = 2; } );\n",
		     "test.conf:3: virtual_servers[0] hysteresis 2 must be below quorum 2");
	expect_error(HEALTH_IF "virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     " real_servers = ( { address = \"198.18.1.11\"; } );\n"
		     " sorry_server = { address = \"198.18.1.11\"; }; } );\n",
		     "test.conf:5: virtual_servers[0].sorry_server is also real server 0 (line 4)");
	expect_error(HEALTH_IF "virtual_servers = ( { address = \"198.18.1.100\"; port = 80;\n"
		     " sorry_server = { address = \"198.18.1.11\"; weight = 2; }; } );\n",
		     "test.conf:4: unknown setting 'weight' in virtual_servers[0].sorry_server");
	expect_error(HEALTH_IF "virtual_servers = ( { protocol = \"udp\"; address = \"198.18.1.100\";\n"
		     " port = 53; real_servers = ( { address = \"198.18.1.11\";\n"
		     " checkers = ( { type = \"TCP_CHECK\"; } ); } ); } );\n",
		     "a TCP_CHECK checks over TCP; the service is UDP");
}

/* vrrp_scripts and an instance's track_scripts / track_interfaces. */
static void
test_vrrp_tracking(void)
{
	static const char text[] = VRRP_IF
		"vrrp_scripts = ( { name = \"chk\"; script = \"pidof nginx\"; interval = 0.5;\n"
		" weight = -20; fall = 3; init_fail = true; } );\n"
		"vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		" virtual_ipaddress = [ \"198.18.1.100\" ]; track_scripts = [ \"chk\" ];\n"
		" track_interfaces = [ \"lab0\" ]; notify_master = \"/bin/m 1\";\n"
		" garp_master_repeat = 3; garp_master_refresh = 2.5; },\n"
		" { name = \"VI_B\"; interface = \"lab0\"; virtual_router_id = 2;\n"
		" virtual_ipaddress = [ \"198.18.1.101\" ]; notify = \"/bin/n\"; } );\n"
		"vrrp_sync_groups = ( { name = \"G\"; group = [ \"VI_1\", \"VI_B\" ]; } );\n"
		"vrrp_notify_fifo = \"/run/dplb.fifo\";\n";
	struct lb_config cfg;

	CU_ASSERT_EQUAL_FATAL(parse(text, &cfg, NULL), 0);
	CU_ASSERT_EQUAL(cfg.nb_vrrp_scripts, 1);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].interval_ms, 500);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].timeout_ms, 500);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].weight, -20);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].fall, 3);
	CU_ASSERT_EQUAL(cfg.vrrp_scripts[0].rise, 1);
	CU_ASSERT(cfg.vrrp_scripts[0].init_fail);
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_track_scripts, 1);
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_track_ifaces, 1);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp[0].notify_master, "/bin/m 1");
	CU_ASSERT_EQUAL(cfg.vrrp[0].garp_repeat, 3);
	CU_ASSERT_EQUAL(cfg.vrrp[0].garp_refresh_ms, 2500);
	CU_ASSERT_EQUAL(cfg.vrrp[0].garp_delay_ms, 5000);	/* keepalived's defaults */
	CU_ASSERT_EQUAL(cfg.vrrp[1].garp_repeat, 5);
	CU_ASSERT_EQUAL(cfg.vrrp[1].garp_refresh_ms, 0);
	CU_ASSERT_EQUAL(cfg.nb_vrrp_syncs, 1);
	CU_ASSERT_EQUAL(cfg.vrrp[0].sync_group, 0);
	CU_ASSERT_EQUAL(cfg.vrrp[1].sync_group, 0);
	CU_ASSERT_STRING_EQUAL(cfg.vrrp_notify_fifo, "/run/dplb.fifo");
	lb_config_free(&cfg);
	round_trip(text);
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n"
		     "vrrp_sync_groups = ( { name = \"G\"; group = [ \"VI_1\", \"VI_7\" ]; } );\n",
		     "test.conf:5: vrrp_sync_groups[0].group[1] 'VI_7' is not one of the "
		     "vrrp_instances");
	expect_error(VRRP_IF "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.1.100\" ]; track_scripts = [ \"x\" ]; } );\n",
		     "test.conf:4: vrrp_instances[0].track_scripts[0] 'x' is not one of the "
		     "vrrp_scripts");
	expect_error(VRRP_IF "vrrp_scripts = ( { name = \"c\"; script = \"true\";\n"
		     " weight = 254; } );\n", "test.conf:4: vrrp_scripts[0].weight must be an "
		     "integer -253..253");
	expect_error(VRRP_IF "vrrp_scripts = ( { name = \"c\"; } );\n",
		     "test.conf:3: vrrp_scripts[0] needs script (the command to run)");
}

/* unicast_peer / unicast_src_ip: values, dump, and each rule's message. */
static void
test_vrrp_unicast(void)
{
#define UC_IF "interfaces = ( { name = \"lab0\"; device = \"net_null0\";\n" \
	" addresses = [ \"198.18.1.1/24\", \"198.18.2.1/24\" ]; gateway = \"198.18.1.254\"; },\n" \
	" { name = \"lab1\"; device = \"net_null1\"; address = \"198.18.3.1/24\"; } );\n"
#define UC_VI "vrrp_instances = ( { interface = \"lab0\"; virtual_router_id = 1;\n" \
	" virtual_ipaddress = [ \"198.18.1.100\" ];\n"
	static const char text[] = UC_IF UC_VI
		" unicast_peer = [ \"198.18.1.2\", \"198.18.2.3\", \"198.18.77.4\" ];\n"
		" unicast_src_ip = \"198.18.2.1\"; },\n"
		" { interface = \"lab0\"; virtual_router_id = 2;\n"
		" virtual_ipaddress = [ \"198.18.1.101\" ]; } );\n";
	struct lb_config cfg;
	char many[2048];
	unsigned int i;
	int n;

	CU_ASSERT_EQUAL_FATAL(parse(text, &cfg, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.vrrp[0].nb_unicast_peers, 3);
	CU_ASSERT_EQUAL(cfg.vrrp[0].unicast_peers[0], LB_TEST_IPV4(198, 18, 1, 2));
	CU_ASSERT_EQUAL(cfg.vrrp[0].unicast_peers[2], LB_TEST_IPV4(198, 18, 77, 4)); /* via gw */
	CU_ASSERT_EQUAL(cfg.vrrp[0].unicast_src, LB_TEST_IPV4(198, 18, 2, 1));
	CU_ASSERT_EQUAL(cfg.vrrp[1].nb_unicast_peers, 0);	/* multicast */
	CU_ASSERT_EQUAL(cfg.vrrp[1].unicast_src, 0);
	lb_config_free(&cfg);
	round_trip(text);

	expect_error(UC_IF "vrrp_instances = ( { interface = \"lab1\"; virtual_router_id = 1;\n"
		     " virtual_ipaddress = [ \"198.18.3.100\" ];\n"
		     " unicast_peer = [ \"198.18.3.2\",\n \"198.18.1.2\" ]; } );\n",
		     "test.conf:7: vrrp_instances[0].unicast_peer[1] 198.18.1.2 is not on a subnet "
		     "of interface lab1, which has no gateway");
	expect_error(UC_IF UC_VI " unicast_peer = [ \"224.0.0.18\" ]; } );\n",
		     "test.conf:6: vrrp_instances[0].unicast_peer[0] 224.0.0.18 is not a unicast "
		     "IPv4 address");
	expect_error(UC_IF UC_VI " unicast_peer = [ \"198.18.1.1\" ]; } );\n",
		     "unicast_peer[0] 198.18.1.1 is an address of this box");
	expect_error(UC_IF UC_VI " unicast_peer = [ \"198.18.1.100\" ]; } );\n",
		     "unicast_peer[0] 198.18.1.100 is a virtual_ipaddress of this instance");
	expect_error(UC_IF UC_VI " unicast_peer = [ \"198.18.1.2\", \"198.18.1.2\" ]; } );\n",
		     "unicast_peer[1] 198.18.1.2 is listed twice");
	expect_error(UC_IF UC_VI " unicast_peer = [ \"198.18.1.255\" ]; } );\n",
		     "unicast_peer[0] 198.18.1.255 is the broadcast address of lab0's subnet");
	expect_error(UC_IF UC_VI " unicast_peer = ( \"198.18.1.2/24\", 5 ); } );\n",
		     "unicast_peer[0] must be an IPv4 address like \"198.18.1.2\"");
	expect_error(UC_IF UC_VI " unicast_peer = ( \"198.18.1.2/24\", 5 ); } );\n",
		     "unicast_peer[1] must be an IPv4 address like \"198.18.1.2\"");
	expect_error(UC_IF UC_VI " unicast_peer = [ ]; } );\n",
		     "test.conf:6: vrrp_instances[0].unicast_peer is empty (leave it out to send "
		     "adverts to 224.0.0.18)");
	expect_error(UC_IF UC_VI " unicast_peer = \"198.18.1.2\"; } );\n",
		     "vrrp_instances[0].unicast_peer must be a list of addresses");
	expect_error(UC_IF UC_VI " unicast_peer = [ \"198.18.1.2\" ];\n unicast_src_ip = "
		     "\"198.18.3.1\"; } );\n",
		     "test.conf:7: vrrp_instances[0].unicast_src_ip is not an address of interface "
		     "lab0 (the adverts' source must be)");
	expect_error(UC_IF UC_VI " unicast_src_ip = \"x\"; } );\n",
		     "vrrp_instances[0].unicast_src_ip must be an IPv4 address");
	/* 16 peers are fine, 17 are one too many */
	n = snprintf(many, sizeof(many), "%s%s unicast_peer = [", UC_IF, UC_VI);
	for (i = 0; i < LB_VRRP_MAX_PEERS + 1; i++)
		n += snprintf(many + n, sizeof(many) - (size_t)n, "%s\"198.18.1.%u\"",
			      i ? ", " : " ", 10 + i);
	snprintf(many + n, sizeof(many) - (size_t)n, " ]; } );\n");
	expect_error(many, "unicast_peer[16] 198.18.1.26 is one too many (max 16 peers)");
	strcpy(strstr(many, ", \"198.18.1.26\""), " ]; } );\n");
	CU_ASSERT_EQUAL_FATAL(parse(many, &cfg, NULL), 0);
	CU_ASSERT_EQUAL(cfg.vrrp[0].nb_unicast_peers, LB_VRRP_MAX_PEERS);
	lb_config_free(&cfg);
#undef UC_IF
#undef UC_VI
}

/* The CLI password: hashed with a salt, checked in constant time, validated. */
static void
test_cli_password(void)
{
	char hash[LB_CLI_HASH_LEN + 1], other[LB_CLI_HASH_LEN + 1], text[256];
	struct lb_config cfg;

	CU_ASSERT_EQUAL_FATAL(lb_cli_hash_new("s3cret pw", hash, sizeof(hash)), 0);
	CU_ASSERT(lb_cli_hash_valid(hash));
	CU_ASSERT(lb_cli_password_ok(hash, "s3cret pw"));
	CU_ASSERT(!lb_cli_password_ok(hash, "s3cret"));
	CU_ASSERT(!lb_cli_password_ok(hash, ""));
	CU_ASSERT_EQUAL_FATAL(lb_cli_hash_new("s3cret pw", other, sizeof(other)), 0);
	CU_ASSERT(strcmp(hash, other) != 0);		/* a new salt each time */
	CU_ASSERT(!lb_cli_hash_valid("sha256$00$11"));
	CU_ASSERT(!lb_cli_hash_valid("md5$0123456789abcdef0123456789abcdef$0"));
	snprintf(text, sizeof(text), "cli = { listen = \"0.0.0.0:2323\"; password_hash = \"%s\"; };\n",
		 hash);
	CU_ASSERT_EQUAL_FATAL(parse(text, &cfg, NULL), 0);
	CU_ASSERT_STRING_EQUAL(cfg.cli.password_hash, hash);
	lb_config_free(&cfg);
	round_trip(text);
	expect_error("cli = { password_hash = \"secret\"; };\n",
		     "test.conf:1: cli.password_hash is not sha256$SALT$DIGEST (make one with "
		     "dplb --hash-password)");
}

/* Register the "config" suite with the CUnit registry. */
void
lb_test_register_config(void)
{
	CU_pSuite s = CU_add_suite("config", NULL, NULL);

	CU_add_test(s, "full config loads with its values", test_full_config_values);
	CU_add_test(s, "defaults", test_defaults);
	CU_add_test(s, "unknown settings name file:line", test_unknown_settings);
	CU_add_test(s, "wrong types", test_wrong_types);
	CU_add_test(s, "out of range values", test_ranges);
	CU_add_test(s, "interface mistakes", test_interface_errors);
	CU_add_test(s, "too many interfaces", test_too_many_interfaces);
	CU_add_test(s, "all errors in one pass", test_all_errors_in_one_pass);
	CU_add_test(s, "syntax error line", test_syntax_error);
	CU_add_test(s, "missing file", test_missing_file);
	CU_add_test(s, "dump loads back equal", test_dump_round_trip);
	CU_add_test(s, "service acl, rate_limit, enabled = false: values, dump, mistakes", test_acl);
	CU_add_test(s, "rate_limit bucket: burst, rate, per source", test_src_rate);
	CU_add_test(s, "examples/lab.conf loads", test_lab_example_loads);
	CU_add_test(s, "examples: NAT pair, DR pair, TUN, FNAT load", test_use_examples_load);
	CU_add_test(s, "IPv4 prefix parsing", test_ipv4_prefix);
	CU_add_test(s, "vrrp_instances values", test_vrrp_values);
	CU_add_test(s, "vrrp_instances mistakes", test_vrrp_errors);
	CU_add_test(s, "vrrp_scripts and tracking", test_vrrp_tracking);
	CU_add_test(s, "CLI password hash", test_cli_password);
	CU_add_test(s, "vrrp unicast_peer, unicast_src_ip", test_vrrp_unicast);
	CU_add_test(s, "health keywords, inheritance, defaults", test_health_values);
	CU_add_test(s, "health checkers dump and load back", test_health_dump);
	CU_add_test(s, "health keyword mistakes", test_health_errors);
}
