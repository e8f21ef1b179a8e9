/* SPDX-License-Identifier: BSD-3-Clause */
/* Clean-up of EAL's runtime directory for test and benchmark programs. */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "test/eal_scratch.h"

void
lb_test_eal_scratch_remove(const char *prefix)
{
	char dir[128], path[512];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/var/run/dpdk/%s", prefix);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}
