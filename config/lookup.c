/* SPDX-License-Identifier: BSD-3-Clause */
/* Finding services, real servers and what hangs on them by key. See config.h. */
#include <string.h>

#include "config/config.h"

struct lb_cfg_service *
lb_cfg_find_service(const struct lb_config *cfg, uint8_t proto, uint32_t vip, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_services; i++)
		if (cfg->services[i].proto == proto && cfg->services[i].vip == vip &&
		    cfg->services[i].port == port)
			return &cfg->services[i];
	return NULL;
}

int
lb_cfg_find_vrrp(const struct lb_config *cfg, const char *name)
{
	unsigned int k;

	for (k = 0; name != NULL && k < cfg->nb_vrrp; k++)
		if (strcmp(cfg->vrrp[k].name, name) == 0)
			return (int)k;
	return -1;
}

int
lb_cfg_find_rs(const struct lb_cfg_service *svc, uint32_t addr, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < svc->nb_rs; i++)
		if (svc->rs[i].addr == addr && svc->rs[i].port == port)
			return (int)i;
	return -1;
}

void
lb_cfg_rs_key_set(struct lb_cfg_rs_key *k, const struct lb_cfg_service *svc,
		  const struct lb_cfg_rs *rs)
{
	memset(k, 0, sizeof(*k));	/* configs compare equal byte for byte */
	k->proto = svc->proto;
	k->vip = svc->vip;
	k->vport = svc->port;
	k->rs_addr = rs->addr;
	k->rs_port = rs->port;
}

bool
lb_cfg_rs_key_eq(const struct lb_cfg_rs_key *a, const struct lb_cfg_rs_key *b)
{
	return a->proto == b->proto && a->vip == b->vip && a->vport == b->vport &&
	       a->rs_addr == b->rs_addr && a->rs_port == b->rs_port;
}

bool
lb_cfg_rs_key_in(const struct lb_cfg_rs_key *k, const struct lb_cfg_service *svc)
{
	return k->proto == svc->proto && k->vip == svc->vip && k->vport == svc->port;
}

bool
lb_cfg_check_of(const struct lb_cfg_check *c, const struct lb_cfg_service *svc,
		const struct lb_cfg_rs *rs)
{
	struct lb_cfg_rs_key k;

	lb_cfg_rs_key_set(&k, svc, rs);
	return lb_cfg_rs_key_eq(&c->key, &k);
}

const struct lb_cfg_notify *
lb_cfg_notify_of(const struct lb_config *cfg, const struct lb_cfg_service *svc,
		 const struct lb_cfg_rs *rs)
{
	struct lb_cfg_rs_key k;
	unsigned int i;

	lb_cfg_rs_key_set(&k, svc, rs);
	for (i = 0; i < cfg->nb_notifies; i++)
		if (lb_cfg_rs_key_eq(&cfg->notifies[i].key, &k))
			return &cfg->notifies[i];
	return NULL;
}
