/* SPDX-License-Identifier: BSD-3-Clause */
/* Finding a service and a real server in a config by their keys. See config.h. */
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
lb_cfg_find_rs(const struct lb_cfg_service *svc, uint32_t addr, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < svc->nb_rs; i++)
		if (svc->rs[i].addr == addr && svc->rs[i].port == port)
			return (int)i;
	return -1;
}
