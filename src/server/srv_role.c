/*
 * srv_role.c - role names and bits.
 */
#include "server/srv_role.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned bit;
} roles[] = {
    {"clerk", SRV_ROLE_CLERK},
    {"supervisor", SRV_ROLE_SUPERVISOR},
    {"backoffice", SRV_ROLE_BACKOFFICE},
    {"operator", SRV_ROLE_OPERATOR},
};

#define N_ROLES (sizeof roles / sizeof roles[0])

unsigned srv_role_bit(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < N_ROLES; i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].bit;
	return 0;
}

char *srv_role_names(unsigned mask, char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < N_ROLES && len < n; i++) {
		if (!(mask & roles[i].bit))
			continue;
		snprintf(out + len, n - len, "%s%s", len ? ", " : "", roles[i].name);
		len = strlen(out);
	}
	if (out[0] == '\0')
		snprintf(out, n, "no role");
	return out;
}
