/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The health monitor: probes from the config, their events applied to the
 * running services. See monitor.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_log.h>

#include "health/misc.h"
#include "health/monitor.h"
#include "health/probe.h"
#include "health/monitor_priv.h"
#include "health/quorum.h"

struct lb_health_mon lb_hm;

RTE_LOG_REGISTER_SUFFIX(lb_health_logtype, health, INFO);

#define POLL_EVERY_US	1000	/* probes advance at most once a millisecond */
#define BACKOFF_LOOK_US	50000	/* a back-off's fresh check is seen this soon */
#define MS		1000ull	/* us per ms */

uint64_t
lb_health_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000u;
}

const char *
lb_hm_ep_str(uint32_t addr, uint16_t port, char *buf, size_t len)
{
	char a[16];

	snprintf(buf, len, "%s:%u", lb_ipv4_str(addr, a, sizeof(a)), port);
	return buf;
}

const char *
lb_hm_svc_str(const struct hsvc *s, char *buf, size_t len)
{
	char ep[24];

	snprintf(buf, len, "%s %s", s->proto == IPPROTO_UDP ? "UDP" : "TCP",
		 lb_hm_ep_str(s->vip, s->port, ep, sizeof(ep)));
	return buf;
}

/* ---- edits of the running services ---- */

/* s in the running config, or NULL when the operator deleted it (ipvsadm -D). */
static struct lb_cfg_service *
running_svc(const struct hsvc *s)
{
	return lb_cfg_find_service(lb_hm.running, s->proto, s->vip, s->port);
}

static void
pool_remove(const struct hsvc *s, const struct lb_cfg_rs *rs)
{
	struct lb_cfg_service *svc = running_svc(s);
	int i = svc != NULL ? lb_cfg_find_rs(svc, rs->addr, rs->port) : -1;

	if (i < 0)
		return;
	memmove(&svc->rs[i], &svc->rs[i + 1], (svc->nb_rs - (unsigned int)i - 1) * sizeof(*rs));
	svc->nb_rs--;
	lb_hm.dirty = true;
}

/* Put rs in with its configured weight (or restore that weight). */
static void
pool_add(const struct hsvc *s, const struct lb_cfg_rs *rs)
{
	struct lb_cfg_service *svc = running_svc(s);
	char ep[24], sv[32];
	int i;

	if (svc == NULL)
		return;
	i = lb_cfg_find_rs(svc, rs->addr, rs->port);
	if (i >= 0) {
		if (svc->rs[i].weight != rs->weight) {
			svc->rs[i].weight = rs->weight;
			lb_hm.dirty = true;
		}
		return;
	}
	if (svc->nb_rs == LB_MAX_RS) {
		LOG(ERR, "cannot put %s back into %s: it has %d real servers already",
		    lb_hm_ep_str(rs->addr, rs->port, ep, sizeof(ep)), lb_hm_svc_str(s, sv, sizeof(sv)),
		    LB_MAX_RS);
		return;
	}
	svc->rs[svc->nb_rs++] = *rs;
	lb_hm.dirty = true;
}

static void
pool_weight0(const struct hsvc *s, const struct lb_cfg_rs *rs)
{
	struct lb_cfg_service *svc = running_svc(s);
	int i = svc != NULL ? lb_cfg_find_rs(svc, rs->addr, rs->port) : -1;

	if (i >= 0 && svc->rs[i].weight != 0) {
		svc->rs[i].weight = 0;
		lb_hm.dirty = true;
	}
}

/* A real server out of the pool: removed, or weight 0 with inhibit. */
static void
pool_fail(const struct hsvc *s, const struct lb_cfg_rs *rs)
{
	if (rs->inhibit_on_failure)
		pool_weight0(s, rs);
	else
		pool_remove(s, rs);
}

static void
publish_now(void)
{
	int rc;

	if (!lb_hm.dirty)
		return;
	lb_hm.dirty = false;
	rc = lb_hm.publish(lb_hm.running);
	if (rc != 0)
		LOG(ERR, "could not publish the new real-server set: %s", strerror(-rc));
}

/* ---- state changes ---- */

/* Run a notify/quorum script (what: for the log), without waiting for it. */
static void
run_script(const char *cmd, const char *what)
{
	int rc;

	if (cmd == NULL || cmd[0] == '\0')
		return;
	rc = lb_health_script_detach(cmd);
	if (rc != 0)
		LOG(ERR, "%s: cannot run '%s': %s", what, cmd,
		    rc == -EAGAIN ? "64 scripts still running" : strerror(-rc));
}

uint64_t
lb_hm_live_weight(const struct hsvc *s)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = s->first; i < s->first + s->nb; i++)
		if (lb_hm_alive(&lb_hm.targets[i]))
			sum += lb_hm.targets[i].rs.weight;
	return sum;
}

static void
apply_quorum(const struct hsvc *s, const struct lb_health_q_action *act)
{
	char sv[32];
	unsigned int i;

	if (act->ev != LB_HEALTH_Q_NONE)
		LOG(NOTICE, "%s: quorum %s (live weight %" PRIu64 ", threshold %" PRIu64 ")%s",
		    lb_hm_svc_str(s, sv, sizeof(sv)), act->ev == LB_HEALTH_Q_GAINED ? "gained" : "lost",
		    act->weight_sum, act->threshold,
		    act->sorry_add ? ": sorry server in" :
		    act->sorry_remove ? ": sorry server out" : "");
	if (act->ev == LB_HEALTH_Q_GAINED)
		run_script(s->quorum_up, "quorum_up");
	else if (act->ev == LB_HEALTH_Q_LOST)
		run_script(s->quorum_down, "quorum_down");
	if (act->pool_out)
		for (i = s->first; i < s->first + s->nb; i++)
			if (lb_hm_alive(&lb_hm.targets[i]))
				pool_fail(s, &lb_hm.targets[i].rs);
	if (act->sorry_add)
		pool_add(s, &s->sorry);
	if (act->sorry_remove)
		pool_remove(s, &s->sorry);
	if (act->pool_in)
		for (i = s->first; i < s->first + s->nb; i++)
			if (lb_hm_alive(&lb_hm.targets[i]))
				pool_add(s, &lb_hm.targets[i].rs);
	lb_hm.changes += act->ev != LB_HEALTH_Q_NONE;
}

static void
on_event(struct lb_health_probe *p, const struct lb_health_event *ev, void *arg)
{
	struct hprobe *hp = (struct hprobe *)p;
	struct target *t = &lb_hm.targets[hp->target];
	struct hsvc *s = &lb_hm.svcs[t->svc];
	const bool up = ev->type == LB_HEALTH_EV_UP;
	struct lb_health_q_action act;
	char ep[24], sv[32];

	(void)arg;
	if (ev->type == LB_HEALTH_EV_WEIGHT) {
		/* misc_dynamic: the script's weight becomes the one to restore */
		LOG(NOTICE, "real server %s of %s: weight %u -> %u (%s)", lb_hm_ep_str(t->rs.addr,
		    t->rs.port, ep, sizeof(ep)), lb_hm_svc_str(s, sv, sizeof(sv)), t->rs.weight,
		    ev->weight, ev->reason);
		t->rs.weight = ev->weight;
		if (lb_hm_alive(t) && !s->q.sorry_active)
			pool_add(s, &t->rs);
		lb_hm.changes++;
		if (lb_health_quorum_update(&s->q, lb_hm_live_weight(s), &act))
			apply_quorum(s, &act);
		return;
	}
	if (t->passive_down) {
		/* out for its back-off: the pool waits for its end (passive.c) */
		LOG(NOTICE, "real server %s of %s: checkers %s (%s) during its passive back-off",
		    lb_hm_ep_str(t->rs.addr, t->rs.port, ep, sizeof(ep)),
		    lb_hm_svc_str(s, sv, sizeof(sv)), up ? "pass" : "fail", ev->reason);
		return;
	}
	lb_hm_rs_changed(s, t, up, ev->reason);
}

void
lb_hm_rs_changed(struct hsvc *s, struct target *t, bool up, const char *why)
{
	struct lb_health_q_action act;
	char ep[24], sv[32];

	LOG(NOTICE, "real server %s of %s is %s (%s)", lb_hm_ep_str(t->rs.addr, t->rs.port, ep,
	    sizeof(ep)), lb_hm_svc_str(s, sv, sizeof(sv)), up ? "UP" : "DOWN", why);
	switch (lb_health_quorum_rs_action(&s->q, up, t->rs.inhibit_on_failure)) {
	case LB_HEALTH_RS_ADD:
	case LB_HEALTH_RS_RESTORE:
		pool_add(s, &t->rs);
		break;
	case LB_HEALTH_RS_REMOVE:
		pool_remove(s, &t->rs);
		break;
	case LB_HEALTH_RS_WEIGHT0:
		pool_weight0(s, &t->rs);
		break;
	case LB_HEALTH_RS_NOTHING:
		break;
	}
	if (t->notify != NULL)
		run_script(up ? t->notify->up : t->notify->down, up ? "notify_up" : "notify_down");
	lb_hm.changes++;
	if (lb_health_quorum_update(&s->q, lb_hm_live_weight(s), &act))
		apply_quorum(s, &act);
}

/* ---- set-up ---- */

static bool
is_checked(const struct lb_config *cfg, const struct lb_cfg_service *svc)
{
	unsigned int i;

	if (svc->has_sorry || svc->quorum_up[0] != '\0' || svc->quorum_down[0] != '\0')
		return true;
	for (i = 0; i < cfg->nb_checks; i++)
		if (lb_cfg_rs_key_in(&cfg->checks[i].key, svc))
			return true;
	return false;
}

/* Index of the target c checks, or -1 (its service or server is gone). */
static int
target_of(const struct lb_cfg_check *c)
{
	unsigned int i, k;

	for (i = 0; i < lb_hm.nb_svcs; i++) {
		const struct hsvc *s = &lb_hm.svcs[i];

		if (s->proto != c->key.proto || s->vip != c->key.vip || s->port != c->key.vport)
			continue;
		for (k = s->first; k < s->first + s->nb; k++)
			if (lb_cfg_rs_key_eq(&lb_hm.targets[k].key, &c->key))
				return (int)k;
	}
	return -1;
}

static int
build_targets(const struct lb_config *cfg)
{
	unsigned int i, k, n = 0, nsvc = 0;

	for (i = 0; i < cfg->nb_services; i++)
		if (is_checked(cfg, &cfg->services[i])) {
			nsvc++;
			n += cfg->services[i].nb_rs;
		}
	lb_hm.svcs = calloc(nsvc ? nsvc : 1, sizeof(*lb_hm.svcs));
	lb_hm.targets = calloc(n ? n : 1, sizeof(*lb_hm.targets));
	if (lb_hm.svcs == NULL || lb_hm.targets == NULL)
		return -ENOMEM;
	for (i = 0; i < cfg->nb_services; i++) {
		const struct lb_cfg_service *svc = &cfg->services[i];
		struct hsvc *s;

		if (!is_checked(cfg, svc))
			continue;
		s = &lb_hm.svcs[lb_hm.nb_svcs];
		s->proto = svc->proto;
		s->vip = svc->vip;
		s->port = svc->port;
		s->omega = svc->omega;
		s->alpha = svc->alpha;
		s->has_sorry = svc->has_sorry;
		s->sorry = svc->sorry;
		memcpy(s->quorum_up, svc->quorum_up, sizeof(s->quorum_up));
		memcpy(s->quorum_down, svc->quorum_down, sizeof(s->quorum_down));
		s->passive_failures = svc->passive_failures;
		s->passive_backoff = (uint64_t)svc->passive_backoff_ms * MS;
		s->first = lb_hm.nb_targets;
		for (k = 0; k < svc->nb_rs; k++) {
			struct target *t = &lb_hm.targets[lb_hm.nb_targets++];

			lb_cfg_rs_key_set(&t->key, svc, &svc->rs[k]);
			t->rs = svc->rs[k];
			t->svc = lb_hm.nb_svcs;
			t->notify = lb_cfg_notify_of(cfg, svc, &svc->rs[k]);
			t->pf_resync = true;
			lb_health_rs_init(&t->hrs);
		}
		s->nb = lb_hm.nb_targets - s->first;
		lb_hm.nb_svcs++;
	}
	return 0;
}

/* (target, check, url) of one probe, sorted by target for `show health`. */
struct probe_ref {
	unsigned int target, check, url;
};

static int
cmp_ref(const void *a, const void *b)
{
	const struct probe_ref *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	return x->url < y->url ? -1 : x->url > y->url;
}

static int
init_probe(struct hprobe *hp, const struct probe_ref *ref, uint64_t now)
{
	const struct lb_cfg_check *c = &lb_hm.running->checks[ref->check];
	struct target *t = &lb_hm.targets[ref->target];
	struct sockaddr_in dst = { .sin_family = AF_INET }, src = { .sin_family = AF_INET };
	struct lb_health_timing tm;

	hp->cfg = c;
	hp->url = ref->url;
	hp->target = ref->target;
	dst.sin_addr.s_addr = htonl(c->connect_ip ? c->connect_ip : t->rs.addr);
	dst.sin_port = htons(c->connect_port ? c->connect_port : t->rs.port);
	src.sin_addr.s_addr = htonl(c->bind_to);
	tm.delay_loop = c->timing.delay_loop_ms * MS;
	tm.connect_timeout = c->timing.connect_timeout_ms * MS;
	tm.delay_before_retry = c->timing.delay_before_retry_ms * MS;
	tm.warmup = c->timing.warmup_ms * MS;
	tm.retry = c->timing.retry;
	tm.alpha = lb_hm.svcs[t->svc].alpha;
	if (c->type == LB_CHECK_MISC) {
		hp->misc.cmd = c->misc_path;
		hp->misc.dynamic = c->misc_dynamic;
		return lb_health_probe_init_misc(&hp->p, &hp->misc, (struct sockaddr *)&dst,
						 sizeof(dst), &t->hrs, &tm, now, (uint32_t)random());
	}
	if (c->type == LB_CHECK_HTTP) {
		const struct lb_cfg_check_url *u = &c->urls[ref->url];

		hp->http.proto = (enum lb_health_http_proto)c->http_proto;
		hp->http.path = u->path;
		hp->http.vhost = c->virtualhost[0] != '\0' ? c->virtualhost : NULL;
		hp->http.digest = u->digest[0] != '\0' ? u->digest : NULL;
		hp->http.tls = c->tls;
		hp->http.sni = c->enable_sni ? c->virtualhost : NULL;
		lb_health_http_codes_default(&hp->http.codes);
		if (u->status_code[0] != '\0') {
			memset(&hp->http.codes, 0, sizeof(hp->http.codes));
			lb_health_http_codes_parse(&hp->http.codes, u->status_code);
		}
	}
	return lb_health_probe_init(&hp->p, c->type == LB_CHECK_HTTP ? LB_HEALTH_PROBE_HTTP :
				    LB_HEALTH_PROBE_TCP, (struct sockaddr *)&dst, sizeof(dst),
				    c->bind_to ? (struct sockaddr *)&src : NULL,
				    c->bind_to ? sizeof(src) : 0,
				    c->type == LB_CHECK_HTTP ? &hp->http : NULL, &t->hrs, &tm, now,
				    (uint32_t)random());
}

static int
build_probes(uint64_t now)
{
	const struct lb_config *cfg = lb_hm.running;
	struct probe_ref *refs;
	unsigned int i, u, n = 0;
	int t, rc = 0;

	for (i = 0; i < cfg->nb_checks; i++)
		n += cfg->checks[i].type == LB_CHECK_HTTP ? cfg->checks[i].nb_urls : 1;
	refs = calloc(n ? n : 1, sizeof(*refs));
	lb_hm.probes = calloc(n ? n : 1, sizeof(*lb_hm.probes));
	lb_hm.pp = calloc(n ? n : 1, sizeof(*lb_hm.pp));
	if (refs == NULL || lb_hm.probes == NULL || lb_hm.pp == NULL) {
		free(refs);
		return -ENOMEM;
	}
	n = 0;
	for (i = 0; i < cfg->nb_checks; i++) {
		t = target_of(&cfg->checks[i]);
		if (t < 0)
			continue;
		for (u = 0; u < (cfg->checks[i].type == LB_CHECK_HTTP ?
				 cfg->checks[i].nb_urls : 1); u++)
			refs[n++] = (struct probe_ref){ (unsigned int)t, i, u };
	}
	qsort(refs, n, sizeof(*refs), cmp_ref);
	for (i = 0; i < n && rc == 0; i++) {
		struct target *tg = &lb_hm.targets[refs[i].target];

		if (tg->nb == 0)
			tg->first = i;
		tg->nb++;
		rc = init_probe(&lb_hm.probes[i], &refs[i], now);
		lb_hm.pp[i] = &lb_hm.probes[i].p;
		lb_hm.nb_probes = i + 1;
	}
	free(refs);
	return rc;
}

/* Real servers dead before a reload. */
static struct lb_cfg_rs_key *carried;
static unsigned int nb_carried;

/* Was t dead before the reload? */
static bool
carried_dead(const struct target *t)
{
	unsigned int i;

	for (i = 0; i < nb_carried; i++)
		if (lb_cfg_rs_key_eq(&carried[i], &t->key))
			return true;
	return false;
}

/* Start t's checkers down, as if they had failed (a reload's carried state). */
static void
start_dead(struct target *t, uint64_t now)
{
	unsigned int p;

	for (p = t->first; p < t->first + t->nb; p++) {
		struct lb_health_checker *c = &lb_hm.probes[p].p.chk;

		if (c->is_up) {
			c->is_up = false;
			t->hrs.nb_failed++;
		}
		c->has_run = true;
		c->last_change = now;
		snprintf(c->last_error, sizeof(c->last_error), "down before the reload");
	}
	t->hrs.alive = t->hrs.nb_failed == 0;
}

int
lb_health_monitor_reload(uint64_t now_us)
{
	struct lb_config *running = lb_hm.running;
	lb_health_publish_fn publish = lb_hm.publish;
	lb_health_fails_fn fails = lb_hm.fails;
	unsigned int i;
	int rc;

	carried = calloc(lb_hm.nb_targets ? lb_hm.nb_targets : 1, sizeof(*carried));
	nb_carried = 0;
	for (i = 0; carried != NULL && i < lb_hm.nb_targets; i++) {
		if (!lb_hm_alive(&lb_hm.targets[i]))
			carried[nb_carried++] = lb_hm.targets[i].key;
	}
	lb_health_monitor_term();
	rc = lb_health_monitor_init(running, publish, fails, now_us);
	free(carried);
	carried = NULL;
	nb_carried = 0;
	return rc;
}

int
lb_health_monitor_init(struct lb_config *running, lb_health_publish_fn publish,
		       lb_health_fails_fn fails, uint64_t now_us)
{
	struct lb_health_q_action act;
	unsigned int i, k;
	int rc;

	memset(&lb_hm, 0, sizeof(lb_hm));
	lb_hm.running = running;
	lb_hm.publish = publish;
	lb_hm.fails = fails;
	srandom((unsigned int)now_us);
	lb_hm.set.epfd = -1;
	rc = build_targets(running);
	if (rc == 0)
		rc = build_probes(now_us);
	if (rc == 0)
		rc = lb_health_set_init(&lb_hm.set, lb_hm.pp, lb_hm.nb_probes);
	if (rc != 0) {
		lb_health_monitor_term();
		return rc;
	}
	for (i = 0; i < lb_hm.nb_svcs; i++) {
		struct hsvc *s = &lb_hm.svcs[i];
		const struct lb_cfg_service *svc = running_svc(s);

		/* alpha (or dead before a reload): out of the pool until a check passes */
		for (k = s->first; k < s->first + s->nb; k++) {
			if (lb_hm.targets[k].nb > 0 && carried_dead(&lb_hm.targets[k]))
				start_dead(&lb_hm.targets[k], now_us);
			if (!lb_hm.targets[k].hrs.alive)
				pool_fail(s, &lb_hm.targets[k].rs);
		}
		lb_health_quorum_init(&s->q, svc->quorum, svc->hysteresis, s->has_sorry,
				      lb_hm_live_weight(s), &act);
		apply_quorum(s, &act);
	}
	publish_now();
	if (lb_hm.nb_probes > 0)
		LOG(INFO, "%u checker(s) on %u real server(s) of %u service(s)", lb_hm.nb_probes,
		    lb_hm.nb_targets, lb_hm.nb_svcs);
	return 0;
}

unsigned int
lb_health_monitor_poll(uint64_t now_us)
{
	if (lb_hm.nb_probes == 0 || now_us - lb_hm.last_poll < POLL_EVERY_US)
		return 0;
	lb_hm.last_poll = now_us;
	lb_hm.changes = 0;
	lb_health_script_reap_detached();
	lb_health_set_poll(&lb_hm.set, now_us, on_event, NULL);
	if (now_us >= lb_hm.next_backoffs) {
		bool count = now_us >= lb_hm.next_passive;

		if (count)
			lb_hm.next_passive = now_us + 1000000;
		lb_hm.next_backoffs = now_us + BACKOFF_LOOK_US;
		lb_hm_passive_scan(now_us, count);
	}
	publish_now();
	return lb_hm.changes;
}

void
lb_health_monitor_term(void)
{
	struct lb_health_event ev;
	char ep[24], sv[32];
	unsigned int i;

	if (lb_hm.set.epfd >= 0)
		lb_health_set_term(&lb_hm.set);
	for (i = 0; i < lb_hm.nb_probes; i++)
		lb_health_probe_close(&lb_hm.probes[i].p);
	for (i = 0; i < lb_hm.nb_targets; i++) {
		struct target *t = &lb_hm.targets[i];
		const struct hsvc *s = &lb_hm.svcs[t->svc];

		if (!lb_health_rs_shutdown(&t->hrs, s->omega, &ev))
			continue;
		LOG(NOTICE, "omega: real server %s of %s is DOWN (%s)",
		    lb_hm_ep_str(t->rs.addr, t->rs.port, ep, sizeof(ep)),
		    lb_hm_svc_str(s, sv, sizeof(sv)), ev.reason);
		if (t->notify != NULL)
			run_script(t->notify->down, "notify_down");
	}
	free(lb_hm.probes);
	free(lb_hm.pp);
	free(lb_hm.targets);
	free(lb_hm.svcs);
	memset(&lb_hm, 0, sizeof(lb_hm));
	lb_hm.set.epfd = -1;
}

