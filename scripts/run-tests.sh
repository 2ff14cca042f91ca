#!/bin/sh
# Run every test program given, even after a failure.  Each is a Check runner
# printing "NN%: Checks: N, Failures: F, Errors: E"; the counts are summed into
# one closing line ("tests: N passed, N failed").  A program that fails without
# such a line (a crash) counts as one failed test.  Exit status: 0 only if all passed.
#
# The programs named in $TONGBAN_PG_TESTS (the server's suites) then run a
# second time on PostgreSQL (TONGBAND_TEST_BACKEND=postgresql), on one
# private cluster started here for the whole run (scripts/pg-test-cluster.sh)
# unless $TONGBAN_TEST_PG names one.  Where PostgreSQL is not installed
# (or TONGBAN_NO_POSTGRESQL=1) that second run is skipped, and said so loudly.
passed=0
failed=0
bad=""
log=$(mktemp)
# the failure lines of every failed program, printed again at the end so that
# the last lines of a long run say what failed and where
why=$(mktemp)
pgdir=""
# the suite never reads this machine's settings files (tongban.conf(5))
conf=$(mktemp -d)
export TONGBAN_SYSTEM_CONFIG="$conf/tongban.conf" XDG_CONFIG_HOME="$conf" \
	TONGBAND_CONFIG="$conf/tongband.conf"
cleanup() {
	rm -f "$log" "$why"
	rm -rf "$conf"
	if [ -n "$pgdir" ]; then
		sh "$(dirname "$0")/pg-test-cluster.sh" stop "$pgdir/cluster"
		rm -rf "$pgdir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_one NAME PROGRAM: run it, show its output, add up its counts.
run_one() {
	name=$1
	echo "=== $name"
	start=$(date +%s)
	"$2" >"$log" 2>&1
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
		{
			echo "--- $name (exit $rc):"
			if grep -qE ':[FE]:' "$log"; then
				grep -E ':[FE]:' "$log" | cut -c1-600
			else
				tail -n 15 "$log" | cut -c1-600
			fi
		} >>"$why"
	fi
}

loudly() {
	echo
	echo "################################################################"
	echo "## $1"
	echo "## $2"
	echo "################################################################"
	echo
}

for t in "$@"; do
	run_one "${t#*/tests/}" "$t"
done

if [ -n "${TONGBAN_PG_TESTS:-}" ]; then
	if [ "${TONGBAN_NO_POSTGRESQL:-0}" = 1 ]; then
		loudly "SKIPPED: the server suites did NOT run on PostgreSQL" \
			"(TONGBAN_NO_POSTGRESQL=1)"
	elif [ -z "${TONGBAN_TEST_PG:-}" ]; then
		pgdir=$(mktemp -d "${TMPDIR:-/tmp}/tongband-pg-XXXXXX")
		url=$(sh "$(dirname "$0")/pg-test-cluster.sh" start "$pgdir/cluster")
		rc=$?
		if [ $rc -eq 0 ]; then
			TONGBAN_TEST_PG=$url
			export TONGBAN_TEST_PG
		elif [ $rc -eq 3 ]; then
			loudly "SKIPPED: the server suites did NOT run on PostgreSQL" \
				"PostgreSQL is not installed here (apt-get install postgresql libpq-dev)"
		else
			echo "--- FAIL the PostgreSQL cluster for the tests did not start"
			bad="$bad postgresql-cluster"
			failed=$((failed + 1))
		fi
	fi
	if [ -n "${TONGBAN_TEST_PG:-}" ]; then
		echo "=== PostgreSQL: $TONGBAN_TEST_PG"
		TONGBAND_TEST_BACKEND=postgresql
		export TONGBAND_TEST_BACKEND
		for t in $TONGBAN_PG_TESTS; do
			run_one "${t#*/tests/} [postgresql]" "$t"
		done
	fi
fi

echo
if [ -n "$bad" ]; then
	echo "failures:"
	cat "$why"
	echo
	echo "failed programs:$bad"
fi
echo "tests: $passed passed, $failed failed"
[ -z "$bad" ]
