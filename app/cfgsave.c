/* SPDX-License-Identifier: BSD-3-Clause */
/* `config save`: the running config as the file should say it. See cfgsave.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/cfgsave.h"
#include "app/reload.h"
#include "config/save.h"
#include "health/monitor.h"
#include "vrrp/instance.h"

int
lb_cfgsave_run(const char *dst, FILE *out)
{
	bool keepalived = false;
	struct lb_config *run = lb_reload_running(&keepalived), *want;
	unsigned int i, prio;
	int rc;

	if (run == NULL || run->path[0] == '\0') {
		fprintf(out, "error: config save: dplb runs from no file\n");
		return -EINVAL;
	}
	if (keepalived) {
		fprintf(out, "error: config save: dplb runs from a keepalived.conf (-k %s); only a "
			"native config (-f) can be saved (ipvsadm -S, show config print the "
			"running rules)\n", run->path);
		return -EINVAL;
	}
	if (dst != NULL && dst[0] != '/') {
		fprintf(out, "error: config save: '%s' is not an absolute path (dplb's working "
			"directory is not the caller's)\n", dst);
		return -EINVAL;
	}
	want = malloc(sizeof(*want));
	if (want == NULL)
		return -ENOMEM;
	*want = *run;		/* shallow; the services are copied */
	want->services = malloc((run->nb_services ? run->nb_services : 1) *
				sizeof(*want->services));
	if (want->services == NULL) {
		free(want);
		return -ENOMEM;
	}
	if (run->nb_services != 0)
		memcpy(want->services, run->services, run->nb_services * sizeof(*want->services));
	lb_health_monitor_configured(want);
	for (i = 0; i < want->nb_vrrp; i++)
		if (lb_vrrp_get_priority(want->vrrp[i].name, &prio) == 0)
			want->vrrp[i].priority = (uint8_t)prio;
	rc = lb_cfg_save_file(run->path, dst, want, out);
	free(want->services);
	free(want);
	return rc;
}
