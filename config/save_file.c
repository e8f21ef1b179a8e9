/* SPDX-License-Identifier: BSD-3-Clause */
/* `config save` on files: read, edit (save.c), write atomically. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/save.h"

#define MAX_FILE (16u << 20)	/* a config larger than 16 MB is refused */

/* The whole file at path, NUL-terminated (caller frees); NULL with errno. */
static char *
read_all(const char *path)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE) {
		close(fd);
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf != NULL && len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n <= 0) {
			free(buf);
			buf = NULL;
			errno = n == 0 ? EIO : errno;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

/* Write text to a new file beside target and rename it over target. */
static int
replace(const char *target, const char *text, const struct stat *like)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32];
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd, e = 0;

	snprintf(dir, sizeof(dir), "%s", target);
	snprintf(tmp, sizeof(tmp), "%s/.%s.save-XXXXXX", dirname(dir),
		 strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, like->st_mode & 07777) != 0)
		e = errno;
	if (e == 0 && geteuid() == 0 && fchown(fd, like->st_uid, like->st_gid) != 0)
		e = errno;
	while (e == 0 && off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			e = n < 0 ? errno : EIO;
		else
			off += (size_t)n;
	}
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, target) != 0)
		e = errno;
	if (e != 0)
		unlink(tmp);
	return -e;
}

int
lb_cfg_save_file(const char *src, const char *dst, const struct lb_config *want, FILE *msgs)
{
	char target[PATH_MAX], *text, *out = NULL;
	const char *to = dst != NULL ? dst : src;
	unsigned int changes = 0;
	struct stat st;
	int rc;

	text = read_all(src);
	if (text == NULL) {
		rc = -errno;
		fprintf(msgs, "%s: config save: cannot read: %s; nothing written\n", src,
			strerror(-rc));
		return rc;
	}
	rc = lb_cfg_save_text(src, text, want, &out, &changes, msgs);
	free(text);
	if (rc != 0)
		return rc;
	if (changes == 0 && dst == NULL) {
		fprintf(msgs, "config save: %s already holds the running configuration; "
			"nothing written\n", src);
		free(out);
		return 0;
	}
	/* through a symbolic link to its target; a new file takes src's mode */
	if (realpath(to, target) == NULL)
		snprintf(target, sizeof(target), "%s", to);
	if (stat(target, &st) != 0 && stat(src, &st) != 0)
		st.st_mode = 0644, st.st_uid = geteuid(), st.st_gid = getegid();
	rc = replace(target, out, &st);
	free(out);
	if (rc != 0)
		fprintf(msgs, "%s: config save: cannot write: %s; the file is left as it was\n",
			target, strerror(-rc));
	else
		fprintf(msgs, "config save: %s written (%u edit(s) of %s)\n", target, changes, src);
	return rc;
}
