#!/bin/sh
# A private PostgreSQL cluster for tongband's tests and benches.
#
#   sh scripts/pg-test-cluster.sh start DIR [durable]   print its base URL
#   sh scripts/pg-test-cluster.sh stop DIR
#
# start makes a cluster in DIR/data (initdb; superuser "tongban", trust
# authentication, UTF-8) and starts it (pg_ctl) on 127.0.0.1 and a Unix
# socket in DIR, on a free port, then prints postgresql://tongban@127.0.0.1:PORT
# (also kept in DIR/url); a test appends /DATABASE.  Without "durable" the
# cluster does not fsync (the tests kill tongband, never PostgreSQL);
# benches ask for "durable" so that their figures are honest.
#
# PostgreSQL refuses to run as root: as root (CI), the cluster runs as the
# unprivileged "postgres" account that the Debian package makes, else as
# "nobody", through setpriv.  Exit status 3 when PostgreSQL is not installed.
set -u

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
	echo "usage: $0 start|stop DIR [durable]" >&2
	exit 2
}

bindir=""
for d in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done
if [ -z "$bindir" ]; then
	echo "pg-test-cluster: no initdb/pg_ctl (apt-get install postgresql)" >&2
	exit 3
fi

# Run "$@" as the cluster's owner.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid="$owner" --regid="$(id -g "$owner")" --clear-groups -- "$@"
	else
		"$@"
	fi
}

owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
	owner=nobody
	id postgres >/dev/null 2>&1 && owner=postgres
fi

case $cmd in
start)
	mkdir -p "$dir" || exit 1
	if [ "$(id -u)" = 0 ]; then
		chown "$owner" "$dir"
		# the owner must be able to reach DIR (a private temporary folder of root's)
		chmod o+x "$(dirname "$dir")"
	fi
	chmod 700 "$dir"
	if ! as_owner "$bindir/initdb" -D "$dir/data" -U tongban -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
		echo "pg-test-cluster: initdb failed:" >&2
		tail -20 "$dir/initdb.log" >&2
		exit 1
	fi
	opts="-c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB"
	[ "${3:-}" = durable ] || opts="$opts -c fsync=off -c full_page_writes=off"
	port=$((20000 + $$ % 20000))
	tries=0
	while :; do
		if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-k $dir -p $port $opts" start >"$dir/pg_ctl.log" 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 10 ]; then
			echo "pg-test-cluster: pg_ctl start failed:" >&2
			tail -20 "$dir/server.log" >&2
			exit 1
		fi
		port=$((port + 7))
	done
	echo "postgresql://tongban@127.0.0.1:$port" >"$dir/url"
	cat "$dir/url"
	;;
stop)
	[ -d "$dir/data" ] || exit 0
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR [durable]" >&2
	exit 2
	;;
esac
