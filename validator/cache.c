/*
 * cache.c - rsync URIs to files of the local repository copy.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"

/* Whether the n bytes at p are a plain file or directory name. */
static int
part_ok(const char *p, size_t n)
{
	size_t	i;

	if (n == 0 || p[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] > '~' || p[i] == '\\')
			return 0;
	return 1;
}

int
cache_path(const char *root, const char *uri, char *buf, size_t len,
    struct err *e)
{
	const char	*p, *s;
	size_t		 n, parts = 0, ulen = strlen(uri);

	if (strncmp(uri, "rsync://", 8) == 0)
		p = uri + 8;
	else if (strncmp(uri, "https://", 8) == 0)
		p = uri + 8;
	else
		return err_set(e, "%s: want an rsync:// or https:// URI", uri);
	if (ulen > CACHE_URI_MAX)
		return err_set(e, "%.64s...: URI longer than %d bytes", uri,
		    CACHE_URI_MAX);
	for (s = p; *s != '\0'; s += n + (s[n] == '/')) {
		n = strcspn(s, "/");
		if (!part_ok(s, n))
			return err_set(e, "%s: part \"%.*s\" of the URI is not a "
			    "plain name", uri, (int)n, s);
		if (s[n] == '/' && s[n + 1] == '\0')
			return err_set(e, "%s: names a directory, want a file",
			    uri);
		parts++;
	}
	if (parts < 2)
		return err_set(e, "%s: want a host and a path", uri);
	if ((size_t)snprintf(buf, len, "%s/%s", root, p) >= len)
		return err_set(e, "%s: path too long", uri);
	return 0;
}

/*
 * Read the open file fd (of uri, at path) into *data and *len, and close
 * it: cache_read's results.
 */
static int
read_fd(int fd, const char *path, const char *uri, size_t max,
    uint8_t **data, size_t *len, struct err *e)
{
	struct stat	 st;
	uint8_t		*buf;
	size_t		 got = 0;
	ssize_t		 r;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		err_set(e, "%s: %lld bytes, over the limit of %zu", uri,
		    (long long)st.st_size, max);
		return 2;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return err_set(e, "out of memory");
	}
	while (got < (size_t)st.st_size &&
	    (r = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return err_set(e, "%s: %s", path, strerror(errno));
		}
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
}

int
cache_read(const char *root, const char *uri, size_t max, uint8_t **data,
    size_t *len, struct err *e)
{
	return cache_read_at(-1, root, uri, max, data, len, e);
}

int
cache_dir_open(const char *root, const char *dir)
{
	char		 path[CACHE_URI_MAX + 4096], uri[CACHE_URI_MAX + 1];
	struct err	 e;
	size_t		 n = strlen(dir);

	if (n == 0 || dir[n - 1] != '/' || n > CACHE_URI_MAX)
		return -1;
	/* cache_path maps files: give it the directory without its '/'. */
	memcpy(uri, dir, n - 1);
	uri[n - 1] = '\0';
	if (cache_path(root, uri, path, sizeof(path), &e) == -1)
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int
cache_read_at(int dfd, const char *root, const char *uri, size_t max,
    uint8_t **data, size_t *len, struct err *e)
{
	char		 path[CACHE_URI_MAX + 4096];
	const char	*name;
	int		 fd;

	*data = NULL;
	*len = 0;
	if (cache_path(root, uri, path, sizeof(path), e) == -1)
		return -1;
	/* The last part is a plain name: cache_path checked every part. */
	name = strrchr(uri, '/') + 1;
	if (dfd != -1)
		fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		return err_set(e, "%s: %s", path, strerror(errno));
	}
	return read_fd(fd, path, uri, max, data, len, e);
}

int
cache_uri_in(const char *uri, const char *dir)
{
	size_t	n = strlen(dir);

	if (n == 0 || dir[n - 1] != '/' || strncmp(uri, dir, n) != 0)
		return 0;
	return uri[n] != '\0' && strchr(uri + n, '/') == NULL;
}

int
cache_uri_same(const char *a, const char *b)
{
	const char	*sa, *sb;

	if (a == NULL || b == NULL || (sa = strstr(a, "://")) == NULL ||
	    (sb = strstr(b, "://")) == NULL || sa - a != sb - b)
		return 0;
	return strncasecmp(a, b, (size_t)(sa - a)) == 0 && strcmp(sa, sb) == 0;
}

int
cache_write(const char *root, const char *uri, const uint8_t *der,
    size_t len, struct err *e)
{
	char		 path[CACHE_URI_MAX + 4096], tmp[CACHE_URI_MAX + 4200];
	size_t		 off = 0;
	ssize_t		 w;
	int		 fd, rc;

	if (cache_path(root, uri, path, sizeof(path), e) == -1)
		return -1;
	*strrchr(path, '/') = '\0';	/* cache_path made "root/host/..." */
	rc = mkdirs(path, e);
	path[strlen(path)] = '/';
	if (rc == -1)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return err_set(e, "%s: %s", tmp, strerror(errno));
	while (off < len) {
		if ((w = write(fd, der + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			err_set(e, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		err_set(e, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
