/*
 * tongband.c - the central tongband server: argument parsing and the
 * subcommands (serve, init, useradd, decide, import, export, report,
 * audit).  See man/tongband.8.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <pthread.h>

#include <json-c/json.h>

#include "core/conf.h"
#include "core/date.h"
#include "core/event.h"
#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_db.h"
#include "server/srv_ecert.h"
#include "server/srv_http.h"
#include "server/srv_joint.h"
#include "server/srv_log.h"
#include "server/srv_migrate.h"
#include "server/srv_store.h"

#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: tongband [serve] [--listen ADDR:PORT] [--db PATH] [--port-file FILE]\n"
    "                [--tls-cert FILE --tls-key FILE] [--insecure-http]\n"
    "                [--timeout SECONDS] [--max-connections N]\n"
    "                [--connections-per-address N] [--requests-per-address N]\n"
    "                [--logins-per-address N] [--login-workers N] [--threads N]\n"
    "                [--syslog]\n"
    "                [--faults SPEC]\n"
    "       tongband init [--db PATH]\n"
    "       tongband useradd [--db PATH] --id ID --name NAME --hall CODE\n"
    "                --hall-name NAME --window N\n"
    "                [--role clerk|supervisor|backoffice|operator] [--dept NAME]\n"
    "       tongband decide [--db PATH] CASE approve|refuse [--reason TEXT]\n"
    "       tongband import-catalogue [--db PATH] FILE\n"
    "       tongband import-catalogue [--db PATH] --region CODE --region-name NAME\n"
    "                --hall CODE FILE\n"
    "       tongband import-calendar [--db PATH] FILE\n"
    "       tongband import-certificates [--db PATH] FILE\n"
    "       tongband export [--db PATH] [--format csv|json] [--hall CODE]\n"
    "       tongband report [--db PATH] --hall CODE --from DATE --to DATE [--json]\n"
    "       tongband audit verify [--db PATH]\n"
    "       tongband audit list [--db PATH] [--case ID] [--device UUID]\n"
    "       tongband config show\n"
    "       tongband migrate --from sqlite:PATH --to postgresql://USER@HOST/NAME\n"
    "       tongband --help | --version\n"
    "Every command also takes --config FILE: the settings file instead of\n"
    "  $TONGBAND_CONFIG or /etc/tongband/tongband.conf, whose \"name = value\"\n"
    "  lines set serve's options (listen, timeout, ... with _ for -) and db,\n"
    "  under $TONGBAND_DB and the command line (see tongband(8), SETTINGS).\n"
    "\n"
    "serve (the default) runs the tongban central server until SIGTERM or SIGINT.\n"
    "  --listen ADDR:PORT  address to listen on (default " SRV_DEFAULT_LISTEN "); PORT 0\n"
    "                      takes any free port.  IPv6 as [::1]:PORT.\n"
    "  --port-file FILE    after listening, write the port number to FILE\n"
    "  --tls-cert FILE     serve HTTPS with this PEM certificate (chain) ...\n"
    "  --tls-key FILE      ... and this PEM private key\n"
    "  --insecure-http     allow plain HTTP on a non-loopback address (behind a\n"
    "                      TLS proxy or on a trusted network only)\n"
    "  --timeout SECONDS   close a connection idle this long (default 30), or whose\n"
    "                      headers are not complete this long after it opened or\n"
    "                      was answered; a body may take this and 1 s per 32 KiB\n"
    "  --max-connections N          open connections in all (default 512)\n"
    "  --connections-per-address N  open connections from one address (default 64)\n"
    "  --requests-per-address N     requests per second from one address, in bursts\n"
    "                               of twice as many (default 200)\n"
    "  --logins-per-address N       login attempts per minute from one address\n"
    "                               (default 100)\n"
    "                      (a hall's clerks may share one NAT address; 0 = no limit)\n"
    "  --login-workers N   threads that check passwords (default 2)\n"
    "  --threads N         HTTP threads, each with its database connection (default 4)\n"
    "  --syslog            log through syslog(3) (facility daemon) instead of\n"
    "                      standard error\n"
    "  --faults SPEC       FOR TESTS ONLY: injected faults, as TONGBAND_FAULTS\n"
    "                      (see tongband(8), FAULTS FOR TESTS)\n"
    "init creates or migrates the database and says where it is.\n"
    "useradd adds a clerk, or updates one with the same id.  The password is read\n"
    "  from the first line of standard input, or asked twice on a terminal.\n"
    "  (Operators can also manage users over the API: GET/POST /v1/users.)\n"
    "decide records a back-office decision on a case (its id or case number).\n"
    "import-catalogue / import-calendar check FILE and make it the version that\n"
    "  clients download (GET /v1/catalogue, /v1/calendar, /v1/changes).\n"
    "  With --region, FILE is another region's catalogue (跨域通办), decided by the\n"
    "  back office of hall --hall: its items are served beside the home ones.\n"
    "import-certificates adds the e-certificates of FILE (tab-separated: type,\n"
    "  number, holder_id, holder_name, issuer, issued_on, valid_until) to the\n"
    "  register that windows look up (POST /v1/certificates/lookup); a bad line\n"
    "  is named and nothing is imported.\n"
    "export writes the cases (of one hall) to standard output, CSV by default.\n"
    "config show prints every setting of serve in force and where it came from.\n"
    "report prints the statistics of a hall's cases applied for from DATE to DATE\n"
    "  (YYYY-MM-DD): the report the clerk's tongban prints, or with --json the\n"
    "  answer of GET /v1/stats.\n"
    "audit verify checks tongband's audit chain (every change, every view of a\n"
    "  whole record: a case read, a search by the kind of its query and its\n"
    "  hits, never its text, an export) and each clerk PC's as it was sent;\n"
    "  exit 0 all hold, 1 a row was edited, deleted or moved (named), 2 error.\n"
    "audit list prints tongband's rows (--case: those of one case, and the PCs'\n"
    "  rows about it too), or with --device one PC's; exit 0 rows, 1 none.\n"
    "migrate copies a hall's SQLite database (brought to this version's schema\n"
    "  first) into an empty PostgreSQL database, in one transaction, and prints\n"
    "  the rows of each table, counted on both sides.\n"
    "\n"
    "--db DB    the database: an SQLite file PATH (or sqlite:PATH), or PostgreSQL as\n"
    "           postgresql://USER@HOST[:PORT]/NAME (a libpq URI; the database must\n"
    "           exist; init creates the schema); default $TONGBAND_DB, else\n"
    "           $XDG_DATA_HOME/tongband/tongband.db (~/.local/share/tongband/tongband.db)\n"
    "\n"
    "See tongband(8) and tongband-api(7).\n";

/* Say what is wrong (what, then 'arg' when not NULL) and return 2. */
static int usage_error(const char *what, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "tongband: %s '%s'\n", what, arg);
	else
		fprintf(stderr, "tongband: %s\n", what);
	fputs("Try 'tongband --help'.\n", stderr);
	return EXIT_USAGE;
}

/* Option values for every subcommand. */
struct opts {
	const char *listen;
	const char *db;
	const char *port_file;
	const char *faults;
	const char *tls_cert, *tls_key;
	int timeout;
	int max_connections, connections_per_address, requests_per_address, logins_per_address;
	int login_workers;
	int threads;
	bool insecure_http;
	bool syslog;
	struct srv_user user;
	bool has_id, has_name, has_hall, has_hall_name, has_window;
	const char *reason;
	const char *format;
	const char *from, *to;
	const char *case_id, *device;
	const char *region, *region_name;
	bool as_json;
	const char *pos[2]; /* positional arguments */
	int n_pos;
};

enum {
	OPT_LISTEN = 256,
	OPT_DB,
	OPT_PORT_FILE,
	OPT_INSECURE,
	OPT_FAULTS,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TIMEOUT,
	OPT_MAX_CONNECTIONS,
	OPT_CONNECTIONS_PER_ADDRESS,
	OPT_REQUESTS_PER_ADDRESS,
	OPT_LOGINS_PER_ADDRESS,
	OPT_LOGIN_WORKERS,
	OPT_SYSLOG,
	OPT_THREADS,
	OPT_ID,
	OPT_NAME,
	OPT_HALL,
	OPT_HALL_NAME,
	OPT_WINDOW,
	OPT_ROLE,
	OPT_DEPT,
	OPT_REASON,
	OPT_FORMAT,
	OPT_FROM,
	OPT_TO,
	OPT_JSON,
	OPT_CASE,
	OPT_DEVICE,
	OPT_CONFIG,
	OPT_REGION,
	OPT_REGION_NAME,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option serve_options[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"db", required_argument, NULL, OPT_DB},
    {"port-file", required_argument, NULL, OPT_PORT_FILE},
    {"insecure-http", no_argument, NULL, OPT_INSECURE},
    {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
    {"tls-key", required_argument, NULL, OPT_TLS_KEY},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
    {"connections-per-address", required_argument, NULL, OPT_CONNECTIONS_PER_ADDRESS},
    {"requests-per-address", required_argument, NULL, OPT_REQUESTS_PER_ADDRESS},
    {"logins-per-address", required_argument, NULL, OPT_LOGINS_PER_ADDRESS},
    {"login-workers", required_argument, NULL, OPT_LOGIN_WORKERS},
    {"syslog", no_argument, NULL, OPT_SYSLOG},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"faults", required_argument, NULL, OPT_FAULTS},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option import_catalogue_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"region", required_argument, NULL, OPT_REGION},
    {"region-name", required_argument, NULL, OPT_REGION_NAME},
    {"hall", required_argument, NULL, OPT_HALL},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};
static const struct option init_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option decide_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"reason", required_argument, NULL, OPT_REASON},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option export_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"hall", required_argument, NULL, OPT_HALL},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option report_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"hall", required_argument, NULL, OPT_HALL},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"json", no_argument, NULL, OPT_JSON},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option migrate_options[] = {
    {"from", required_argument, NULL, OPT_FROM},     {"to", required_argument, NULL, OPT_TO},
    {"config", required_argument, NULL, OPT_CONFIG}, {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},     {NULL, 0, NULL, 0},
};

static const struct option audit_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"case", required_argument, NULL, OPT_CASE},
    {"device", required_argument, NULL, OPT_DEVICE},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option useradd_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"id", required_argument, NULL, OPT_ID},
    {"name", required_argument, NULL, OPT_NAME},
    {"hall", required_argument, NULL, OPT_HALL},
    {"hall-name", required_argument, NULL, OPT_HALL_NAME},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"role", required_argument, NULL, OPT_ROLE},
    {"dept", required_argument, NULL, OPT_DEPT},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* Copy an option value into a user field; false if it does not fit. */
static bool set_field(char *dst, size_t n, const char *v, bool *seen)
{
	if (strlen(v) >= n)
		return false;
	str_copy(dst, n, v);
	if (seen)
		*seen = true;
	return true;
}

/* A whole number from lo to hi into *out; false if v is not one. */
static bool number_option(const char *v, int lo, int hi, int *out)
{
	long n;

	if (*v == '\0' || strlen(v) > 9 || strspn(v, "0123456789") != strlen(v))
		return false;
	n = atol(v);
	*out = (int)n;
	return n >= lo && n <= hi;
}

/* A limit option: 0 means none, which srv_config says as -1. */
static bool limit_option(const char *v, int hi, int *out)
{
	if (!number_option(v, 0, hi, out))
		return false;
	if (*out == 0)
		*out = -1;
	return true;
}

/* Store option c; returns false when its value is too long. */
static bool take_option(struct opts *o, int c, const char *v)
{
	struct srv_user *u = &o->user;

	switch (c) {
	case OPT_LISTEN:
		o->listen = v;
		return true;
	case OPT_DB:
		o->db = v;
		return true;
	case OPT_PORT_FILE:
		o->port_file = v;
		return true;
	case OPT_INSECURE:
		o->insecure_http = true;
		return true;
	case OPT_SYSLOG:
		o->syslog = true;
		return true;
	case OPT_FAULTS:
		o->faults = v;
		return true;
	case OPT_TLS_CERT:
		o->tls_cert = v;
		return true;
	case OPT_TLS_KEY:
		o->tls_key = v;
		return true;
	case OPT_TIMEOUT:
		return number_option(v, 1, 3600, &o->timeout);
	case OPT_MAX_CONNECTIONS:
		return number_option(v, 1, 100000, &o->max_connections);
	case OPT_CONNECTIONS_PER_ADDRESS:
		return limit_option(v, 100000, &o->connections_per_address);
	case OPT_REQUESTS_PER_ADDRESS:
		return limit_option(v, 1000000, &o->requests_per_address);
	case OPT_LOGINS_PER_ADDRESS:
		return limit_option(v, 1000000, &o->logins_per_address);
	case OPT_LOGIN_WORKERS:
		return number_option(v, 1, 64, &o->login_workers);
	case OPT_THREADS:
		return number_option(v, 1, 256, &o->threads);
	case OPT_ID:
		return set_field(u->id, sizeof u->id, v, &o->has_id);
	case OPT_NAME:
		return set_field(u->name, sizeof u->name, v, &o->has_name);
	case OPT_HALL:
		return set_field(u->hall, sizeof u->hall, v, &o->has_hall);
	case OPT_HALL_NAME:
		return set_field(u->hall_name, sizeof u->hall_name, v, &o->has_hall_name);
	case OPT_WINDOW:
		return set_field(u->window, sizeof u->window, v, &o->has_window);
	case OPT_ROLE:
		return set_field(u->role, sizeof u->role, v, NULL);
	case OPT_DEPT:
		return set_field(u->dept, sizeof u->dept, v, NULL);
	case OPT_REASON:
		o->reason = v;
		return true;
	case OPT_REGION:
		o->region = v;
		return true;
	case OPT_REGION_NAME:
		o->region_name = v;
		return true;
	case OPT_FORMAT:
		o->format = v;
		return strcmp(v, "csv") == 0 || strcmp(v, "json") == 0;
	case OPT_FROM:
		o->from = v;
		return true;
	case OPT_TO:
		o->to = v;
		return true;
	case OPT_JSON:
		o->as_json = true;
		return true;
	case OPT_CASE:
		o->case_id = v;
		return strlen(v) < 40;
	case OPT_DEVICE:
		o->device = v;
		return uuid_is_valid(v);
	default:
		return true;
	}
}

/* Parse argv with the options of one subcommand.  Returns -1 to go on, or
 * an exit status (after --help, --version or a usage error). */
static int parse_options(int argc, char **argv, const struct option *longopts, int n_pos,
                         struct opts *o)
{
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == OPT_HELP) {
			fputs(usage_text, stdout);
			return 0;
		}
		if (c == OPT_VERSION) {
			printf("tongband %s\n", TB_VERSION);
			return 0;
		}
		if (c == ':')
			return usage_error("this option needs a value:", argv[optind - 1]);
		if (c == '?')
			return usage_error("unknown option", argv[optind - 1]);
		if (!take_option(o, c, optarg))
			return usage_error("bad or too long value for", argv[optind - 1]);
	}
	for (; optind < argc && o->n_pos < n_pos; optind++)
		o->pos[o->n_pos++] = argv[optind];
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (o->n_pos < n_pos)
		return usage_error("missing argument; see --help", NULL);
	return -1;
}

/* Print before, the database db without its password (a PostgreSQL URI
 * may hold one), then after, to fp. */
static void say_db(FILE *fp, const char *before, const char *db, const char *after)
{
	char *shown = srv_db_spec_shown(db);

	fprintf(fp, "%s%s%s", before, shown, after);
	free(shown);
}

/* The --db path or the default one.  Caller frees; NULL after a message. */
static char *db_path(const struct opts *o)
{
	struct err e = {0};
	char *p = o->db ? xstrdup(o->db) : srv_admin_default_db(&e);

	if (p == NULL)
		fprintf(stderr, "tongband: %s\n", e.msg);
	return p;
}

/* Why serve cannot start: on the log, and under --syslog on standard error
 * too, for the operator who started it by hand. */
static void serve_failed(const struct opts *o, const char *what, const char *why)
{
	srv_log_say(LOG_ERR, "%s%s%s", what, why ? ": " : "", why ? why : "");
	if (o->syslog)
		fprintf(stderr, "tongband: %s%s%s\n", what, why ? ": " : "", why ? why : "");
}

/* Write "PORT\n" to path through a temporary file and rename. */
static int write_port_file(const struct opts *o, unsigned port)
{
	const char *path = o->port_file;
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int ok;

	if (f == NULL) {
		serve_failed(o, tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	ok = fprintf(f, "%u\n", port) > 0;
	ok = (fflush(f) == 0) && ok && fsync(fileno(f)) == 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		serve_failed(o, path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static int cmd_serve(const struct opts *o)
{
	struct srv_config cfg = {0};
	struct err e = {0};
	sigset_t set;
	struct srv *s;
	char *db = db_path(o), *shown;
	int sig;

	if (db == NULL)
		return 1;
	if (o->syslog)
		srv_log_to_syslog();
	/* block the stop signals before the HTTP threads start, so that they
	 * inherit the mask and only sigwait below sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	cfg.listen = o->listen;
	cfg.db_path = db;
	cfg.insecure_http = o->insecure_http;
	cfg.tls_cert = o->tls_cert;
	cfg.tls_key = o->tls_key;
	cfg.timeout = o->timeout;
	cfg.max_connections = o->max_connections;
	cfg.connections_per_address = o->connections_per_address;
	cfg.requests_per_address = o->requests_per_address;
	cfg.logins_per_address = o->logins_per_address;
	cfg.login_workers = o->login_workers;
	cfg.threads = o->threads;
	cfg.faults = o->faults ? o->faults : getenv("TONGBAND_FAULTS");
	cfg.faults_file = getenv("TONGBAND_FAULTS_FILE");
	s = srv_start(&cfg, &e);
	if (s == NULL) {
		serve_failed(o, e.msg, NULL);
		free(db);
		return 1;
	}
	shown = srv_db_spec_shown(db);
	srv_log_say(LOG_INFO, "database %s", shown);
	free(shown);
	srv_log_say(LOG_INFO, "listening on %s", srv_url(s));
	if ((cfg.faults && *cfg.faults) || (cfg.faults_file && *cfg.faults_file))
		srv_log_say(LOG_WARNING, "TEST FAULTS ENABLED (%s%s%s)",
		            cfg.faults ? cfg.faults : "", cfg.faults_file ? " file " : "",
		            cfg.faults_file ? cfg.faults_file : "");
	if (o->port_file != NULL && write_port_file(o, srv_port(s)) != 0) {
		srv_stop(s);
		free(db);
		return 1;
	}
	while (sigwait(&set, &sig) != 0)
		;
	srv_log_say(LOG_INFO, "stopping (signal %d)", sig);
	srv_stop(s);
	free(db);
	return 0;
}

static int cmd_init(const struct opts *o)
{
	struct err e = {0};
	char *db = db_path(o);

	if (db == NULL)
		return 1;
	if (srv_admin_init(db, &e) != 0) {
		fprintf(stderr, "tongband: %s\n", e.msg);
		free(db);
		return 1;
	}
	say_db(stdout, "tongband: database ready at ", db, "");
	printf(" (schema version %d)\n", SRV_STORE_SCHEMA_VERSION);
	free(db);
	return 0;
}

/* Read one line from fp into a new string without its line end. */
static char *read_line(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, fp);

	if (n < 0) {
		free(line);
		return xstrdup("");
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* Prompt on the terminal with echo off.  Caller frees. */
static char *prompt_hidden(const char *prompt)
{
	struct termios old, quiet;
	bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
	char *line;

	fputs(prompt, stderr);
	fflush(stderr);
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	line = read_line(stdin);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return line;
}

/* The new password: stdin's first line, or asked twice on a terminal.
 * NULL after a message. */
static char *read_password(void)
{
	char *a, *b;

	if (!isatty(STDIN_FILENO))
		return read_line(stdin);
	a = prompt_hidden("Password: ");
	b = prompt_hidden("Password again: ");
	if (strcmp(a, b) != 0) {
		fputs("tongband: the passwords differ\n", stderr);
		free(a);
		a = NULL;
	}
	free(b);
	return a;
}

static int cmd_useradd(struct opts *o)
{
	struct err e = {0};
	char *db, *pw;
	int rc;

	if (!o->has_id || !o->has_name || !o->has_hall || !o->has_hall_name || !o->has_window)
		return usage_error("useradd needs --id, --name, --hall, --hall-name and --window",
		                   NULL);
	if (srv_admin_check_user(&o->user, &e) != 0) {
		fprintf(stderr, "tongband: %s\n", e.msg);
		return EXIT_USAGE;
	}
	db = db_path(o);
	if (db == NULL)
		return 1;
	pw = read_password();
	rc = pw ? srv_admin_useradd(db, &o->user, pw, &e) : -1;
	if (pw != NULL && rc != 0)
		fprintf(stderr, "tongband: %s\n", e.msg);
	if (rc == 0)
		printf("tongband: clerk %s saved", o->user.id);
	if (rc == 0)
		say_db(stdout, " in ", db, "\n");
	if (pw != NULL) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	free(db);
	return rc == 0 ? 0 : 1;
}

static int cmd_decide(struct opts *o)
{
	struct err e = {0};
	struct json_object *ev = NULL;
	char *db = db_path(o);
	int rc;

	if (strcmp(o->pos[1], "approve") != 0 && strcmp(o->pos[1], "refuse") != 0) {
		free(db);
		return usage_error("the decision must be approve or refuse, not", o->pos[1]);
	}
	if (db == NULL)
		return 1;
	rc = srv_admin_decide(db, o->pos[0], o->pos[1], o->reason, &ev, &e);
	if (rc == 0)
		printf("%s\n", json_object_to_json_string_ext(
		                   ev, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		fprintf(stderr, "tongband: %s\n", e.msg);
	json_object_put(ev);
	free(db);
	return rc == 0 ? 0 : 1;
}

static int cmd_import(struct opts *o, const char *kind)
{
	struct err e = {0};
	char *db = db_path(o), *version = NULL;
	bool unchanged;

	if (db == NULL)
		return 1;
	if (srv_admin_import(db, kind, o->pos[0], &version, &unchanged, &e) != 0) {
		fprintf(stderr, "tongband: %s\n", e.msg);
		free(db);
		return 1;
	}
	printf("tongband: %s version %s %s\n", kind, version,
	       unchanged ? "is already the current one" : "imported");
	free(version);
	free(db);
	return 0;
}

/* import-catalogue --region: another region's catalogue (srv_joint.h). */
static int cmd_import_region(struct opts *o)
{
	struct err e = {0};
	char *db, *version = NULL;
	bool unchanged;

	if (o->region_name == NULL || !o->has_hall)
		return usage_error("a region's catalogue needs --region-name and --hall with",
		                   "--region");
	if ((db = db_path(o)) == NULL)
		return 1;
	if (srv_joint_import_region(db, o->region, o->region_name, o->user.hall, o->pos[0],
	                            &version, &unchanged, &e) != 0) {
		fprintf(stderr, "tongband: %s\n", e.msg);
		free(db);
		return 1;
	}
	printf("tongband: catalogue of region %s %s; the catalogue served is version %s\n",
	       o->region, unchanged ? "is already the current one" : "imported", version);
	free(version);
	free(db);
	return 0;
}

static int cmd_import_catalogue(struct opts *o)
{
	if (o->region != NULL)
		return cmd_import_region(o);
	if (o->region_name != NULL || o->has_hall)
		return usage_error("--region-name and --hall go with", "--region");
	return cmd_import(o, "catalogue");
}

static int cmd_import_calendar(struct opts *o)
{
	return cmd_import(o, "calendar");
}

static int cmd_import_certificates(struct opts *o)
{
	struct err e = {0};
	char *db = db_path(o);
	long n;

	if (db == NULL)
		return 1;
	if (srv_ecert_import(db, o->pos[0], &n, &e) != 0) {
		fprintf(stderr, "tongband: %s\n", e.msg);
		free(db);
		return 1;
	}
	printf("tongband: %ld certificate%s imported from %s\n", n, n == 1 ? "" : "s", o->pos[0]);
	free(db);
	return 0;
}

static int cmd_export(struct opts *o)
{
	struct err e = {0};
	char *db = db_path(o);
	int rc;

	if (db == NULL)
		return 1;
	rc = srv_admin_export(db, o->has_hall ? o->user.hall : NULL,
	                      o->format != NULL && strcmp(o->format, "json") == 0, stdout, &e);
	if (rc != 0)
		fprintf(stderr, "tongband: %s\n", e.msg);
	free(db);
	return rc == 0 ? 0 : 1;
}

static int cmd_report(struct opts *o)
{
	struct tb_date from, to;
	struct err e = {0};
	char *db;
	int rc;

	if (!o->has_hall || o->from == NULL || o->to == NULL)
		return usage_error("report needs --hall, --from and --to", NULL);
	if (tb_date_parse(o->from, &from) != 0)
		return usage_error("--from must be a date YYYY-MM-DD, not", o->from);
	if (tb_date_parse(o->to, &to) != 0)
		return usage_error("--to must be a date YYYY-MM-DD, not", o->to);
	if (tb_date_cmp(from, to) > 0)
		return usage_error("--from must not be after --to", NULL);
	if ((db = db_path(o)) == NULL)
		return 1;
	rc = srv_admin_report(db, o->user.hall, from, to, o->as_json, stdout, &e);
	if (rc != 0)
		fprintf(stderr, "tongband: %s\n", e.msg);
	free(db);
	return rc == 0 ? 0 : 1;
}

/* tongband audit verify | list: exit 0 holds (rows listed), 1 broken
 * (none listed), 2 error or misuse. */
static int cmd_audit(struct opts *o)
{
	bool verify = strcmp(o->pos[0], "verify") == 0;
	struct err e = {0};
	char *db;
	int rc;

	if (!verify && strcmp(o->pos[0], "list") != 0)
		return usage_error("audit takes verify or list, not", o->pos[0]);
	if (verify && (o->case_id || o->device))
		return usage_error("audit verify takes no --case or --device", NULL);
	if ((db = db_path(o)) == NULL)
		return EXIT_USAGE;
	rc = verify ? srv_admin_audit_verify(db, stdout, &e)
	            : srv_admin_audit_list(db, o->case_id, o->device, stdout, &e);
	if (rc < 0)
		fprintf(stderr, "tongband: %s\n", e.msg);
	free(db);
	return rc < 0 ? EXIT_USAGE : rc > 0 ? 0 : 1;
}

static int cmd_migrate(struct opts *o)
{
	struct err e = {0};

	if (o->from == NULL || o->to == NULL)
		return usage_error("migrate needs --from sqlite:PATH and --to postgresql://...",
		                   NULL);
	if (srv_db_is_postgresql(o->from) || !srv_db_is_postgresql(o->to))
		return usage_error("migrate copies --from an SQLite database --to a PostgreSQL one",
		                   NULL);
	if (srv_migrate(o->from, o->to, stdout, &e) != 0) {
		fprintf(stderr, "tongband: %s (nothing was copied)\n", e.msg);
		return 1;
	}
	say_db(stdout, "tongband: migrated ", o->from, "");
	say_db(stdout, " to ", o->to, "\n");
	return 0;
}

static int cmd_serve_entry(struct opts *o)
{
	return cmd_serve(o);
}

static int cmd_init_entry(struct opts *o)
{
	return cmd_init(o);
}

/* ---- the settings file (tongband.conf, see tongband(8) SETTINGS) ------------ */

#ifndef TB_SYSCONFDIR
#define TB_SYSCONFDIR "/etc"
#endif

/* Each is an option of serve (its name with '-' for '_'); db is every
 * command's.  The values are checked as the option's are. */
static const struct conf_key settings_keys[] = {
    {"listen", NULL, "--listen", CONF_TEXT, 0, 0, NULL, 256, NULL},
    {"db", "TONGBAND_DB", "--db", CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"port_file", NULL, "--port-file", CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"tls_cert", NULL, "--tls-cert", CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"tls_key", NULL, "--tls-key", CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"insecure_http", NULL, "--insecure-http", CONF_BOOL, 0, 0, NULL, 0, NULL},
    {"timeout", NULL, "--timeout", CONF_TEXT, 0, 0, NULL, 16, NULL},
    {"max_connections", NULL, "--max-connections", CONF_TEXT, 0, 0, NULL, 16, NULL},
    {"connections_per_address", NULL, "--connections-per-address", CONF_TEXT, 0, 0, NULL, 16, NULL},
    {"requests_per_address", NULL, "--requests-per-address", CONF_TEXT, 0, 0, NULL, 16, NULL},
    {"logins_per_address", NULL, "--logins-per-address", CONF_TEXT, 0, 0, NULL, 16, NULL},
    {"login_workers", NULL, "--login-workers", CONF_TEXT, 0, 0, NULL, 16, NULL},
    {"threads", NULL, "--threads", CONF_TEXT, 0, 0, NULL, 16, NULL},
};
#define N_SETTINGS ((int)(sizeof settings_keys / sizeof settings_keys[0]))

/* What serve does when nothing sets a key (db: see db_path). */
static const char *const settings_defaults[N_SETTINGS] = {
    SRV_DEFAULT_LISTEN, NULL, "", "", "", "0", "30", "512", "64", "200", "100", "2", "4",
};

/* Read once by main, before any thread; the options point into it. */
static struct conf settings;

/* The settings file: --config FILE anywhere in argv, else $TONGBAND_CONFIG,
 * else SYSCONFDIR/tongband/tongband.conf.  Caller frees. */
static char *settings_file(int argc, char **argv)
{
	const char *env = getenv("TONGBAND_CONFIG");
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			return xstrdup(argv[i + 1]);
		if (strncmp(argv[i], "--config=", 9) == 0)
			return xstrdup(argv[i] + 9);
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	return env && *env ? xstrdup(env) : xstrdup(TB_SYSCONFDIR "/tongband/tongband.conf");
}

/* The option of longopts that key k stands for, or NULL. */
static const struct option *setting_option(const struct conf_key *k, const struct option *longopts)
{
	for (; longopts->name; longopts++)
		if (strcmp(longopts->name, k->flag + 2) == 0)
			return longopts;
	return NULL;
}

/* Take what the file set for a command with longopts into o, below its
 * environment variable and its options (parsed after).  -1 after naming a
 * value its option does not take. */
static int apply_settings(struct opts *o, const struct option *longopts)
{
	int i, bad = 0;

	for (i = 0; i < settings.n; i++) {
		const struct conf_key *k = &settings.keys[i];
		const struct conf_entry *en = &settings.e[i];
		const struct option *opt = setting_option(k, longopts);
		const char *env = k->env ? getenv(k->env) : NULL;

		if (!en->set || opt == NULL || (env && *env))
			continue;
		if (opt->has_arg == no_argument) {
			if (strcmp(en->value, "1") == 0)
				take_option(o, opt->val, NULL);
		} else if (!take_option(o, opt->val, en->value)) {
			fprintf(stderr, "tongband: %s: bad value for %s: %s\n", en->where, k->name,
			        en->value);
			bad++;
		}
	}
	return bad ? -1 : 0;
}

/* tongband config show: each setting of serve in force and where it came
 * from, as lines the file could hold; 0, or 1 when the file has problems. */
static int cmd_config(struct opts *o)
{
	struct conf shown = settings;
	struct err e = {0};
	char *db = NULL;
	int i;

	struct opts scratch;
	int bad;

	if (strcmp(o->pos[0], "show") != 0)
		return usage_error("config takes show, not", o->pos[0]);
	/* every value as serve would take it */
	memset(&scratch, 0, sizeof scratch);
	bad = apply_settings(&scratch, serve_options) < 0;
	conf_read_env(&shown);
	/* o->db points into settings when the file gave it, else it is --db */
	if (o->db && o->db != conf_value(&settings, "db"))
		conf_set(&shown, "db", o->db, CONF_FLAG, "--db");
	for (i = 0; i < shown.n; i++) {
		const char *def = settings_defaults[i];

		if (shown.e[i].set)
			continue;
		if (def == NULL)
			def = db = srv_admin_default_db(&e);
		conf_set(&shown, shown.keys[i].name, def ? def : "", CONF_DEFAULT, "");
	}
	conf_print(&shown, stdout, NULL, 0);
	free(db);
	for (i = 0; i < settings.n_problems; i++)
		fprintf(stderr, "tongband: %s\n", settings.problems[i]);
	return settings.n_problems || bad ? 1 : 0;
}

static const struct command {
	const char *name;
	const struct option *options;
	int n_pos; /* positional arguments it takes */
	int (*run)(struct opts *o);
} commands[] = {
    {"serve", serve_options, 0, cmd_serve_entry},
    {"init", init_options, 0, cmd_init_entry},
    {"useradd", useradd_options, 0, cmd_useradd},
    {"decide", decide_options, 2, cmd_decide},
    {"import-catalogue", import_catalogue_options, 1, cmd_import_catalogue},
    {"import-calendar", init_options, 1, cmd_import_calendar},
    {"import-certificates", init_options, 1, cmd_import_certificates},
    {"export", export_options, 0, cmd_export},
    {"report", report_options, 0, cmd_report},
    {"audit", audit_options, 1, cmd_audit},
    {"config", init_options, 1, cmd_config},
    {"migrate", migrate_options, 0, cmd_migrate},
};

int main(int argc, char **argv)
{
	const struct command *cmd = &commands[0];
	struct opts o;
	char *file;
	size_t i;
	int rc;

	umask(077); /* the database and exports hold personal information: owner only */
	i18n_init_domain("tongband"); /* the database layer's messages follow the locale */
	memset(&o, 0, sizeof o);
	str_copy(o.user.role, sizeof o.user.role, "clerk");
	if (argc > 1 && argv[1][0] != '-') {
		for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				break;
		if (i == sizeof commands / sizeof commands[0])
			return usage_error("unknown command", argv[1]);
		cmd = &commands[i];
		argc--;
		argv++;
	}
	file = settings_file(argc, argv);
	conf_init(&settings, settings_keys, N_SETTINGS);
	i18n_set_chinese(false); /* tongband speaks English to its operators */
	conf_read_file(&settings, file, CONF_FILE);
	i18n_init_domain("tongband");
	free(file);
	if (settings.n_problems && cmd->run != cmd_config) {
		for (i = 0; i < (size_t)settings.n_problems; i++)
			fprintf(stderr, "tongband: %s\n", settings.problems[i]);
		fputs("tongband: fix the settings file (see tongband(8), SETTINGS)\n", stderr);
		return EXIT_USAGE;
	}
	if (apply_settings(&o, cmd->options) < 0)
		return EXIT_USAGE;
	rc = parse_options(argc, argv, cmd->options, cmd->n_pos, &o);
	if (rc >= 0)
		return rc;
	return cmd->run(&o);
}
