/*
 * srv_admin.h - operator tasks behind the tongband subcommands: where the
 * database lives, init, useradd.
 */
#ifndef TB_SERVER_SRV_ADMIN_H
#define TB_SERVER_SRV_ADMIN_H

#include <stdbool.h>

#include "core/util.h"
#include "server/srv_store.h"

/* The database path when --db is not given: $TONGBAND_DB, else
 * $XDG_DATA_HOME/tongband/tongband.db, else
 * ~/.local/share/tongband/tongband.db.  For the last two the folder is
 * created (mode 0700).  Returns NULL with e filled.  Caller frees. */
char *srv_admin_default_db(struct err *e);

/* Create or migrate the database at path.  Idempotent.  0 or -1 with e. */
int srv_admin_init(const char *path, struct err *e);

/* True if role is clerk, backoffice or operator. */
bool srv_admin_is_role(const char *role);

/* Check the fields of u (non-empty, sane length, known role, an id of
 * letters, digits and . _ - @).  0 or -1 with e filled. */
int srv_admin_check_user(const struct srv_user *u, struct err *e);

/* Add clerk u with password, or update it (password included) when the id
 * exists.  An empty password is refused.  0 or -1 with e filled. */
int srv_admin_useradd(const char *path, const struct srv_user *u, const char *password,
                      struct err *e);

#endif
