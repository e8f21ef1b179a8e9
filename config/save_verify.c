/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `config save` checks its own work: the edited text, loaded, must give the
 * services, real servers, timeouts and VRRP priorities asked for, and
 * everything else exactly as the file had it before.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config/save_priv.h"

static uint32_t
persist(const struct lb_cfg_service *s)
{
	return s->flags & LB_SVC_F_PERSISTENT ? s->persistence : 0;
}

static bool
rs_same(const struct lb_cfg_rs *a, const struct lb_cfg_rs *b)
{
	return a->addr == b->addr && a->port == b->port && a->fwd == b->fwd &&
	       a->weight == b->weight && a->u_threshold == b->u_threshold &&
	       a->l_threshold == b->l_threshold;
}

/* What ipvsadm -A / -E set. */
static bool
head_same(const struct lb_cfg_service *a, const struct lb_cfg_service *b)
{
	return a->proto == b->proto && a->vip == b->vip && a->port == b->port &&
	       strcmp(a->sched, b->sched) == 0 && a->flags == b->flags &&
	       persist(a) == persist(b) && a->netmask == b->netmask;
}

/* What ipvsadm does not set: as the file had it. */
static bool
rest_same(const struct lb_cfg_service *g, const struct lb_cfg_service *o)
{
	unsigned int j;
	int k;

	if (g->sched_param != o->sched_param || g->nb_laddrs != o->nb_laddrs ||
	    memcmp(g->laddrs, o->laddrs, sizeof(g->laddrs)) != 0 ||
	    memcmp(&g->timing, &o->timing, sizeof(g->timing)) != 0 ||
	    g->quorum != o->quorum || g->hysteresis != o->hysteresis || g->alpha != o->alpha ||
	    g->omega != o->omega || g->has_sorry != o->has_sorry ||
	    (g->has_sorry && !rs_same(&g->sorry, &o->sorry)) ||
	    g->passive_failures != o->passive_failures ||
	    g->passive_backoff_ms != o->passive_backoff_ms ||
	    strcmp(g->quorum_up, o->quorum_up) != 0 || strcmp(g->quorum_down, o->quorum_down) != 0)
		return false;
	for (j = 0; j < g->nb_rs; j++) {
		k = lb_cfg_find_rs(o, g->rs[j].addr, g->rs[j].port);
		if (k >= 0 && g->rs[j].inhibit_on_failure != o->rs[k].inhibit_on_failure)
			return false;
	}
	return true;
}

static void
name_svc(const struct lb_cfg_service *s, char *why, size_t len, const char *what)
{
	char a[16];

	snprintf(why, len, "%s %s:%u: %s", s->proto == 17 ? "UDP" : "TCP",
		 lb_ipv4_str(s->vip, a, sizeof(a)), s->port, what);
}

static bool
services_same(const struct lb_config *orig, const struct lb_config *want,
	      const struct lb_config *got, char *why, size_t len)
{
	const struct lb_cfg_service *w, *g, *o;
	unsigned int i, j;
	int k;

	if (got->nb_services != want->nb_services) {
		snprintf(why, len, "%u services instead of %u", got->nb_services, want->nb_services);
		return false;
	}
	for (i = 0; i < want->nb_services; i++) {
		w = &want->services[i];
		g = lb_cfg_find_service(got, w->proto, w->vip, w->port);
		o = lb_cfg_find_service(orig, w->proto, w->vip, w->port);
		if (g == NULL || !head_same(g, w) || g->nb_rs != w->nb_rs) {
			name_svc(w, why, len, g == NULL ? "missing" : "scheduler, persistence or "
				 "real servers differ");
			return false;
		}
		for (j = 0; j < w->nb_rs; j++) {
			k = lb_cfg_find_rs(g, w->rs[j].addr, w->rs[j].port);
			if (k < 0 || !rs_same(&g->rs[k], &w->rs[j])) {
				name_svc(w, why, len, "a real server differs");
				return false;
			}
		}
		if (o != NULL && !rest_same(g, o)) {
			name_svc(w, why, len, "its health settings changed");
			return false;
		}
	}
	return true;
}

/* The checkers and notify scripts of real servers that stay are the file's. */
static bool
checks_same(const struct lb_config *orig, const struct lb_config *got, char *why, size_t len)
{
	const struct lb_cfg_service *s;
	unsigned int i, n = 0;

	for (i = 0; i < orig->nb_checks; i++) {
		const struct lb_cfg_check *c = &orig->checks[i];

		s = lb_cfg_find_service(got, c->key.proto, c->key.vip, c->key.vport);
		if (s == NULL || lb_cfg_find_rs(s, c->key.rs_addr, c->key.rs_port) < 0)
			continue;
		if (n >= got->nb_checks ||
		    memcmp(c, &got->checks[n], offsetof(struct lb_cfg_check, line)) != 0)
			break;
		n++;
	}
	if (i < orig->nb_checks || n != got->nb_checks) {
		snprintf(why, len, "the checkers differ");
		return false;
	}
	for (i = 0, n = 0; i < orig->nb_notifies; i++) {
		const struct lb_cfg_notify *c = &orig->notifies[i];

		s = lb_cfg_find_service(got, c->key.proto, c->key.vip, c->key.vport);
		if (s == NULL || lb_cfg_find_rs(s, c->key.rs_addr, c->key.rs_port) < 0)
			continue;
		if (n >= got->nb_notifies || memcmp(c, &got->notifies[n], sizeof(*c)) != 0)
			break;
		n++;
	}
	if (i < orig->nb_notifies || n != got->nb_notifies) {
		snprintf(why, len, "the notify_up/notify_down scripts differ");
		return false;
	}
	return true;
}

/* cfg printed without what config save may change; NULL when out of memory. */
static char *
dump_rest(const struct lb_config *cfg)
{
	struct lb_config *c = malloc(sizeof(*c));
	char *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *out;

	if (c == NULL)
		return NULL;
	*c = *cfg;		/* shallow: only read */
	c->services = NULL;
	c->nb_services = 0;
	c->checks = NULL;
	c->nb_checks = 0;
	c->notifies = NULL;
	c->nb_notifies = 0;
	c->tcp_timeout = c->tcpfin_timeout = c->udp_timeout = 0;
	for (i = 0; i < c->nb_vrrp; i++)
		c->vrrp[i].priority = 0;
	out = open_memstream(&buf, &len);
	if (out != NULL) {
		lb_config_dump(c, out);
		if (fclose(out) != 0) {
			free(buf);
			buf = NULL;
		}
	}
	free(c);
	return buf;
}

static bool
rest_of_file_same(const struct lb_config *orig, const struct lb_config *got, char *why,
		  size_t len)
{
	char *a = dump_rest(orig), *b = dump_rest(got);
	bool same = a != NULL && b != NULL && strcmp(a, b) == 0;
	size_t i, line = 1;

	if (!same && a != NULL && b != NULL) {
		for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
			line += a[i] == '\n';
		snprintf(why, len, "line %zu of its --config-dump differs outside the services",
			 line);
	} else if (!same) {
		snprintf(why, len, "out of memory");
	}
	free(a);
	free(b);
	return same;
}

bool
lb_cfg_save_verify(const struct lb_config *orig, const struct lb_config *want,
		   const struct lb_config *got, char *why, size_t len)
{
	unsigned int i, k;

	if (!services_same(orig, want, got, why, len) || !checks_same(orig, got, why, len))
		return false;
	if (got->tcp_timeout != want->tcp_timeout || got->tcpfin_timeout != want->tcpfin_timeout ||
	    got->udp_timeout != want->udp_timeout) {
		snprintf(why, len, "the connection timeouts differ");
		return false;
	}
	for (i = 0; i < got->nb_vrrp; i++)
		for (k = 0; k < want->nb_vrrp; k++)
			if (strcmp(got->vrrp[i].name, want->vrrp[k].name) == 0 &&
			    got->vrrp[i].priority != want->vrrp[k].priority) {
				snprintf(why, len, "vrrp_instance %s: priority %u, not %u",
					 got->vrrp[i].name, got->vrrp[i].priority,
					 want->vrrp[k].priority);
				return false;
			}
	return rest_of_file_same(orig, got, why, len);
}
