/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fragment the routing daemon reads: its text (pure) and its atomic
 * replacement on disk. See announce_priv.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "announce/announce_priv.h"

int
lb_announce_render(enum lb_announce_format f, const struct lb_announce_vip *v, unsigned int n,
		   char *buf, size_t len)
{
	const char *line = f == LB_ANNOUNCE_BIRD ? "route %s/32 blackhole;\n" : "%s/32\n";
	size_t used;
	unsigned int i;
	char s[16];
	int w;

	w = snprintf(buf, len, "# written by dplb: the VIPs to announce (%s); do not edit\n",
		     f == LB_ANNOUNCE_BIRD ? "include it in a BIRD static protocol" :
		     "one prefix a line");
	if (w < 0 || (size_t)w >= len)
		return -ENOSPC;
	used = (size_t)w;
	for (i = 0; i < n; i++) {
		if (!v[i].up)
			continue;
		w = snprintf(buf + used, len - used, line, lb_ipv4_str(v[i].vip, s, sizeof(s)));
		if (w < 0 || (size_t)w >= len - used)
			return -ENOSPC;
		used += (size_t)w;
	}
	return (int)used;
}

int
lb_announce_write(const char *path, const char *text, size_t len)
{
	char tmp[LB_CHECK_PATH_LEN + 8];
	ssize_t w;
	int fd, rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (len > 0 && rc == 0) {
		w = write(fd, text, len);
		if (w < 0 && errno != EINTR)
			rc = -errno;
		else if (w > 0) {
			text += w;
			len -= (size_t)w;
		}
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	return rc;
}
