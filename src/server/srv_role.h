/*
 * srv_role.h - the roles of tongband's accounts, as bits, so that one table
 * can say which roles may push an event (srv_casework.c) or call a route
 * (srv_api.c).  tongband-api(7), ROLES, has both tables.
 */
#ifndef TB_SERVER_SRV_ROLE_H
#define TB_SERVER_SRV_ROLE_H

#include <stddef.h>

enum srv_role {
	SRV_ROLE_CLERK = 1u << 0,      /* "clerk": a window's clerk (综合窗口) */
	SRV_ROLE_SUPERVISOR = 1u << 1, /* "supervisor": watches its hall's cases and ratings */
	SRV_ROLE_BACKOFFICE = 1u << 2, /* "backoffice": decides its department's cases */
	SRV_ROLE_OPERATOR = 1u << 3,   /* "operator": runs the server, keeps the accounts */
};

/* Every role. */
#define SRV_ROLES_ALL                                                                              \
	(SRV_ROLE_CLERK | SRV_ROLE_SUPERVISOR | SRV_ROLE_BACKOFFICE | SRV_ROLE_OPERATOR)

/* The bit of the role named name ("clerk"), or 0 when it names none. */
unsigned srv_role_bit(const char *name);

/* The names of the roles in mask, "clerk, supervisor", or "no role" when
 * mask has none, written into out (size n).  Returns out. */
char *srv_role_names(unsigned mask, char *out, size_t n);

#endif
