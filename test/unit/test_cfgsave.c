/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `config save`: runtime edits written back into a commented native file.
 * The saved text keeps every comment and untouched line, loads to the
 * edited config, and a save that cannot be verified writes nothing.
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
#include "config/save.h"
#include "test/unit/unit.h"

#define IP LB_TEST_IPV4
#define LAB0 "interfaces = ( { name = \"lab0\"; device = \"net_null0\"; " \
	"addresses = [ \"198.18.1.1/24\" ]; } );\n"

static const char commented[] =
	"# lb-a: the NAT director\n"
	"workers = 1;\n"
	"\n"
	"interfaces = ( { name = \"lab0\"; device = \"net_null0\";\n"
	"\taddresses = [ \"198.18.1.1/24\", \"198.18.2.1/24\" ]; } );\n"
	"connections = {\n"
	"\ttcp_timeout = 900;   // LVS's default\n"
	"};\n"
	"/* the web service */\n"
	"virtual_servers = (\n"
	"\t# www\n"
	"\t{\n"
	"\t\tprotocol = \"tcp\"; address = \"198.18.1.100\"; port = 80;\n"
	"\t\tscheduler = \"wlc\";    # weighted least-connection\n"
	"\t\tdelay_loop = 3;\n"
	"\t\treal_servers = (\n"
	"\t\t\t{ address = \"198.18.2.11\"; port = 80; weight = 2; },  # web1\n"
	"\t\t\t{ address = \"198.18.2.12\"; port = 80;\n"
	"\t\t\t  checkers = ( { type = \"TCP_CHECK\"; } ); },  # web2, checked\n"
	"\t\t\t{ address = \"198.18.2.13\"; port = 80; }   # web3 (old)\n"
	"\t\t);\n"
	"\t},\n"
	"\t# dns, going away\n"
	"\t{ protocol = \"udp\"; address = \"198.18.1.100\"; port = 53; scheduler = \"rr\";\n"
	"\t  real_servers = ( { address = \"198.18.2.21\"; port = 53; } ); }\n"
	");\n"
	"vrrp_instances = ( {\n"
	"\tname = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51;\n"
	"\tpriority = 100;   # the backup has 90\n"
	"\tvirtual_ipaddress = [ \"198.18.1.100\" ];\n"
	"} );\n"
	"# end\n";

static int
load(const char *text, struct lb_config *cfg)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = lb_config_parse_native("save.conf", text, cfg, &err);
	fclose(err.out);
	return rc;
}

/* save(text -> want) with messages kept; *out the new text. */
static int
save(const char *text, const struct lb_config *want, char **out, unsigned int *changes)
{
	FILE *msgs = lb_test_msgs_begin();
	int rc = lb_cfg_save_text("save.conf", text, want, out, changes, msgs);

	fclose(msgs);
	return rc;
}

/* The comment of every line of text ('#', '//', '/ *') is in out, but on lines with skip1/2. */
static int
comments_kept(const char *text, const char *out, const char *skip1, const char *skip2)
{
	char line[256], *c;
	const char *p = text, *nl;

	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		c = strchr(line, '#') ? strchr(line, '#') : strstr(line, "//") ?
		    strstr(line, "//") : strstr(line, "/*");
		if (c != NULL && strstr(line, skip1) == NULL && strstr(line, skip2) == NULL &&
		    strstr(out, c) == NULL) {
			printf("\ncomment lost: %s\n", line);
			return 0;
		}
	}
	return 1;
}

static struct lb_config *
new_cfg(void)
{
	struct lb_config *c = calloc(1, sizeof(*c));

	CU_ASSERT_FATAL(c != NULL);
	return c;
}

static void
test_unchanged(void)
{
	struct lb_config *want = new_cfg();
	unsigned int changes = 99;
	char *out = NULL;

	CU_ASSERT_FATAL(load(commented, want) == 0);
	CU_ASSERT(save(commented, want, &out, &changes) == 0);
	CU_ASSERT(changes == 0);
	CU_ASSERT(out != NULL && strcmp(out, commented) == 0);
	free(out);
	lb_config_free(want);
	free(want);
}

/* ipvsadm -a: rs appended to service s. */
static void
add_rs(struct lb_cfg_service *s, uint32_t addr, uint16_t port, uint32_t weight)
{
	struct lb_cfg_rs *rs = &s->rs[s->nb_rs++];

	memset(rs, 0, sizeof(*rs));
	rs->addr = addr;
	rs->port = port;
	rs->weight = weight;
}

static void
test_edits(void)
{
	struct lb_config *want = new_cfg(), *got = new_cfg();
	struct lb_cfg_service *s, *svcs;
	unsigned int changes;
	char *out = NULL;

	CU_ASSERT_FATAL(load(commented, want) == 0);
	s = &want->services[0];
	snprintf(s->sched, sizeof(s->sched), "rr");		/* ipvsadm -E ... -s rr */
	s->rs[0].weight = 0;					/* real-server drain web1 */
	s->rs[2] = s->rs[--s->nb_rs];				/* ipvsadm -d web3 */
	add_rs(s, IP(198, 18, 2, 14), 8080, 3);			/* ipvsadm -a web4 */
	want->nb_services = 1;					/* ipvsadm -D the dns one */
	svcs = realloc(want->services, 2 * sizeof(*svcs));	/* ipvsadm -A :443 */
	CU_ASSERT_FATAL(svcs != NULL);
	want->services = svcs;
	s = &svcs[1];
	memset(s, 0, sizeof(*s));
	s->proto = IPPROTO_TCP;
	s->vip = IP(198, 18, 1, 100);
	s->port = 443;
	snprintf(s->sched, sizeof(s->sched), "sh");
	s->flags = LB_SVC_F_PERSISTENT | LB_SVC_F_SH_PORT;
	s->persistence = 600;
	s->netmask = 0xffffff00;
	add_rs(s, IP(198, 18, 2, 11), 443, 1);
	want->nb_services = 2;
	want->tcp_timeout = 7200;				/* ipvsadm --set 7200 0 0 */
	want->udp_timeout = 60;
	want->vrrp[0].priority = 80;				/* vrrp set-priority VI_1 80 */

	CU_ASSERT_FATAL(save(commented, want, &out, &changes) == 0);
	CU_ASSERT_FATAL(out != NULL);
	CU_ASSERT(changes > 0);
	CU_ASSERT(comments_kept(commented, out, "web3", "dns"));
	CU_ASSERT(strstr(out, "web3") == NULL);			/* its line went with it */
	CU_ASSERT(strstr(out, "dns") == NULL);			/* the comment over it too */
	CU_ASSERT(strstr(out, "\t\tscheduler = \"rr\";    # weighted least-connection\n") != NULL);
	CU_ASSERT(strstr(out, "{ address = \"198.18.2.11\"; port = 80; weight = 0; },  # web1\n")
		  != NULL);
	CU_ASSERT(strstr(out, "checkers = ( { type = \"TCP_CHECK\"; } ); },  # web2, checked\n"
			 "\t\t\t{ address = \"198.18.2.14\"; port = 8080; weight = 3; "
			 "forward = \"nat\"; }\n\t\t);") != NULL);
	CU_ASSERT(strstr(out, "\ttcp_timeout = 7200;   // LVS's default\n") != NULL);
	CU_ASSERT(strstr(out, "connections = { udp_timeout = 60; };") == NULL);
	CU_ASSERT(strstr(out, "\tpriority = 80;   # the backup has 90\n") != NULL);
	CU_ASSERT(strstr(out, "# end\n") != NULL);
	/* and it loads to what was asked */
	CU_ASSERT_FATAL(load(out, got) == 0);
	CU_ASSERT(got->nb_services == 2);
	s = lb_cfg_find_service(got, IPPROTO_TCP, IP(198, 18, 1, 100), 80);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(strcmp(s->sched, "rr") == 0 && s->nb_rs == 3);
	CU_ASSERT(s->rs[0].weight == 0 && s->rs[2].port == 8080 && s->rs[2].weight == 3);
	CU_ASSERT(s->timing.delay_loop_ms == 3000);
	CU_ASSERT(got->nb_checks == 1 && got->checks[0].key.rs_addr == IP(198, 18, 2, 12));
	s = lb_cfg_find_service(got, IPPROTO_TCP, IP(198, 18, 1, 100), 443);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(s->persistence == 600 && s->netmask == 0xffffff00 &&
		  s->flags == (LB_SVC_F_PERSISTENT | LB_SVC_F_SH_PORT) && s->nb_rs == 1);
	CU_ASSERT(lb_cfg_find_service(got, IPPROTO_UDP, IP(198, 18, 1, 100), 53) == NULL);
	CU_ASSERT(got->tcp_timeout == 7200 && got->udp_timeout == 60 &&
		  got->tcpfin_timeout == want->tcpfin_timeout);
	CU_ASSERT(got->vrrp[0].priority == 80);
	free(out);
	lb_config_free(got);
	lb_config_free(want);
	free(got);
	free(want);
}

/* One-line lists take new elements inline; emptied lists take them back. */
static void
test_inline_and_empty(void)
{
	static const char text[] =
		LAB0
		"virtual_servers = ( { address = \"198.18.1.100\"; port = 80; "
		"real_servers = ( { address = \"198.18.1.11\"; port = 80; } ); } );  # one line\n";
	struct lb_config *want = new_cfg(), *got = new_cfg();
	unsigned int changes;
	char *out = NULL;

	CU_ASSERT_FATAL(load(text, want) == 0);
	add_rs(&want->services[0], IP(198, 18, 1, 12), 80, 1);
	CU_ASSERT_FATAL(save(text, want, &out, &changes) == 0);
	CU_ASSERT(strstr(out, "{ address = \"198.18.1.11\"; port = 80; }, { address = "
			 "\"198.18.1.12\"; port = 80; weight = 1; forward = \"nat\"; } ); } );"
			 "  # one line\n") != NULL);
	free(out);
	/* ipvsadm -C, then -A and -a again */
	want->services[0].nb_rs = 0;
	CU_ASSERT_FATAL(save(text, want, &out, &changes) == 0);
	CU_ASSERT(load(out, got) == 0 && got->nb_services == 1 && got->services[0].nb_rs == 0);
	lb_config_free(got);
	free(out);
	want->nb_services = 0;
	CU_ASSERT_FATAL(save(text, want, &out, &changes) == 0);
	CU_ASSERT(load(out, got) == 0 && got->nb_services == 0);
	CU_ASSERT(strstr(out, "# one line") != NULL);
	lb_config_free(got);
	free(out);
	lb_config_free(want);
	free(want);
	free(got);
}

/* A file without the settings: they are added at its end. */
static void
test_added_settings(void)
{
	static const char text[] =
		"# bare\ninterfaces = ( { name = \"lab0\"; device = \"net_null0\"; "
		"addresses = [ \"198.18.1.1/24\" ]; } );";	/* no final newline */
	struct lb_config *want = new_cfg(), *got = new_cfg(), *base = new_cfg();
	unsigned int changes;
	char *out = NULL;

	CU_ASSERT_FATAL(load(text, base) == 0);
	*want = *base;
	want->services = calloc(1, sizeof(*want->services));
	CU_ASSERT_FATAL(want->services != NULL);
	want->nb_services = 1;
	want->services[0].proto = IPPROTO_UDP;
	want->services[0].vip = IP(198, 18, 1, 53);
	want->services[0].port = 53;
	want->services[0].netmask = 0xffffffff;
	snprintf(want->services[0].sched, LB_SCHED_NAME_LEN, "rr");
	add_rs(&want->services[0], IP(198, 18, 1, 21), 53, 5);
	want->tcpfin_timeout = 30;
	CU_ASSERT_FATAL(save(text, want, &out, &changes) == 0);
	CU_ASSERT(strncmp(out, text, strlen(text)) == 0);
	CU_ASSERT(load(out, got) == 0 && got->nb_services == 1 && got->tcpfin_timeout == 30 &&
		  got->services[0].rs[0].weight == 5);
	free(out);
	free(want->services);
	lb_config_free(got);
	lb_config_free(base);
	free(want);
	free(got);
	free(base);
}

/* A service without real_servers, an instance without priority: the settings are added. */
static void
test_missing_members(void)
{
	static const char text[] =
		LAB0
		"virtual_servers = (\n"
		"\t{\n"
		"\t\taddress = \"198.18.1.100\"; port = 80;   # no servers yet\n"
		"\t}\n"
		");\n"
		"vrrp_instances = ( { name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 9;\n"
		"\tvirtual_ipaddress = [ \"198.18.1.100\" ]; } );\n";
	struct lb_config *want = new_cfg(), *got = new_cfg();
	unsigned int changes;
	char *out = NULL;

	CU_ASSERT_FATAL(load(text, want) == 0);
	add_rs(&want->services[0], IP(198, 18, 1, 11), 80, 4);
	add_rs(&want->services[0], IP(198, 18, 1, 12), 80, 5);
	want->vrrp[0].priority = 120;
	CU_ASSERT_FATAL(save(text, want, &out, &changes) == 0);
	CU_ASSERT(strstr(out, "port = 80;   # no servers yet\n\t\treal_servers = ( { address = "
			 "\"198.18.1.11\"; port = 80; weight = 4; forward = \"nat\"; }, {") != NULL);
	CU_ASSERT(strstr(out, "virtual_ipaddress = [ \"198.18.1.100\" ]; priority = 120; } );") !=
		  NULL);
	CU_ASSERT(load(out, got) == 0 && got->services[0].nb_rs == 2 &&
		  got->vrrp[0].priority == 120);
	free(out);
	lb_config_free(got);
	lb_config_free(want);
	free(got);
	free(want);
}

/* Nothing is produced when the file does not load, or the result would not. */
static void
test_refusals(void)
{
	struct lb_config *want = new_cfg();
	unsigned int changes;
	char *out = (char *)1;

	CU_ASSERT_FATAL(load(commented, want) == 0);
	CU_ASSERT(save("workers = ;\n", want, &out, &changes) == -EINVAL);
	CU_ASSERT(out == NULL);
	CU_ASSERT(lb_test_has_msg("config save: the file does not load as it is now"));
	/* a DR real server off every subnet: the edited text would not load */
	add_rs(&want->services[0], IP(198, 19, 9, 9), 80, 1);
	want->services[0].rs[want->services[0].nb_rs - 1].fwd = LB_FWD_DR;
	CU_ASSERT(save(commented, want, &out, &changes) == -EINVAL);
	CU_ASSERT(out == NULL);
	CU_ASSERT(lb_test_has_msg("the edited text does not load"));
	CU_ASSERT(lb_test_has_msg("the file is left as it was"));
	want->services[0].nb_rs--;
	CU_ASSERT(save("@include \"other.conf\"\n", want, &out, &changes) == -EINVAL);
	lb_config_free(want);
	free(want);
}

/* On disk: the mode stays, the file is replaced whole, a copy goes elsewhere. */
static void
test_file(void)
{
	char dir[] = "/tmp/dplb-save-XXXXXX", path[128], copy[128], buf[4096];
	struct lb_config *want = new_cfg();
	struct stat st;
	FILE *f, *msgs;
	size_t n;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/dplb.conf", dir);
	snprintf(copy, sizeof(copy), "%s/copy.conf", dir);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(commented, f);
	fclose(f);
	CU_ASSERT_FATAL(chmod(path, 0640) == 0);
	CU_ASSERT_FATAL(load(commented, want) == 0);
	want->services[0].rs[1].weight = 7;
	msgs = lb_test_msgs_begin();
	CU_ASSERT(lb_cfg_save_file(path, copy, want, msgs) == 0);
	CU_ASSERT(lb_cfg_save_file(path, NULL, want, msgs) == 0);
	fclose(msgs);
	CU_ASSERT(lb_test_has_msg("written (1 edit(s) of"));
	CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	CU_ASSERT(stat(copy, &st) == 0 && (st.st_mode & 0777) == 0640);
	f = fopen(path, "r");
	CU_ASSERT_FATAL(f != NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	CU_ASSERT(strstr(buf, "port = 80;\n\t\t\tweight = 7;\n\t\t\t  checkers") != NULL);
	CU_ASSERT(n == strlen(commented) + strlen("\t\t\tweight = 7;\n"));
	msgs = lb_test_msgs_begin();
	CU_ASSERT(lb_cfg_save_file(path, NULL, want, msgs) == 0);	/* nothing to do */
	fclose(msgs);
	CU_ASSERT(lb_test_has_msg("already holds the running configuration"));
	unlink(path);
	unlink(copy);
	rmdir(dir);
	lb_config_free(want);
	free(want);
}

void
lb_test_register_cfgsave(void)
{
	CU_pSuite s = CU_add_suite("config save", NULL, NULL);

	CU_add_test(s, "nothing changed: the text as it was", test_unchanged);
	CU_add_test(s, "ipvsadm edits, drain, --set, priority: comments kept", test_edits);
	CU_add_test(s, "one-line lists, emptied lists", test_inline_and_empty);
	CU_add_test(s, "settings the file did not have", test_added_settings);
	CU_add_test(s, "real_servers, priority missing from their entry", test_missing_members);
	CU_add_test(s, "refused: file or result does not load", test_refusals);
	CU_add_test(s, "on disk: atomic, mode kept, save elsewhere", test_file);
}
