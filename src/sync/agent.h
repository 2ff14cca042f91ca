/*
 * agent.h - the background sync beside the UI: a thread with its own SQLite
 * connection that pushes the outbox, pulls changes and downloads a new
 * catalogue or calendar (sync/updates.h), each round;
 * backs off with jitter while the server is unreachable, waits at least what
 * a 429/503 Retry-After asks, and publishes a status the status line can
 * read at any time without waiting.
 */
#ifndef TB_SYNC_AGENT_H
#define TB_SYNC_AGENT_H

#include <stdbool.h>
#include <time.h>

#include "core/util.h"

struct sync_agent;

struct agent_status {
	bool online;           /* the last exchange with the server succeeded */
	bool need_login;       /* the server refused the session (401) */
	bool too_old;          /* the server said this client is too old */
	bool store_busy;       /* the local database was held by another program this round */
	time_t last_ok;        /* time of the last successful round, 0 = never */
	int problems;          /* events quarantined after the last round */
	char last_error[256];  /* why the last round failed, "" if it did not */
	long retry_after;      /* seconds the server last asked to wait (429/503), 0 if not */
	long next_round_ms;    /* how long the agent waits before its next round */
	bool drift_known;      /* the server has told its time */
	long long clock_drift; /* server clock minus this machine's, seconds (reported, not used) */
	/* a catalogue or calendar update was announced or downloaded and is not in use yet:
	 * apply it between cases (data_update_ready) */
	bool updates_waiting;
	int decisions;      /* back-office decisions pulled since the agent started */
	int held;           /* clerks whose events wait for their own next login */
	bool audit_problem; /* tongband refused this PC's audit chain (store meta audit_problem) */
	char held_clerk[64];
};

/* Start the agent on the database at db_path against server.  NULL on failure. */
struct sync_agent *sync_agent_start(const char *db_path, const char *server, struct err *e);

/* Ask for a round now (after a save, or the clerk's "sync now"). */
void sync_agent_poke(struct sync_agent *a);

/* A copy of the current status; never blocks on the network. */
void sync_agent_status(struct sync_agent *a, struct agent_status *out);

/*
 * Ask, in the agent's thread, for the hall's cases on tongband matching
 * query (GET /v1/cases?query=); a newer question replaces one not yet
 * asked.  Never blocks on the network.
 */
void sync_agent_search(struct sync_agent *a, const char *query);

/* The answer for query: 1 with *body ({"cases": [...]}, caller frees), 0 when
 * it has not come (yet), -1 when the server could not answer it (offline). */
int sync_agent_search_result(struct sync_agent *a, const char *query, char **body);

/* Stop the thread (waits for the current request to end) and free. */
void sync_agent_stop(struct sync_agent *a);

#endif
