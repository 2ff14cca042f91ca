#!/bin/sh
# Run every test program given, even after a failure.  Each is a Check runner
# printing "NN%: Checks: N, Failures: F, Errors: E"; the counts are summed into
# one closing line ("tests: N passed, N failed").  A program that fails without
# such a line (a crash) counts as one failed test.  Exit status: 0 only if all passed.
passed=0
failed=0
bad=""
log=$(mktemp)
# the suite never reads this machine's settings files (tongban.conf(5))
conf=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$conf"' EXIT
export TONGBAN_SYSTEM_CONFIG="$conf/tongban.conf" XDG_CONFIG_HOME="$conf" \
	TONGBAND_CONFIG="$conf/tongband.conf"
for t in "$@"; do
	name=${t#*/tests/}
	echo "=== $name"
	start=$(date +%s)
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
		e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
		passed=$((passed + n - f - e))
		failed=$((failed + f + e))
	elif [ $rc -ne 0 ]; then
		failed=$((failed + 1))
	fi
	if [ $rc -eq 0 ]; then
		echo "--- ok   $name ($(($(date +%s) - start))s)"
	else
		bad="$bad $name"
		[ -n "$line" ] && [ "$f" -eq 0 ] && [ "$e" -eq 0 ] && failed=$((failed + 1))
		echo "--- FAIL $name ($(($(date +%s) - start))s, exit $rc)"
	fi
done
echo
[ -n "$bad" ] && echo "failed programs:$bad"
echo "tests: $passed passed, $failed failed"
[ -z "$bad" ]
