/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The announce module on the control lcore: judge, write, reload, and the
 * shutdown that withdraws first. See announce.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <rte_log.h>

#include "announce/announce.h"
#include "announce/announce_priv.h"
#include "app/lcore.h"
#include "health/misc.h"
#include "health/monitor.h"
#include "vrrp/fsm.h"
#include "vrrp/instance.h"

RTE_LOG_REGISTER_SUFFIX(lb_announce_logtype, announce, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_announce_logtype, "dplb: announce: " fmt "\n", ##__VA_ARGS__)

#define MS 1000ull
#define RETRY_US (1000 * MS)	/* a failed reload is tried again after */
#define TEXT_MAX 4096

volatile bool lb_announce_active;
volatile bool lb_announce_stop_requested;

enum busy { IDLE = 0, BIRD, COMMAND };

static struct {
	const struct lb_config *cfg;
	const struct lb_cfg_announce *a;
	struct lb_announce_vip vips[LB_ANNOUNCE_MAX_VIPS];	/* the last judgement */
	unsigned int nb;
	char text[TEXT_MAX];		/* the fragment on disk */
	int text_len;
	uint64_t gen;			/* fragments written */
	uint64_t confirmed_gen;		/* the last one the daemon took */
	enum busy busy;
	uint64_t busy_gen;		/* the fragment the running reload is for */
	struct lb_bird_req bird;
	pid_t pid;
	uint64_t started, deadline;
	uint64_t next_eval, retry_at;
	char reply[128];		/* the daemon's last answer */
	bool reply_ok;
	uint64_t reply_us, reply_at;	/* how long it took, when */
	uint64_t reloads_ok, reloads_failed;
	unsigned int fail_streak;	/* failed reloads in a row: the first is logged */
	bool stopping;
	uint64_t withdrawn_at;		/* the empty set was reloaded (or given up on) */
} an;

/* 1 when svc may serve: enabled, live weight, and the monitor's quorum. */
static int
quorum_of(const struct lb_cfg_service *svc)
{
	uint64_t w = 0;
	unsigned int i;
	int q;

	if (svc->flags & LB_SVC_F_DISABLED)
		return 0;
	for (i = 0; i < svc->nb_rs; i++)
		w += svc->rs[i].weight;
	q = lb_health_quorum_state(svc->proto, svc->vip, svc->port);
	if (q >= 0)
		return q > 0 && w > 0;	/* lost with a sorry server serving: withdrawn */
	return w >= (svc->quorum > 0 ? svc->quorum : 1);
}

static const struct lb_announce_vip *
previous(const struct lb_announce_vip *old, unsigned int n, uint32_t vip)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (old[i].vip == vip)
			return &old[i];
	return NULL;
}

/* Judge every VIP; log what changed. */
static void
judge(void)
{
	struct lb_announce_vip old[LB_ANNOUNCE_MAX_VIPS];
	struct lb_announce_input in = { .quorum = quorum_of, .stopping = an.stopping };
	unsigned int i, nold = an.nb;
	char s[16];
	int st;

	if (an.a->vrrp_instance[0] != '\0') {
		st = lb_vrrp_instance_state(an.a->vrrp_instance);
		in.vrrp_state = st < 0 ? "gone" : lb_vrrp_state_name((enum lb_vrrp_state)st);
		in.vrrp_master = st == LB_VRRP_STATE_MASTER;
	}
	memcpy(old, an.vips, sizeof(old[0]) * nold);
	an.nb = lb_announce_select(an.cfg, an.a, &in, an.vips, LB_ANNOUNCE_MAX_VIPS);
	for (i = 0; i < an.nb; i++) {
		const struct lb_announce_vip *o = previous(old, nold, an.vips[i].vip);

		if (o != NULL ? o->up != an.vips[i].up : an.vips[i].up)
			LOG(NOTICE, "%s %s (%s)", lb_ipv4_str(an.vips[i].vip, s, sizeof(s)),
			    an.vips[i].up ? "announced" : "withdrawn", an.vips[i].why);
	}
}

/* Write the fragment when it changed. 0, or -errno (logged). */
static int
write_fragment(void)
{
	char text[TEXT_MAX];
	int len, rc;

	len = lb_announce_render(an.a->format, an.vips, an.nb, text, sizeof(text));
	if (len < 0) {
		LOG(ERR, "the fragment for %u VIPs does not fit %d bytes", an.nb, TEXT_MAX);
		return len;
	}
	if (an.gen > 0 && len == an.text_len && memcmp(text, an.text, (size_t)len) == 0)
		return 0;
	rc = lb_announce_write(an.a->file, text, (size_t)len);
	if (rc != 0) {
		LOG(ERR, "cannot write %s: %s; the routing daemon keeps the previous VIPs",
		    an.a->file, strerror(-rc));
		return rc;
	}
	memcpy(an.text, text, (size_t)len);
	an.text_len = len;
	an.gen++;
	return 0;
}

/* A reload failed: retry later, log the first of a streak. */
static void
failed(uint64_t now)
{
	an.reloads_failed++;
	an.retry_at = now + RETRY_US;
	if (an.fail_streak++ == 0)
		LOG(WARNING, "reload failed: %s; trying again every second", an.reply);
	else
		LOG(DEBUG, "reload failed again (%u in a row): %s", an.fail_streak, an.reply);
}

static void
start_reload(uint64_t now)
{
	int rc;

	an.started = now;
	an.deadline = now + (uint64_t)an.a->timeout_ms * MS;
	an.busy_gen = an.gen;
	if (an.a->bird_socket[0] != '\0') {
		rc = lb_bird_start(&an.bird, an.a->bird_socket, "configure");
		an.busy = BIRD;
		if (rc != 0) {
			an.busy = IDLE;
			snprintf(an.reply, sizeof(an.reply), "%s", an.bird.reply);
		}
	} else {
		rc = lb_health_script_spawn(an.a->command, &an.pid);
		an.busy = COMMAND;
		if (rc != 0) {
			an.busy = IDLE;
			snprintf(an.reply, sizeof(an.reply), "cannot run command: %s",
				 strerror(-rc));
		}
	}
	if (rc != 0) {
		an.reply_ok = false;
		an.reply_at = now;
		failed(now);
	}
}

/* Move a running reload on; 1 when it ended now. */
static unsigned int
progress(uint64_t now)
{
	int rc, code = 0;

	if (an.busy == BIRD) {
		rc = lb_bird_step(&an.bird);
		if (rc == 1 && now >= an.deadline) {
			lb_bird_abort(&an.bird);
			snprintf(an.bird.reply, sizeof(an.bird.reply), "no answer from BIRD in %u ms",
				 an.a->timeout_ms);
			rc = -1;
		}
		if (rc == 1)
			return 0;
		snprintf(an.reply, sizeof(an.reply), "%s", an.bird.reply);
	} else {
		rc = lb_health_script_wait(an.pid, now, an.deadline, &code, an.reply,
					   sizeof(an.reply));
		if (rc == 1)
			return 0;
		if (rc == 0) {
			snprintf(an.reply, sizeof(an.reply), "command exit %d", code);
			rc = code == 0 ? 0 : -1;
		}
	}
	an.busy = IDLE;
	an.reply_ok = rc == 0;
	an.reply_at = now;
	an.reply_us = now - an.started;
	if (rc == 0) {
		an.reloads_ok++;
		an.confirmed_gen = an.busy_gen;
		an.fail_streak = 0;
		LOG(INFO, "daemon reloaded in %.1f ms: %s", an.reply_us / 1000.0, an.reply);
	} else {
		failed(now);
	}
	if (an.stopping && an.busy_gen == an.gen && an.withdrawn_at == 0)
		an.withdrawn_at = now;	/* withdrawn, or the daemon cannot be told */
	return 1;
}

int
lb_announce_init(const struct lb_config *cfg)
{
	int rc;

	memset(&an, 0, sizeof(an));
	lb_bird_req_init(&an.bird);
	if (!cfg->announce.on)
		return 0;
	an.cfg = cfg;
	an.a = &cfg->announce;
	rc = write_fragment();		/* nothing announced before the first judgement */
	if (rc != 0)
		return rc;
	lb_announce_active = true;
	LOG(INFO, "VIPs go to %s, reloaded by %s%s", an.a->file,
	    an.a->bird_socket[0] ? "BIRD's socket " : "command ",
	    an.a->bird_socket[0] ? an.a->bird_socket : an.a->command);
	return 0;
}

unsigned int
lb_announce_poll(uint64_t now)
{
	unsigned int work = 0;

	if (!lb_announce_active)
		return 0;
	if (lb_announce_stop_requested && !an.stopping) {
		an.stopping = true;
		an.next_eval = 0;
		an.retry_at = 0;
		LOG(NOTICE, "stopping: withdrawing the VIPs first (forwarding goes on meanwhile)");
	}
	if (an.busy != IDLE)
		work += progress(now);
	if (now >= an.next_eval) {
		an.next_eval = now + (uint64_t)an.a->interval_ms * MS;
		judge();
		if (write_fragment() != 0 && an.stopping && an.withdrawn_at == 0)
			an.withdrawn_at = now;	/* nothing more can be done */
		work++;
	}
	if (an.busy == IDLE && an.confirmed_gen != an.gen && now >= an.retry_at) {
		start_reload(now);
		work++;
	}
	if (an.stopping && an.busy == IDLE && an.withdrawn_at == 0 && an.confirmed_gen == an.gen)
		an.withdrawn_at = now;
	if (an.stopping && an.withdrawn_at != 0 &&
	    now - an.withdrawn_at >= (uint64_t)an.a->shutdown_delay_ms * MS) {
		LOG(NOTICE, "VIPs withdrawn %.0f ms ago: stopping", (now - an.withdrawn_at) / 1000.0);
		lb_force_quit = true;
	}
	return work;
}

void
lb_announce_term(void)
{
	const struct timespec tick = { 0, 5 * 1000 * 1000 };
	uint64_t end;

	if (lb_announce_active && an.withdrawn_at == 0) {
		lb_announce_stop_requested = true;
		end = lb_health_now_us() + 2 * (uint64_t)an.a->timeout_ms * MS;
		while (an.withdrawn_at == 0 && lb_health_now_us() < end) {
			lb_announce_poll(lb_health_now_us());
			nanosleep(&tick, NULL);
		}
	}
	if (an.busy == BIRD)
		lb_bird_abort(&an.bird);
	else if (an.busy == COMMAND)
		lb_health_script_kill(an.pid);
	lb_announce_active = false;
	memset(&an, 0, sizeof(an));
}

void
lb_announce_show(FILE *out)
{
	uint64_t now = lb_health_now_us();
	unsigned int i;
	char s[16];

	if (!lb_announce_active) {
		fputs("announce: off (no announce group in the config)\n", out);
		return;
	}
	fprintf(out, "announce: %s fragment %s, reloaded by %s%s; every %u ms, require %s%s%s%s\n",
		an.a->format == LB_ANNOUNCE_BIRD ? "BIRD" : "prefixes", an.a->file,
		an.a->bird_socket[0] ? "BIRD socket " : "command ",
		an.a->bird_socket[0] ? an.a->bird_socket : an.a->command, an.a->interval_ms,
		an.a->require_all ? "all" : "any",
		an.a->vrrp_instance[0] ? ", while " : "", an.a->vrrp_instance,
		an.a->vrrp_instance[0] ? " is MASTER" : "");
	for (i = 0; i < an.nb; i++)
		fprintf(out, "  %-15s %-10s %s\n", lb_ipv4_str(an.vips[i].vip, s, sizeof(s)),
			an.vips[i].up ? "announced" : "withdrawn", an.vips[i].why);
	if (an.nb == 0)
		fputs("  (no VIP)\n", out);
	fprintf(out, "daemon: %s; reloads ok %" PRIu64 " failed %" PRIu64 "%s\n",
		an.busy != IDLE ? "reloading" :
		an.confirmed_gen == an.gen ? "up to date" : "not told yet",
		an.reloads_ok, an.reloads_failed, an.stopping ? "; stopping" : "");
	if (an.reply_at != 0)
		fprintf(out, "last answer: \"%s\" (%s, %.1f ms, %.1f s ago)\n", an.reply,
			an.reply_ok ? "ok" : "failed", an.reply_us / 1000.0,
			(now - an.reply_at) / 1e6);
}
