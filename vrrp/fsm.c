/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP instance state machine (see fsm.h). Follows RFC 5798 section 6.4
 * for both versions, with keepalived's choices where the RFC leaves room:
 * a master that hears a lower priority sends an advert at once ("forcing
 * new election"), priority 0 is sent on shutdown and on fault, and
 * preempt_delay counts from the first lower-priority advert heard in
 * BACKUP.
 */
#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "vrrp/fsm.h"

#define US_PER_CS 10000ull

static uint64_t
adver_us(const struct lb_vrrp_fsm *fsm)
{
	return fsm->cfg.adver_int_cs * US_PER_CS;
}

uint64_t
lb_vrrp_fsm_skew_us(const struct lb_vrrp_fsm *fsm)
{
	uint64_t weight = 256u - fsm->priority;

	/* v3: ((256 - Priority) * Master_Adver_Interval) / 256 centiseconds;
	 * v2: (256 - Priority) / 256 seconds. */
	if (fsm->cfg.version == 3)
		return weight * fsm->master_adver_cs * US_PER_CS / 256;
	return weight * 1000000ull / 256;
}

uint64_t
lb_vrrp_fsm_master_down_us(const struct lb_vrrp_fsm *fsm)
{
	return 3 * fsm->master_adver_cs * US_PER_CS + lb_vrrp_fsm_skew_us(fsm);
}

static bool
cfg_valid(const struct lb_vrrp_fsm_cfg *cfg)
{
	return (cfg->version == 2 || cfg->version == 3) && cfg->priority != 0 &&
	       cfg->adver_int_cs != 0 &&
	       cfg->adver_int_cs <= (cfg->version == 2 ? 25500u : 0x0fffu) &&
	       (cfg->version == 3 || cfg->adver_int_cs % 100 == 0);
}

int
lb_vrrp_fsm_init(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_cfg *cfg)
{
	if (!cfg_valid(cfg))
		return -EINVAL;
	memset(fsm, 0, sizeof(*fsm));
	fsm->cfg = *cfg;
	fsm->state = LB_VRRP_STATE_INIT;
	fsm->priority = cfg->priority;
	fsm->master_adver_cs = cfg->adver_int_cs;
	return 0;
}

static void
stop_timers(struct lb_vrrp_fsm *fsm)
{
	fsm->adver_at = 0;
	fsm->master_down_at = 0;
	fsm->preempt_at = 0;
}

static unsigned int
to_master(struct lb_vrrp_fsm *fsm, uint64_t now)
{
	stop_timers(fsm);
	fsm->state = LB_VRRP_STATE_MASTER;
	fsm->adver_at = now + adver_us(fsm);
	return LB_VRRP_ACT_SEND_ADVERT | LB_VRRP_ACT_BECOME_MASTER;
}

static void
to_backup(struct lb_vrrp_fsm *fsm, uint64_t now)
{
	stop_timers(fsm);
	fsm->state = LB_VRRP_STATE_BACKUP;
	fsm->master_adver_cs = fsm->cfg.adver_int_cs;
	fsm->master_down_at = now + lb_vrrp_fsm_master_down_us(fsm);
}

/* Startup, or leaving FAULT: the owner is master at once, others backup. */
static unsigned int
start(struct lb_vrrp_fsm *fsm, uint64_t now)
{
	if (fsm->priority == 255)
		return to_master(fsm, now);
	to_backup(fsm, now);
	return 0;
}

/* Leave the current state for INIT or FAULT; a master resigns first. */
static unsigned int
stop(struct lb_vrrp_fsm *fsm, enum lb_vrrp_state next)
{
	unsigned int act = 0;

	if (fsm->state == LB_VRRP_STATE_MASTER)
		act = LB_VRRP_ACT_SEND_PRIO0 | LB_VRRP_ACT_LEAVE_MASTER;
	stop_timers(fsm);
	fsm->state = next;
	fsm->master_adver_cs = fsm->cfg.adver_int_cs;
	return act;
}

/* In BACKUP, may an advert of lower priority still hold us back? */
static bool
preempt_held(struct lb_vrrp_fsm *fsm, uint64_t now)
{
	if (fsm->cfg.preempt_delay_ms == 0)
		return false;
	if (fsm->preempt_at == 0)
		fsm->preempt_at = now + fsm->cfg.preempt_delay_ms * 1000ull;
	return now < fsm->preempt_at;
}

static unsigned int
backup_rx(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_input *in, uint64_t now)
{
	if (in->priority == 0) {
		fsm->master_down_at = now + lb_vrrp_fsm_skew_us(fsm);
		return 0;
	}
	if ((fsm->cfg.nopreempt && fsm->priority != 255) || in->priority >= fsm->priority ||
	    preempt_held(fsm, now)) {
		if (fsm->cfg.version == 3 && in->adver_int_cs != 0)
			fsm->master_adver_cs = in->adver_int_cs;
		fsm->master_down_at = now + lb_vrrp_fsm_master_down_us(fsm);
	}
	/* else: discard, the Master_Down_Timer runs out and we preempt */
	return 0;
}

static unsigned int
master_rx(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_input *in, uint64_t now)
{
	uint32_t theirs = rte_be_to_cpu_32(in->saddr);
	uint32_t ours = rte_be_to_cpu_32(fsm->cfg.primary);

	if (theirs == ours)
		return 0;	/* our own advert looped back */
	if (in->priority > fsm->priority ||
	    (in->priority == fsm->priority && theirs > ours)) {
		to_backup(fsm, now);
		if (fsm->cfg.version == 3 && in->adver_int_cs != 0) {
			fsm->master_adver_cs = in->adver_int_cs;
			fsm->master_down_at = now + lb_vrrp_fsm_master_down_us(fsm);
		}
		return LB_VRRP_ACT_LEAVE_MASTER;
	}
	/* priority 0 (a backup wants us to speak) or a lower one: advert now */
	fsm->adver_at = now + adver_us(fsm);
	return LB_VRRP_ACT_SEND_ADVERT;
}

static unsigned int
set_priority(struct lb_vrrp_fsm *fsm, uint8_t prio, uint64_t now)
{
	if (prio == 0)
		prio = 1;
	if (prio == fsm->priority)
		return 0;
	fsm->priority = prio;
	if (fsm->state != LB_VRRP_STATE_MASTER)
		return 0;
	fsm->adver_at = now + adver_us(fsm);
	return LB_VRRP_ACT_SEND_ADVERT;
}

unsigned int
lb_vrrp_fsm_input(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_input *in, uint64_t now)
{
	enum lb_vrrp_state s = fsm->state;

	switch (in->ev) {
	case LB_VRRP_EV_STARTUP:
		return s == LB_VRRP_STATE_INIT ? start(fsm, now) : 0;
	case LB_VRRP_EV_IF_UP:
		return s == LB_VRRP_STATE_FAULT ? start(fsm, now) : 0;
	case LB_VRRP_EV_IF_DOWN:
		return s == LB_VRRP_STATE_FAULT ? 0 : stop(fsm, LB_VRRP_STATE_FAULT);
	case LB_VRRP_EV_SHUTDOWN:
		return s == LB_VRRP_STATE_INIT ? 0 : stop(fsm, LB_VRRP_STATE_INIT);
	case LB_VRRP_EV_ADVERT:
		if (s == LB_VRRP_STATE_BACKUP)
			return backup_rx(fsm, in, now);
		return s == LB_VRRP_STATE_MASTER ? master_rx(fsm, in, now) : 0;
	case LB_VRRP_EV_MASTER_DOWN:
		return s == LB_VRRP_STATE_BACKUP ? to_master(fsm, now) : 0;
	case LB_VRRP_EV_ADVER_TIMER:
		if (s != LB_VRRP_STATE_MASTER)
			return 0;
		fsm->adver_at = now + adver_us(fsm);
		return LB_VRRP_ACT_SEND_ADVERT;
	case LB_VRRP_EV_PRIORITY:
		return set_priority(fsm, in->priority, now);
	case LB_VRRP_EV_SYNC_MASTER:
		return s == LB_VRRP_STATE_BACKUP ? to_master(fsm, now) : 0;
	case LB_VRRP_EV_SYNC_BACKUP:
		if (s != LB_VRRP_STATE_MASTER)
			return 0;
		to_backup(fsm, now);	/* resign at once: the peer takes the group over */
		return LB_VRRP_ACT_SEND_PRIO0 | LB_VRRP_ACT_LEAVE_MASTER;
	}
	return 0;
}

int
lb_vrrp_fsm_reconfig(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_cfg *cfg, uint64_t now)
{
	bool interval = cfg->adver_int_cs != fsm->cfg.adver_int_cs;

	if (!cfg_valid(cfg) || cfg->version != fsm->cfg.version)
		return -EINVAL;
	if (cfg->nopreempt != fsm->cfg.nopreempt ||
	    cfg->preempt_delay_ms != fsm->cfg.preempt_delay_ms)
		fsm->preempt_at = 0;	/* a running preempt_delay starts over */
	fsm->cfg = *cfg;
	if (!interval)
		return 0;
	if (fsm->state == LB_VRRP_STATE_MASTER) {
		fsm->adver_at = now + adver_us(fsm);
	} else if (fsm->state == LB_VRRP_STATE_BACKUP && fsm->cfg.version == 2) {
		fsm->master_adver_cs = cfg->adver_int_cs;	/* v3 learns the master's */
		fsm->master_down_at = now + lb_vrrp_fsm_master_down_us(fsm);
	} else if (fsm->state != LB_VRRP_STATE_BACKUP) {
		fsm->master_adver_cs = cfg->adver_int_cs;
	}
	return 0;
}

unsigned int
lb_vrrp_fsm_poll(struct lb_vrrp_fsm *fsm, uint64_t now)
{
	struct lb_vrrp_fsm_input in = { .ev = LB_VRRP_EV_ADVER_TIMER };

	if (fsm->master_down_at != 0 && now >= fsm->master_down_at)
		in.ev = LB_VRRP_EV_MASTER_DOWN;
	else if (fsm->adver_at == 0 || now < fsm->adver_at)
		return 0;
	return lb_vrrp_fsm_input(fsm, &in, now);
}

uint64_t
lb_vrrp_fsm_deadline(const struct lb_vrrp_fsm *fsm)
{
	if (fsm->adver_at == 0)
		return fsm->master_down_at;
	if (fsm->master_down_at == 0)
		return fsm->adver_at;
	return fsm->adver_at < fsm->master_down_at ? fsm->adver_at : fsm->master_down_at;
}

const char *
lb_vrrp_state_name(enum lb_vrrp_state s)
{
	static const char *const names[] = {
		[LB_VRRP_STATE_INIT] = "INIT",
		[LB_VRRP_STATE_BACKUP] = "BACKUP",
		[LB_VRRP_STATE_MASTER] = "MASTER",
		[LB_VRRP_STATE_FAULT] = "FAULT",
	};

	return (unsigned int)s < RTE_DIM(names) ? names[s] : "?";
}
