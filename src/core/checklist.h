/*
 * checklist.h - the material checklist of one case at the counter, and the
 * rules that decide which counter decision it allows (行政许可法 art. 32):
 * accept only when every required material is in and valid; a one-time
 * notice lists every missing or defective material; accept on commitment
 * only for items and materials that allow it.
 */
#ifndef TB_CORE_CHECKLIST_H
#define TB_CORE_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/catalogue.h"

enum mat_status {
	MS_UNCHECKED,  /* not looked at yet */
	MS_ORIGINAL,   /* 原件 received */
	MS_COPY,       /* 复印件 received */
	MS_ELECTRONIC, /* 电子 received */
	MS_EXEMPT,     /* 免提交: the hall obtains it by data sharing */
	MS_MISSING,    /* 缺 */
	MS_DEFECTIVE,  /* 有误: present but not valid (reason) */
	MS_COMMITTED,  /* replaced by a signed commitment */
	MS_COUNT
};

struct mat_check {
	enum mat_status status;
	char reason[256]; /* MS_DEFECTIVE: what is wrong; MS_COMMITTED: what is committed */
};

struct checklist {
	const struct item *item;
	struct mat_check *m; /* one per item->materials */
	size_t n;
};

/* A checklist for item: exempt materials start as MS_EXEMPT, others unchecked. */
void checklist_init(struct checklist *c, const struct item *item);
void checklist_free(struct checklist *c);

/* The wire name ("original", "missing"...) and the clerk's label of a status. */
const char *mat_status_name(enum mat_status s);
const char *mat_status_label(enum mat_status s);
int mat_status_from_name(const char *name, enum mat_status *out);

/* True when the material counts as in hand (received in some form, or exempt). */
bool mat_status_is_in(enum mat_status s);

/*
 * Set material i to status s as the clerk checked it: 0, or -1 with why
 * when the counter's rules refuse it -- a shared material (免提交) is never
 * asked for, a commitment only where the item and the material allow one,
 * a defective material needs its reason.
 */
int checklist_set(struct checklist *c, size_t i, enum mat_status s, const char *reason, char *why,
                  size_t n);

/* Each returns 0 when the decision is allowed, else -1 with the reason (in
 * the clerk's language) in why. */
int checklist_can_accept(const struct checklist *c, char *why, size_t n);
int checklist_can_notice(const struct checklist *c, char *why, size_t n);
int checklist_can_commit(const struct checklist *c, char *why, size_t n);

/*
 * An application made by an agent (帮办代办) needs the authorisation letter:
 * when has_agent, a material of the item named 授权委托书… must be in hand.
 * 0 when fine (or the item lists no such material), else -1 with why.
 */
int checklist_check_agent(const struct checklist *c, bool has_agent, char *why, size_t n);

/*
 * A supplement after a one-time notice may not add to the notice a material
 * that was in hand at the first visit: 0 when `now` asks only for what
 * `first` asked for (or less), else -1 naming the material.
 */
int checklist_notice_again_ok(const struct checklist *first, const struct checklist *now, char *why,
                              size_t n);

/* The checklist as JSON [{"id":..,"name":..,"status":..,"reason":..}], and back
 * (unknown ids are ignored; statuses of materials not in json stay).  */
char *checklist_to_json(const struct checklist *c);
int checklist_from_json(struct checklist *c, const char *json);

#endif
