/*
 * srv_http.h - the tongband HTTP server (libmicrohttpd).
 *
 * srv_start binds, opens the database and serves the API (srv_api.h) from
 * a pool of threads until srv_stop.  Tests start one in-process on port 0.
 */
#ifndef TB_SERVER_SRV_HTTP_H
#define TB_SERVER_SRV_HTTP_H

#include <stdbool.h>

#include "core/util.h"

/* Default listening address. */
#define SRV_DEFAULT_LISTEN "127.0.0.1:8780"

struct srv_config {
	const char *listen;  /* "ADDR:PORT" ("[::1]:PORT" for IPv6); NULL = default;
	                        PORT 0 = any free port */
	const char *db_path; /* required */
	int threads;         /* HTTP threads (and database connections); 0 = 4 */
	bool insecure_http;  /* allow plain HTTP on a non-loopback address */
	bool quiet;          /* no request log on stderr */
};

struct srv;

/* Open the database (creating and migrating it), bind and start serving.
 * Refuses a non-loopback address unless insecure_http (there is no TLS
 * yet).  Returns the server, or NULL with e filled.  Stop with srv_stop. */
struct srv *srv_start(const struct srv_config *cfg, struct err *e);

/* The port actually bound (useful after port 0). */
unsigned srv_port(const struct srv *s);

/* The base URL, e.g. "http://127.0.0.1:8780".  Valid until srv_stop. */
const char *srv_url(const struct srv *s);

/* Stop serving (finishing requests in flight), close the database, free s.
 * s may be NULL. */
void srv_stop(struct srv *s);

#endif
