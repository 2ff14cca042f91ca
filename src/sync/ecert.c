/* ecert.c - the agent's e-certificate checks (see ecert.h). */
#include "sync/ecert.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "store/ecert.h"

static char *lookup_body(const struct ecert_check *c)
{
	struct json_object *o = json_object_new_object();
	char *body;

	json_object_object_add(o, "type", json_object_new_string(c->type));
	json_object_object_add(o, "holder_id", json_object_new_string(c->holder_id));
	json_object_object_add(o, "on", json_object_new_string(c->asked_on));
	body = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return body;
}

static void copy_member(struct json_object *o, const char *key, char *dst, size_t n)
{
	struct json_object *v;

	if (o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string))
		str_copy(dst, n, json_object_get_string(v));
}

/* The answer text into c: 0, or -1 with e when it is not one. */
static int read_answer(const char *text, struct ecert_check *c, struct err *e)
{
	struct json_object *o = json_tokener_parse(text), *r = NULL, *cert = NULL;
	int rc = -1;

	if (o != NULL && json_object_object_get_ex(o, "result", &r) &&
	    json_object_is_type(r, json_type_string) &&
	    ecert_state_from_name(json_object_get_string(r), &c->state) == 0 &&
	    c->state != ECERT_PENDING) {
		json_object_object_get_ex(o, "certificate", &cert);
		copy_member(cert, "number", c->number, sizeof c->number);
		copy_member(cert, "holder_name", c->holder_name, sizeof c->holder_name);
		copy_member(cert, "issuer", c->issuer, sizeof c->issuer);
		copy_member(cert, "valid_until", c->valid_until, sizeof c->valid_until);
		rc = 0;
	} else {
		err_set(e, "certificate lookup: not an answer of tongband");
	}
	json_object_put(o);
	return rc;
}

enum sync_result sync_check_ecerts(struct store *st, const char *server, const char *token,
                                   int *checked, struct err *e)
{
	struct ecert_check *c = xcalloc(SYNC_ECERT_BATCH, sizeof *c);
	enum sync_result res = SYNC_OK;
	int n, i;

	*checked = 0;
	n = store_ecert_pending(st, c, SYNC_ECERT_BATCH, e);
	if (n < 0)
		res = SYNC_ERROR;
	for (i = 0; i < n && res == SYNC_OK; i++) {
		char *body = lookup_body(&c[i]), *answer = NULL;
		long status = 0;

		res =
		    sync_post(server, "/v1/certificates/lookup", token, body, &status, &answer, e);
		free(body);
		if (res != SYNC_OK && status == 404) { /* an older tongband: later */
			err_clear(e);
			res = SYNC_OK;
			break;
		}
		if (res != SYNC_OK && (status == 400 || status == 403)) {
			/* refused (a type tongband does not take, a role that may not
			 * look up): it stays pending, the others are asked */
			err_clear(e);
			res = SYNC_OK;
			continue;
		}
		if (res == SYNC_OK && read_answer(answer, &c[i], e) < 0)
			res = SYNC_ERROR;
		if (res == SYNC_OK && store_ecert_answer(st, &c[i], e) < 0)
			res = SYNC_ERROR;
		if (res == SYNC_OK)
			(*checked)++;
		free(answer);
	}
	free(c);
	return res;
}
