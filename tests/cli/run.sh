#!/bin/sh
# Golden CLI tests (in the form of zstd's tests/cli-tests): each folder
# tests/cli/cases/NAME holds
#   cmd   one shell command line; $DRIP, $TESTDATA and $SHARED are set
#   out   the expected stdout (byte for byte)
#   err   the expected stderr (optional; compared when present)
#   rc    the expected exit status (optional; default 0)
#   needs "shared" when the case reads ../shared (skipped when absent)
# With VALGRIND=1 every command runs under valgrind as well.
set -eu
LC_ALL=C
export LC_ALL
TZ=UTC
export TZ
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
TESTDATA=$root/testdata
SHARED=$root/../shared/pprof-testdata
if [ -n "${VALGRIND:-}" ]; then
	DRIP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $DRIP"
fi
export DRIP TESTDATA SHARED
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
for dir in "$here"/cases/*/; do
	[ -f "$dir/cmd" ] || continue
	name=$(basename "$dir")
	if [ -f "$dir/needs" ] && grep -q shared "$dir/needs" && [ ! -d "$SHARED" ]; then
		echo "SKIP $name (../shared/pprof-testdata is absent)"
		skip=$((skip + 1))
		continue
	fi
	want_rc=0
	[ -f "$dir/rc" ] && want_rc=$(cat "$dir/rc")
	set +e
	(cd "$tmp" && sh -c "$(cat "$dir/cmd")") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	ok=1
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $name: exit status $rc, want $want_rc"
		ok=0
	fi
	if ! cmp -s "$tmp/out" "$dir/out"; then
		echo "FAIL $name: stdout differs:"
		diff "$dir/out" "$tmp/out" | head -20 || true
		ok=0
	fi
	if [ -f "$dir/err" ] && ! cmp -s "$tmp/err" "$dir/err"; then
		echo "FAIL $name: stderr differs:"
		diff "$dir/err" "$tmp/err" | head -10 || true
		ok=0
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
