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

/* Defaults of the limits (tongband(8), LIMITS).  A hall's clerks may all
 * come from one NAT address: the per-address ones stay generous. */
#define SRV_DEFAULT_TIMEOUT                 30
#define SRV_DEFAULT_MAX_CONNECTIONS         512
#define SRV_DEFAULT_CONNECTIONS_PER_ADDRESS 64
#define SRV_DEFAULT_REQUESTS_PER_ADDRESS    200 /* per second, in bursts of twice that */
#define SRV_DEFAULT_LOGINS_PER_ADDRESS      100 /* per minute, in bursts of as many */
#define SRV_DEFAULT_LOGIN_WORKERS           2
/* Logins waiting or being checked per password worker; more answer 503. */
#define SRV_LOGIN_QUEUE_PER_WORKER 8
/* A body may take the timeout and a second for each this many bytes. */
#define SRV_BODY_BYTES_PER_S (32 * 1024)
/* Headers are cut a little after the idle timeout, so that a connection
 * that merely sat idle is closed by the idle rule (and not logged). */
#define SRV_HEADER_GRACE_MS 1000

struct srv_config {
	const char *listen;   /* "ADDR:PORT" ("[::1]:PORT" for IPv6); NULL = default;
	                         PORT 0 = any free port */
	const char *db_path;  /* required */
	int threads;          /* HTTP threads (and database connections); 0 = 4 */
	bool insecure_http;   /* allow plain HTTP on a non-loopback address */
	bool quiet;           /* no request log on stderr */
	const char *tls_cert; /* PEM certificate (chain) file; with tls_key: HTTPS */
	const char *tls_key;  /* PEM private key file */
	int timeout;          /* seconds a connection may stay idle, and within which
	                         (SRV_HEADER_GRACE_MS more) its headers must be complete
	                         and (a second per SRV_BODY_BYTES_PER_S more) its body;
	                         0 = SRV_DEFAULT_TIMEOUT */
	/* limits: 0 = the SRV_DEFAULT_*, -1 = none (not for login_workers) */
	int max_connections;         /* open connections, all addresses together */
	int connections_per_address; /* open connections from one address */
	int requests_per_address;    /* requests per second from one address */
	int logins_per_address;      /* login attempts per minute from one address */
	int login_workers;           /* threads that run argon2 */
	int busy_ms;                 /* how long a request waits for another writer's lock
	                                before it answers 503; 0 = SRV_STORE_BUSY_MS (10 s) */
	const char *faults;          /* test faults (srv_fault.h), or NULL */
	const char *faults_file;     /* file re-read for test faults, or NULL */
};

struct srv;

/* Open the database (creating and migrating it), bind and start serving.
 * Serves HTTPS when tls_cert and tls_key are given; refuses plain HTTP on
 * a non-loopback address unless insecure_http.  Returns the server, or
 * NULL with e filled (a bad fault spec, an unreadable certificate...).
 * Stop with srv_stop. */
struct srv *srv_start(const struct srv_config *cfg, struct err *e);

/* The port actually bound (useful after port 0). */
unsigned srv_port(const struct srv *s);

/* The base URL, e.g. "http://127.0.0.1:8780" or "https://...".  Valid until srv_stop. */
const char *srv_url(const struct srv *s);

/* Stop serving (finishing requests in flight), close the database, free s.
 * s may be NULL. */
void srv_stop(struct srv *s);

#endif
