/*
 * fileio.c - whole-file reads and atomic writes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int
file_read_all(const char *path, size_t maxlen, char **data, size_t *len,
    struct err *e)
{
	char	*p = NULL, *np;
	size_t	 n = 0, cap = 0;
	ssize_t	 r;
	int	 fd, rc = -1;

	*data = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((np = realloc(p, cap + 1)) == NULL) {
				err_set(e, "%s: out of memory", path);
				goto out;
			}
			p = np;
		}
		r = read(fd, p + n, cap - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			err_set(e, "%s: read: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > maxlen) {
			err_set(e, "%s: larger than the limit of %zu bytes",
			    path, maxlen);
			goto out;
		}
	}
	if (p == NULL && (p = malloc(1)) == NULL) {
		err_set(e, "%s: out of memory", path);
		goto out;
	}
	p[n] = '\0';
	*data = p;
	*len = n;
	p = NULL;
	rc = 0;
 out:
	if (fd != STDIN_FILENO)
		close(fd);
	free(p);
	return rc;
}

int
atomic_open(struct atomic_file *af, const char *path, struct err *e)
{
	int	 fd;
	size_t	 n;

	memset(af, 0, sizeof(*af));
	if (strcmp(path, "-") == 0) {
		af->fp = stdout;
		return 0;
	}
	n = strlen(path) + sizeof(".tmp.XXXXXX");
	if ((af->path = strdup(path)) == NULL ||
	    (af->tmppath = malloc(n)) == NULL)
		goto oom;
	snprintf(af->tmppath, n, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(af->tmppath)) == -1) {
		err_set(e, "%s: cannot create temporary file: %s", path,
		    strerror(errno));
		goto fail;
	}
	fchmod(fd, 0644);
	if ((af->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(af->tmppath);
		goto oom;
	}
	return 0;
 oom:
	err_set(e, "%s: out of memory", path);
 fail:
	free(af->path);
	free(af->tmppath);
	memset(af, 0, sizeof(*af));
	return -1;
}

int
atomic_commit(struct atomic_file *af, struct err *e)
{
	int rc = -1;

	if (af->tmppath == NULL) {
		if (fflush(af->fp) == EOF || ferror(af->fp))
			return err_set(e, "standard output: write error: %s",
			    strerror(errno));
		return 0;
	}
	if (fflush(af->fp) == EOF || ferror(af->fp) ||
	    fsync(fileno(af->fp)) == -1) {
		err_set(e, "%s: write error: %s", af->path, strerror(errno));
		atomic_abort(af);
		return -1;
	}
	if (fclose(af->fp) == EOF) {
		err_set(e, "%s: write error: %s", af->path, strerror(errno));
		unlink(af->tmppath);
	} else if (rename(af->tmppath, af->path) == -1) {
		err_set(e, "%s: rename: %s", af->path, strerror(errno));
		unlink(af->tmppath);
	} else
		rc = 0;
	free(af->path);
	free(af->tmppath);
	memset(af, 0, sizeof(*af));
	return rc;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->tmppath != NULL) {
		fclose(af->fp);
		unlink(af->tmppath);
	}
	free(af->path);
	free(af->tmppath);
	memset(af, 0, sizeof(*af));
}

int
mkdirs(const char *path, struct err *e)
{
	char	 p[PATH_MAX];
	size_t	 i, n;

	n = strlen(path);
	if (n == 0 || n >= sizeof(p))
		return err_set(e, "%s: bad directory name", path);
	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			return err_set(e, "mkdir %s: %s", p, strerror(errno));
		if (i < n)
			p[i] = '/';
	}
	return 0;
}
