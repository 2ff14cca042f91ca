/*
 * srv_admin.c - operator tasks: database location, init, useradd.
 */
#include "server/srv_admin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv_auth.h"

char *srv_admin_default_db(struct err *e)
{
	const char *env = getenv("TONGBAND_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *dir, *path;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (xdg != NULL && *xdg == '/') {
		dir = xasprintf("%s/tongband", xdg);
	} else if (home != NULL && *home != '\0') {
		dir = xasprintf("%s/.local/share/tongband", home);
	} else {
		err_set(e, "no --db given and neither TONGBAND_DB, XDG_DATA_HOME nor HOME is set");
		return NULL;
	}
	if (mkdir_p(dir, e) != 0) {
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/tongband.db", dir);
	free(dir);
	return path;
}

int srv_admin_init(const char *path, struct err *e)
{
	struct srv_store *s;

	if (srv_store_open(&s, path, e) != SRV_OK)
		return -1;
	srv_store_close(s);
	return 0;
}

bool srv_admin_is_role(const char *role)
{
	return strcmp(role, "clerk") == 0 || strcmp(role, "backoffice") == 0 ||
	       strcmp(role, "operator") == 0;
}

static bool is_id(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-@", *s) == NULL)
			return false;
	return true;
}

/* True if s has no control characters. */
static bool is_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
	return true;
}

int srv_admin_check_user(const struct srv_user *u, struct err *e)
{
	const struct {
		const char *name;
		const char *value;
	} f[] = {{"name", u->name},
	         {"hall", u->hall},
	         {"hall name", u->hall_name},
	         {"window", u->window},
	         {"dept", u->dept}};
	size_t i;

	if (!is_id(u->id)) {
		err_set(e, "clerk id must be letters, digits, '.', '_', '-' or '@'");
		return -1;
	}
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (*f[i].value == '\0' && strcmp(f[i].name, "dept") != 0) {
			err_set(e, "%s is required", f[i].name);
			return -1;
		}
		if (!is_printable(f[i].value)) {
			err_set(e, "%s holds a control character", f[i].name);
			return -1;
		}
	}
	if (!is_id(u->hall)) {
		err_set(e, "hall code must be letters, digits, '.', '_', '-' or '@'");
		return -1;
	}
	if (!srv_admin_is_role(u->role)) {
		err_set(e, "role must be clerk, backoffice or operator");
		return -1;
	}
	return 0;
}

int srv_admin_useradd(const char *path, const struct srv_user *u, const char *password,
                      struct err *e)
{
	char hash[SRV_PWHASH_SIZE];
	struct srv_store *s;
	int rc;

	if (srv_admin_check_user(u, e) != 0)
		return -1;
	if (*password == '\0') {
		err_set(e, "empty password refused");
		return -1;
	}
	if (strlen(password) > 1024) {
		err_set(e, "password longer than 1024 bytes");
		return -1;
	}
	if (srv_auth_init(e) != 0 || srv_auth_hash_password(password, hash, e) != 0)
		return -1;
	if (srv_store_open(&s, path, e) != SRV_OK)
		return -1;
	rc = srv_store_user_put(s, u, hash, e);
	srv_store_close(s);
	return rc == SRV_OK ? 0 : -1;
}
