/*
 * srv_deadline.h - cut connections that are too slow to send a request.
 *
 * libmicrohttpd's connection timeout counts idle time: every byte starts
 * it again, so a client trickling a header byte every few seconds keeps a
 * connection (and its place under the connection limits) for ever.  Here
 * each connection has a deadline instead: its headers must be complete by
 * the time given when it opened or sent its previous answer, its body by
 * the time given when the headers came.  A sweeper thread, several times a
 * second, shuts down (shutdown(2)) the socket of every connection past its
 * deadline; libmicrohttpd then sees the connection end and closes it.
 * While a request is being handled (or its answer sent) there is no
 * deadline: the idle timeout still applies.  Safe to call from any thread.
 */
#ifndef TB_SERVER_SRV_DEADLINE_H
#define TB_SERVER_SRV_DEADLINE_H

#include <stdbool.h>

#include <sys/socket.h>

#include "core/util.h"
#include "server/srv_addr.h"

struct srv_deadlines;

/* One connection: its socket, its client's address and its deadline. */
struct srv_conn {
	int fd;
	struct srv_addr addr;
	char addr_text[SRV_ADDR_TEXT];
	/* the rest belongs to srv_deadline.c */
	int stage;
	long long since_ms, due_ms;
	char what[128];
	struct srv_conn *prev, *next;
};

/* Start the sweeper; headers are due header_ms after a connection opens
 * or is answered.  Cuts are logged on stderr unless quiet.  NULL with e
 * filled if the thread cannot start. */
struct srv_deadlines *srv_deadlines_start(long long header_ms, bool quiet, struct err *e);

/* A new connection on socket fd from sa; its headers are due.  Caller
 * passes it back to srv_deadlines_remove. */
struct srv_conn *srv_deadlines_add(struct srv_deadlines *d, int fd, const struct sockaddr *sa);

/* The headers of c's request are in; its body must follow within ms.
 * method and path name the request on the log line of a cut. */
void srv_deadlines_body(struct srv_deadlines *d, struct srv_conn *c, long long ms,
                        const char *method, const char *path);

/* c's request is being handled: no deadline. */
void srv_deadlines_busy(struct srv_deadlines *d, struct srv_conn *c);

/* c's request was answered: the headers of the next one are due. */
void srv_deadlines_idle(struct srv_deadlines *d, struct srv_conn *c);

/* c was closed: forget and free it. */
void srv_deadlines_remove(struct srv_deadlines *d, struct srv_conn *c);

/* Stop the sweeper and free d; every connection must have been removed
 * (stop the HTTP daemon first).  d may be NULL. */
void srv_deadlines_stop(struct srv_deadlines *d);

#endif
