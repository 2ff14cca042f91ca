#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

static bool chinese = true;

static bool locale_is_english(const char *l)
{
	return strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0 || strncmp(l, "en", 2) == 0;
}

void i18n_init(void)
{
	static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *forced = getenv("TONGBAN_LANG");
	size_t i;

	if (forced && *forced) {
		chinese = strncmp(forced, "en", 2) != 0;
		return;
	}
	chinese = true;
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v) {
			chinese = !locale_is_english(v);
			return;
		}
	}
}

void i18n_set_chinese(bool on)
{
	chinese = on;
}

bool i18n_is_chinese(void)
{
	return chinese;
}
