/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP on config reload: which changes apply to running instances
 * (lb_vrrp_diff) and how a running state machine takes new settings
 * (lb_vrrp_fsm_reconfig). Pure: no ports, no EAL state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <rte_common.h>

#include "config/config.h"
#include "test/unit/unit.h"
#include "vrrp/diff.h"
#include "vrrp/fsm.h"

#define IFACES(a) \
	"interfaces = ( { name = \"lab0\"; device = \"net_null0\"; addresses = [ \"" a "\" ]; } );\n"
#define SCRIPT(w, cmd) \
	"vrrp_scripts = ( { name = \"chk\"; script = \"" cmd "\"; weight = " #w "; } );\n"
#define VI(name, vrid, prio, extra) \
	"{ name = \"" name "\"; interface = \"lab0\"; virtual_router_id = " #vrid "; " \
	"priority = " #prio "; virtual_ipaddress = [ \"198.18.1." #vrid "\" " extra "; }"

static const char base[] = IFACES("198.18.1.1/24") SCRIPT(-20, "true")
	"vrrp_instances = ( " VI("VI_1", 51, 100, "]; track_scripts = [ \"chk\" ]")
	", " VI("VI_2", 52, 100, ", \"198.18.1.101\" ]") " );\n";

static struct lb_config *
load(const char *text)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	struct lb_config *c = calloc(1, sizeof(*c));
	int rc;

	CU_ASSERT_FATAL(c != NULL);
	rc = lb_config_parse_native("reload.conf", text, c, &err);
	fclose(err.out);
	if (rc != 0)
		printf("\n%s", lb_test_msgs());
	CU_ASSERT_FATAL(rc == 0);
	return c;
}

static void
drop(struct lb_config *c)
{
	lb_config_free(c);
	free(c);
}

/* d for base -> text. */
static struct lb_config *
diff(const char *text, struct lb_config **run, struct lb_vrrp_diff *d)
{
	struct lb_config *n = load(text);

	*run = load(base);
	lb_vrrp_diff(*run, n, d);
	return n;
}

static void
test_same(void)
{
	struct lb_config *run, *n;
	struct lb_vrrp_diff d;

	n = diff(base, &run, &d);
	CU_ASSERT(!d.changed && !d.restart);
	CU_ASSERT(d.old_of[0] == 0 && d.old_of[1] == 1 && !d.removed[0] && !d.removed[1]);
	drop(run);
	drop(n);
}

static void
test_live_changes(void)
{
	static const char text[] = IFACES("198.18.1.1/24") SCRIPT(-30, "true")
		"vrrp_instances = ( " VI("VI_1", 51, 50, ", \"198.18.1.102\" ]; nopreempt = true; "
		"advert_int = 2; authentication = { type = \"PASS\"; pass = \"x\"; }") ", "
		VI("VI_2", 52, 100, ", \"198.18.1.101\" ]") " );\n";
	struct lb_config *run, *n;
	struct lb_vrrp_diff d;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	n = diff(text, &run, &d);
	CU_ASSERT(d.changed && !d.restart);
	if (d.restart)
		printf("\nrestart: %s\n", d.why);
	CU_ASSERT(d.old_of[0] == 0 && d.old_of[1] == 1);
	/* VI_1 lost its track_scripts too */
	CU_ASSERT(d.what[0] == (LB_VRRP_CH_PRIORITY | LB_VRRP_CH_VIPS | LB_VRRP_CH_PREEMPT |
				LB_VRRP_CH_ADVERT | LB_VRRP_CH_AUTH | LB_VRRP_CH_TRACK));
	CU_ASSERT(d.what[1] == 0);
	CU_ASSERT(d.weights);
	f = open_memstream(&out, &len);
	CU_ASSERT_FATAL(f != NULL);
	lb_vrrp_diff_print(run, n, &d, f);
	fclose(f);
	CU_ASSERT(strstr(out, "reload: vrrp_instance VI_1: priority 100 -> 50\n") != NULL);
	CU_ASSERT(strstr(out, "reload: vrrp_instance VI_1: virtual_ipaddress changed\n") != NULL);
	CU_ASSERT(strstr(out, "reload: vrrp_script weights changed\n") != NULL);
	CU_ASSERT(strstr(out, "VI_2") == NULL);
	free(out);
	drop(run);
	drop(n);
}

static void
test_added_removed(void)
{
	/* VI_1 gone, VI_2 on another vrid (removed and added again), VI_3 new */
	static const char text[] = IFACES("198.18.1.1/24") SCRIPT(-20, "true")
		"vrrp_instances = ( " VI("VI_3", 53, 90, "]") ", "
		VI("VI_2", 62, 100, ", \"198.18.1.101\" ]") " );\n";
	struct lb_config *run, *n;
	struct lb_vrrp_diff d;

	n = diff(text, &run, &d);
	CU_ASSERT(d.changed && !d.restart);
	if (d.restart)
		printf("\nrestart: %s\n", d.why);
	CU_ASSERT(d.removed[0] && d.removed[1]);
	CU_ASSERT(d.old_of[0] == -1 && d.old_of[1] == -1);
	drop(run);
	drop(n);
}

/* What cannot change live: the whole VRRP part waits for a restart. */
static void
test_restart_only(void)
{
	static const char *const texts[] = {
		IFACES("198.18.1.1/24") SCRIPT(-20, "false")	/* a script's command */
		"vrrp_instances = ( " VI("VI_1", 51, 100, "]; track_scripts = [ \"chk\" ]")
		", " VI("VI_2", 52, 90, ", \"198.18.1.101\" ]") " );\n",
		IFACES("198.18.1.2/24") SCRIPT(-20, "true")	/* an interface */
		"vrrp_instances = ( " VI("VI_1", 51, 100, "]; track_scripts = [ \"chk\" ]")
		", " VI("VI_2", 52, 90, ", \"198.18.1.101\" ]") " );\n",
		IFACES("198.18.1.1/24") SCRIPT(-20, "true")	/* a sync group */
		"vrrp_instances = ( " VI("VI_1", 51, 100, "]; track_scripts = [ \"chk\" ]")
		", " VI("VI_2", 52, 90, ", \"198.18.1.101\" ]") " );\n"
		"vrrp_sync_groups = ( { name = \"G\"; group = [ \"VI_1\", \"VI_2\" ]; } );\n",
	};
	static const char *const why[] = { "vrrp_scripts", "interfaces changed",
		"vrrp_sync_groups changed" };
	struct lb_config *run, *n;
	struct lb_vrrp_diff d;
	unsigned int i;

	for (i = 0; i < RTE_DIM(texts); i++) {
		n = diff(texts[i], &run, &d);
		CU_ASSERT(d.changed && d.restart);
		CU_ASSERT(strstr(d.why, why[i]) != NULL);
		drop(run);
		drop(n);
	}
}

#define T0 1000000ull
#define SEC 1000000ull

static void
test_fsm_reconfig(void)
{
	struct lb_vrrp_fsm_cfg c = { .version = 2, .priority = 100, .adver_int_cs = 100 };
	struct lb_vrrp_fsm_input up = { .ev = LB_VRRP_EV_STARTUP };
	struct lb_vrrp_fsm f;

	CU_ASSERT_FATAL(lb_vrrp_fsm_init(&f, &c) == 0);
	lb_vrrp_fsm_input(&f, &up, T0);
	CU_ASSERT(f.state == LB_VRRP_STATE_BACKUP);
	/* BACKUP, v2: a new interval restarts Master_Down_Timer with it */
	c.adver_int_cs = 300;
	CU_ASSERT(lb_vrrp_fsm_reconfig(&f, &c, T0 + SEC) == 0);
	CU_ASSERT(f.master_adver_cs == 300);
	CU_ASSERT(f.master_down_at == T0 + SEC + 9 * SEC + lb_vrrp_fsm_skew_us(&f));
	/* MASTER: the next advert one new interval away */
	CU_ASSERT(lb_vrrp_fsm_poll(&f, f.master_down_at) != 0);
	CU_ASSERT(f.state == LB_VRRP_STATE_MASTER);
	c.adver_int_cs = 100;
	CU_ASSERT(lb_vrrp_fsm_reconfig(&f, &c, T0 + 20 * SEC) == 0);
	CU_ASSERT(f.adver_at == T0 + 21 * SEC);
	/* preemption settings restart a running preempt_delay */
	f.preempt_at = T0 + 30 * SEC;
	c.preempt_delay_ms = 5000;
	CU_ASSERT(lb_vrrp_fsm_reconfig(&f, &c, T0 + 22 * SEC) == 0);
	CU_ASSERT(f.preempt_at == 0 && f.cfg.preempt_delay_ms == 5000);
	/* refused: another version, an interval v2 cannot send */
	c.version = 3;
	CU_ASSERT(lb_vrrp_fsm_reconfig(&f, &c, T0 + 23 * SEC) == -EINVAL);
	c.version = 2;
	c.adver_int_cs = 150;
	CU_ASSERT(lb_vrrp_fsm_reconfig(&f, &c, T0 + 23 * SEC) == -EINVAL);
	CU_ASSERT(f.cfg.adver_int_cs == 100 && f.cfg.version == 2);
}

void
lb_test_register_vrrp_reload(void)
{
	CU_pSuite s = CU_add_suite("vrrp reload", NULL, NULL);

	CU_add_test(s, "nothing changed", test_same);
	CU_add_test(s, "priority, VIPs, preempt, auth, interval, weights: live", test_live_changes);
	CU_add_test(s, "instances added, removed, vrid changed", test_added_removed);
	CU_add_test(s, "scripts, interfaces, sync groups: restart", test_restart_only);
	CU_add_test(s, "state machine takes new settings", test_fsm_reconfig);
}
