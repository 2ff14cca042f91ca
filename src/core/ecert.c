/*
 * ecert.c - the e-certificate check's states and words (see ecert.h).
 */
#include "core/ecert.h"

#include <stdio.h>
#include <string.h>

#include "core/checklist.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/uscc.h"
#include "core/util.h"

static const char *const names[ECERT_N_STATES] = {
    [ECERT_PENDING] = "pending",
    [ECERT_FOUND] = "found",
    [ECERT_NOT_FOUND] = "not_found",
    [ECERT_EXPIRED] = "expired",
    [ECERT_HOLDER_MISMATCH] = "holder_mismatch",
    [ECERT_NOT_KEPT] = "not_kept",
};

const char *ecert_state_name(enum ecert_state s)
{
	return (unsigned)s < ECERT_N_STATES ? names[s] : "pending";
}

int ecert_state_from_name(const char *name, enum ecert_state *out)
{
	int i;

	for (i = 0; i < ECERT_N_STATES; i++)
		if (strcmp(names[i], name) == 0) {
			*out = (enum ecert_state)i;
			return 0;
		}
	return -1;
}

bool ecert_state_failed(enum ecert_state s)
{
	return s == ECERT_NOT_FOUND || s == ECERT_EXPIRED || s == ECERT_HOLDER_MISMATCH;
}

const char *ecert_state_label(enum ecert_state s)
{
	switch (s) {
	case ECERT_FOUND:
		return _("verified");
	case ECERT_NOT_FOUND:
		return _("no e-certificate found");
	case ECERT_EXPIRED:
		return _("the e-certificate has expired");
	case ECERT_HOLDER_MISMATCH:
		return _("the holder is not the applicant");
	case ECERT_NOT_KEPT:
		return _("the register holds no such certificates");
	default:
		return _("to be verified");
	}
}

char *ecert_describe(const struct ecert_check *c, char *out, size_t n)
{
	if (c->state == ECERT_FOUND)
		snprintf(out, n, _("e-cert verified: %s %s %s valid until %s"), i18n_data(c->type),
		         c->number, i18n_data(c->issuer),
		         c->valid_until[0] ? c->valid_until : _("no end"));
	else if (c->state == ECERT_EXPIRED)
		snprintf(out, n, _("e-cert check failed: %s (%s %s valid until %s)"),
		         ecert_state_label(c->state), i18n_data(c->type), c->number,
		         c->valid_until);
	else if (c->state == ECERT_NOT_KEPT)
		snprintf(out, n, "%s%s", ecert_state_label(c->state),
		         _(" (obtained by data sharing)"));
	else if (c->state == ECERT_PENDING)
		snprintf(out, n, "%s", _("e-cert to be verified (checked once online)"));
	else
		snprintf(out, n, _("e-cert check failed: %s"), ecert_state_label(c->state));
	return out;
}

bool ecert_apply(struct checklist *cl, size_t i, const struct ecert_check *c)
{
	struct mat_check *m = &cl->m[i];
	enum mat_status want = ecert_state_failed(c->state) ? MS_DEFECTIVE : MS_EXEMPT;
	char reason[sizeof m->reason];

	if (want == MS_DEFECTIVE)
		snprintf(reason, sizeof reason, _("e-certificate check failed: %s"),
		         ecert_state_label(c->state));
	else
		reason[0] = '\0';
	if (m->status == want && strcmp(m->reason, reason) == 0)
		return false;
	m->status = want;
	str_copy(m->reason, sizeof m->reason, reason);
	return true;
}

int ecert_holder_key(const char *id_number, char *out, size_t n)
{
	struct idcard_info id;
	struct uscc_info org;

	if (idcard_check(id_number, NULL, &id, NULL) == 0)
		str_copy(out, n, id.number);
	else if (uscc_check(id_number, &org, NULL) == 0)
		str_copy(out, n, org.code);
	else
		return -1;
	return 0;
}
