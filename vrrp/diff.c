/* SPDX-License-Identifier: BSD-3-Clause */
/* What a reload changes in the VRRP instances. See diff.h. */
#include <stddef.h>
#include <string.h>

#include <rte_common.h>

#include "vrrp/diff.h"

/* Copy into o the fields that apply live from n, flagging those that differ. */
static unsigned int
take_live(struct lb_cfg_vrrp *o, const struct lb_cfg_vrrp *n)
{
	unsigned int what = 0;

#define TAKE(bit, field) do { \
	if (memcmp(&o->field, &n->field, sizeof(o->field)) != 0) { \
		what |= (bit); \
		memcpy(&o->field, &n->field, sizeof(o->field)); \
	} } while (0)
	TAKE(LB_VRRP_CH_PRIORITY, priority);
	TAKE(LB_VRRP_CH_ADVERT, advert_int_cs);
	TAKE(LB_VRRP_CH_VIPS, vips);
	TAKE(LB_VRRP_CH_VIPS, nb_vips);
	TAKE(LB_VRRP_CH_PREEMPT, nopreempt);
	TAKE(LB_VRRP_CH_PREEMPT, preempt_delay_s);
	TAKE(LB_VRRP_CH_AUTH, auth_type);
	TAKE(LB_VRRP_CH_AUTH, auth_pass);
	TAKE(LB_VRRP_CH_TRACK, track_scripts);
	TAKE(LB_VRRP_CH_TRACK, nb_track_scripts);
	TAKE(LB_VRRP_CH_TRACK, track_ifaces);
	TAKE(LB_VRRP_CH_TRACK, nb_track_ifaces);
	TAKE(LB_VRRP_CH_PEERS, unicast_src);
	TAKE(LB_VRRP_CH_PEERS, unicast_peers);
	TAKE(LB_VRRP_CH_PEERS, nb_unicast_peers);
	TAKE(LB_VRRP_CH_OTHER, init_master);
	TAKE(LB_VRRP_CH_OTHER, garp_repeat);
	TAKE(LB_VRRP_CH_OTHER, garp_delay_ms);
	TAKE(LB_VRRP_CH_OTHER, garp_refresh_ms);
	TAKE(LB_VRRP_CH_OTHER, garp_refresh_repeat);
	TAKE(LB_VRRP_CH_OTHER, notify_master);
	TAKE(LB_VRRP_CH_OTHER, notify_backup);
	TAKE(LB_VRRP_CH_OTHER, notify_fault);
	TAKE(LB_VRRP_CH_OTHER, notify_stop);
	TAKE(LB_VRRP_CH_OTHER, notify);
#undef TAKE
	o->sync_group = n->sync_group;	/* compared by name (sync_same) */
	o->line = n->line;
	return what;
}

static int
find(const struct lb_config *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nb_vrrp; i++)
		if (strcmp(c->vrrp[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The sync groups have the same names and members (by name). */
static bool
syncs_same(const struct lb_config *a, const struct lb_config *b)
{
	unsigned int i, k;

	if (a->nb_vrrp_syncs != b->nb_vrrp_syncs)
		return false;
	for (i = 0; i < a->nb_vrrp_syncs; i++) {
		const struct lb_cfg_vrrp_sync *x = &a->vrrp_syncs[i], *y = &b->vrrp_syncs[i];

		if (strcmp(x->name, y->name) != 0 || x->nb_members != y->nb_members)
			return false;
		for (k = 0; k < x->nb_members; k++)
			if (strcmp(a->vrrp[x->members[k]].name, b->vrrp[y->members[k]].name) != 0)
				return false;
	}
	return true;
}

/* The vrrp_scripts are the same but for their weights (*weights). */
static bool
scripts_same(const struct lb_config *a, const struct lb_config *b, bool *weights)
{
	struct lb_cfg_vrrp_script x;
	unsigned int i;

	*weights = false;
	if (a->nb_vrrp_scripts != b->nb_vrrp_scripts)
		return false;
	for (i = 0; i < a->nb_vrrp_scripts; i++) {
		x = a->vrrp_scripts[i];
		*weights |= x.weight != b->vrrp_scripts[i].weight;
		x.weight = b->vrrp_scripts[i].weight;
		if (memcmp(&x, &b->vrrp_scripts[i], offsetof(struct lb_cfg_vrrp_script, line)) != 0)
			return false;
	}
	return true;
}

static bool
ifaces_same(const struct lb_config *a, const struct lb_config *b)
{
	unsigned int i;

	if (a->nb_ifaces != b->nb_ifaces)
		return false;
	for (i = 0; i < a->nb_ifaces; i++)
		if (memcmp(&a->ifaces[i], &b->ifaces[i], offsetof(struct lb_cfg_iface, line)) != 0)
			return false;
	return true;
}

void
lb_vrrp_diff(const struct lb_config *run, const struct lb_config *n, struct lb_vrrp_diff *d)
{
	struct lb_cfg_vrrp o;
	unsigned int i;
	int k;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < run->nb_vrrp; i++)
		d->removed[i] = find(n, run->vrrp[i].name) < 0;
	for (i = 0; i < n->nb_vrrp; i++) {
		k = find(run, n->vrrp[i].name);
		d->old_of[i] = k;
		if (k < 0) {
			d->changed = true;
			continue;
		}
		o = run->vrrp[k];
		d->what[i] = take_live(&o, &n->vrrp[i]);
		if (memcmp(&o, &n->vrrp[i], sizeof(o)) != 0) {	/* interface, vrid, version */
			d->removed[k] = true;
			d->old_of[i] = -1;
		}
		d->changed |= d->what[i] != 0 || d->old_of[i] < 0;
	}
	for (i = 0; i < run->nb_vrrp; i++)
		d->changed |= d->removed[i];
	d->fifo = strcmp(run->vrrp_notify_fifo, n->vrrp_notify_fifo) != 0;
	if (!scripts_same(run, n, &d->weights))
		snprintf(d->why, sizeof(d->why), "vrrp_scripts added, removed or changed (other "
			 "than their weight)");
	else if (!syncs_same(run, n))
		snprintf(d->why, sizeof(d->why), "vrrp_sync_groups changed");
	d->changed |= d->weights || d->fifo || d->why[0] != '\0';
	if (d->changed && d->why[0] == '\0' && !ifaces_same(run, n))
		snprintf(d->why, sizeof(d->why), "interfaces changed");
	d->restart = d->why[0] != '\0';
}

void
lb_vrrp_diff_print(const struct lb_config *run, const struct lb_config *n,
		   const struct lb_vrrp_diff *d, FILE *out)
{
	static const char *const names[] = { "priority", "advert_int", "virtual_ipaddress",
		"preempt", "authentication", "tracking", "unicast peers", "garp/notify/state" };
	unsigned int i, b;

	if (d->restart) {
		fprintf(out, "reload: %s: VRRP changes apply at the next restart\n", d->why);
		return;
	}
	for (i = 0; i < run->nb_vrrp; i++)
		if (d->removed[i])
			fprintf(out, "reload: vrrp_instance %s removed\n", run->vrrp[i].name);
	for (i = 0; i < n->nb_vrrp; i++) {
		if (d->old_of[i] < 0) {
			fprintf(out, "reload: vrrp_instance %s added\n", n->vrrp[i].name);
			continue;
		}
		if (d->what[i] & LB_VRRP_CH_PRIORITY)
			fprintf(out, "reload: vrrp_instance %s: priority %u -> %u\n", n->vrrp[i].name,
				run->vrrp[d->old_of[i]].priority, n->vrrp[i].priority);
		for (b = 1; b < RTE_DIM(names); b++)
			if (d->what[i] & (1u << b))
				fprintf(out, "reload: vrrp_instance %s: %s changed\n", n->vrrp[i].name,
					names[b]);
	}
	if (d->weights)
		fputs("reload: vrrp_script weights changed\n", out);
	if (d->fifo)
		fputs("reload: vrrp_notify_fifo changed\n", out);
}
