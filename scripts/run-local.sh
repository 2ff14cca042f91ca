#!/bin/sh
# make run: a local tongband on 127.0.0.1 with its own SQLite file, and the
# tongban TUI against it.  Everything lives in ./run/ (delete it to start
# over).  Quitting the TUI stops the server.
#   usage: run-local.sh TONGBAN_BIN TONGBAND_BIN
set -u
client=$1
server=$2
top=$(cd "$(dirname "$0")/.." && pwd)
run=${TONGBAN_RUN_DIR:-$top/run}

mkdir -p "$run"
chmod 700 "$run"
if [ ! -f "$run/server.db" ]; then
	"$server" init --db "$run/server.db" >/dev/null || exit 1
	printf 'demo123\n' | "$server" useradd --db "$run/server.db" --id demo --name 王小明 \
		--hall H001 --hall-name 示例市政务服务中心 --window 3 --role clerk >/dev/null || exit 1
fi
# the items of new cases are checked against it (the same version again changes nothing)
"$server" import-catalogue --db "$run/server.db" "$top/data/catalogue.json" >/dev/null || exit 1

rm -f "$run/port"
"$server" serve --db "$run/server.db" --listen 127.0.0.1:0 --port-file "$run/port" \
	2>>"$run/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT INT TERM HUP

# wait for the server to write its port (at most 10 s)
i=0
while [ ! -s "$run/port" ]; do
	if ! kill -0 $pid 2>/dev/null || [ $i -ge 200 ]; then
		echo "tongband did not start; see $run/server.log" >&2
		exit 1
	fi
	sleep 0.05
	i=$((i + 1))
done
url="http://127.0.0.1:$(cat "$run/port")"
echo "tongband: $url (log: $run/server.log)"

"$client" --db "$run/tongban.db" --server "$url" --data "$top"
