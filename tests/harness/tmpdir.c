/*
 * tmpdir.c - scratch directories for tests.
 */
#include "tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *harness_tmpdir(const char *prefix, struct err *e)
{
	const char *base = getenv("TMPDIR");
	char *path;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	path = xasprintf("%s/%s-XXXXXX", base, prefix);
	if (mkdtemp(path) == NULL) {
		err_set(e, "mkdtemp %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	if (path[0] != '/') {
		char cwd[4096];
		char *abs;

		if (getcwd(cwd, sizeof cwd) != NULL) {
			abs = xasprintf("%s/%s", cwd, path);
			free(path);
			path = abs;
		}
	}
	return path;
}

int harness_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char *child;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		if (harness_rm_rf(child) < 0)
			rc = -1;
		free(child);
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

void harness_tmpdir_remove(const char *dir)
{
	const char *keep = getenv("TONGBAN_KEEP_TMP");

	if (dir == NULL)
		return;
	if (keep != NULL && strcmp(keep, "1") == 0) {
		fprintf(stderr, "TONGBAN_KEEP_TMP: kept %s\n", dir);
		return;
	}
	harness_rm_rf(dir);
}

int harness_write_file(const char *path, const void *data, size_t len, struct err *e)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_set(e, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
