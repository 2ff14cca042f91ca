#include "core/paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#ifndef TB_DATADIR
#define TB_DATADIR "/usr/local/share/tongban"
#endif
#ifndef TB_LIBEXECDIR
#define TB_LIBEXECDIR "/usr/local/libexec/tongban"
#endif

char *paths_join(const char *root, const char *sub)
{
	size_t n = strlen(root);

	if (n > 0 && root[n - 1] == '/')
		return xasprintf("%s%s", root, sub);
	return xasprintf("%s/%s", root, sub);
}

static int has_data(const char *root)
{
	char *p = paths_join(root, "data/catalogue.json");
	int ok = access(p, R_OK) == 0;

	free(p);
	return ok;
}

char *paths_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}

char *paths_data_root(void)
{
	const char *env = getenv("TONGBAN_DATA");
	char *dir, *up;

	if (env && *env)
		return xstrdup(env);
	dir = paths_exe_dir();
	if (dir) {
		if (has_data(dir))
			return dir;
		up = paths_join(dir, "..");
		free(dir);
		if (has_data(up)) {
			char *real = realpath(up, NULL);

			if (real) {
				free(up);
				return real;
			}
			return up;
		}
		free(up);
	}
	return xstrdup(TB_DATADIR);
}

char *paths_helper(const char *name)
{
	char *dir = paths_exe_dir(), *beside;

	if (dir != NULL) {
		beside = paths_join(dir, name);
		free(dir);
		if (access(beside, X_OK) == 0)
			return beside;
		free(beside);
	}
	return paths_join(TB_LIBEXECDIR, name);
}

char *paths_default_db(const char *envvar, const char *name)
{
	const char *env = getenv(envvar);
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return xstrdup(env);
	if (xdg && *xdg == '/')
		return xasprintf("%s/%s/%s.db", xdg, name, name);
	return xasprintf("%s/.local/share/%s/%s.db", home && *home ? home : ".", name, name);
}
