/*
 * fsutil.c - the few file-system operations the generator needs.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repogen.h"

int
fs_write(const char *path, const void *data, size_t len, struct err *e)
{
	const char	*d = data;
	ssize_t		 w;
	int		 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	while (len > 0) {
		w = write(fd, d, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			err_set(e, "%s: write: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		d += w;
		len -= (size_t)w;
	}
	if (close(fd) == -1)
		return err_set(e, "%s: close: %s", path, strerror(errno));
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

int
fs_remove_tree(const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, "%s: %s", path, strerror(errno));
	}
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) == -1)
		return err_set(e, "remove %s: %s", path, strerror(errno));
	return 0;
}

int
fs_set_mtime(const char *path, int64_t t, struct err *e)
{
	struct timespec	 ts[2];

	ts[0].tv_sec = ts[1].tv_sec = (time_t)t;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, 0) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	return 0;
}
