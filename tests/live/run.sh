#!/bin/sh
# Live-profile tests: a real HTTP server on 127.0.0.1 (tests/live/server.py)
# serves recorded snapshots from testdata in sequence and a few failure
# modes; drip reads URLs, fetches, and reports errors.
set -eu
LC_ALL=C
export LC_ALL
TZ=UTC
export TZ
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
if [ -n "${VALGRIND:-}" ]; then
	DRIP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $DRIP"
fi
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
	echo "live: skipped: python3 is not installed"
	echo "live: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d)
series=$root/testdata/series/cache-leak
"$PY" "$here/server.py" "$tmp/port" "$tmp/log" \
	"/debug/pprof/heap=$series/heap_000.pb.gz,$series/heap_001.pb.gz,$series/heap_002.pb.gz,$series/heap_003.pb.gz" \
	"/debug/pprof/goroutine=$root/testdata/profiles/goroutine.debug2.txt" \
	"/w/debug/pprof/heap=$(ls "$series"/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')" \
	"/h/debug/pprof/heap=$(ls "$root"/testdata/series/cache-healthy/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')" &
srv=$!
trap 'kill $srv 2>/dev/null || true; rm -rf "$tmp"' EXIT
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")
base=http://127.0.0.1:$port
pass=0 fail=0
check() { # NAME WANT_RC CMD... ; stdout in $tmp/out, stderr in $tmp/err
	name=$1 want=$2
	shift 2
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	if [ "$rc" = "$want" ]; then
		return 0
	fi
	echo "FAIL $name: exit status $rc, want $want"
	sed 's/^/     /' "$tmp/err" | head -5
	return 1
}
expect_err() { # NAME TEXT: stderr is one line containing TEXT
	if [ "$(wc -l <"$tmp/err")" = 1 ] && grep -qF -- "$2" "$tmp/err"; then
		pass=$((pass + 1))
	else
		echo "FAIL $1: stderr is not one line with '$2':"
		sed 's/^/     /' "$tmp/err" | head -5
		fail=$((fail + 1))
	fi
}
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# 1. A URL input to top gives the same report as the file it served,
#    and heap URLs ask for a GC first.
if check top-url 0 $DRIP top --nodecount=5 "127.0.0.1:$port"; then
	$DRIP top --nodecount=5 "$series/heap_000.pb.gz" >"$tmp/want"
	if cmp -s "$tmp/out" "$tmp/want"; then ok; else bad "top-url: output differs from the file's"; fi
else fail=$((fail + 1)); fi
if grep -qx '/debug/pprof/heap?gc=1' "$tmp/log"; then ok; else bad "gc=1: not asked for"; fi
# 2. --no-gc leaves the URL alone.
if check no-gc 0 $DRIP top --no-gc --nodecount=1 "$base/debug/pprof/heap"; then
	if tail -n 1 "$tmp/log" | grep -qx '/debug/pprof/heap'; then ok; else bad "no-gc: gc=1 was sent"; fi
else fail=$((fail + 1)); fi
# 3. fetch saves the body exactly as served (the third snapshot now).
if check fetch 0 $DRIP fetch "$base/debug/pprof/heap" -o "$tmp/saved.pb.gz" &&
	cmp -s "$tmp/saved.pb.gz" "$series/heap_002.pb.gz"; then ok; else bad "fetch: saved file differs"; fi
# 4. Goroutine endpoints are fetched as debug=2.
if check goroutine-url 0 $DRIP info "$base/debug/pprof/goroutine" &&
	grep -q 'go-goroutine-debug2' "$tmp/out" &&
	grep -qx '/debug/pprof/goroutine?debug=2' "$tmp/log"; then ok; else bad "goroutine: not fetched as debug=2"; fi
# 5. diff of two URL snapshots works (when drip diff exists).
if $DRIP diff --help >/dev/null 2>&1; then
	if check diff-urls 0 $DRIP diff "$base/debug/pprof/heap" "$base/debug/pprof/heap"; then ok; else fail=$((fail + 1)); fi
fi
# 5b. flame reads URLs too.
if $DRIP flame --help >/dev/null 2>&1; then
	if check flame-url 0 $DRIP flame --format=folded "$base/w/debug/pprof/heap" && [ -s "$tmp/out" ]; then ok; else bad "flame-url"; fi
fi
# 6. Failures: one line on stderr, exit 2, nothing written.
check http-404 2 $DRIP top "$base/status/404" || true; expect_err http-404 "HTTP 404"
check http-500 2 $DRIP top "$base/status/500" || true; expect_err http-500 "HTTP 500"
check html 2 $DRIP top "$base/html" || true; expect_err html "HTML page, not a profile"
check redirect 2 $DRIP top "$base/redirect" || true; expect_err redirect "does not follow redirects"
check too-big 2 $DRIP top --max-size=1000000 "$base/big" || true; expect_err too-big "larger than the size limit"
check timeout 2 $DRIP top --timeout=1 "$base/slow" || true; expect_err timeout "timed out after 1 seconds"
check fetch-404 2 $DRIP fetch "$base/status/404" -o "$tmp/nothing.pb.gz" || true; expect_err fetch-404 "HTTP 404"
if [ -e "$tmp/nothing.pb.gz" ]; then bad "fetch-404 left a file"; else ok; fi
# 7. watch to completion: the leaking series' snapshots are saved, and the
#    final report ranks the leaking function first, exit status 1.
if check watch-leak 1 $DRIP watch --interval=100ms --count=6 --dir="$tmp/w" "$base/w/debug/pprof/heap"; then
	n=$(ls "$tmp/w" | grep -c '^heap-00[1-6]-.*\.pb\.gz$' || true)
	first=$(sed -n '/final report/,$p' "$tmp/out" | grep -m1 '^ *1  growing' || true)
	if [ "$n" = 6 ] && echo "$first" | grep -qF 'main.(*leakyCache).Put'; then ok; else bad "watch-leak: $n files, first suspect '$first'"; fi
else fail=$((fail + 1)); fi
# 8. watch interrupted: Ctrl-C (SIGINT) ends it with the final report; a
#    healthy series gives exit status 0.
$DRIP watch --interval=10s --dir="$tmp/h" "$base/h/debug/pprof/heap" >"$tmp/wout" 2>"$tmp/werr" &
wpid=$!
i=0
while [ "$(ls "$tmp/h" 2>/dev/null | wc -l)" -lt 2 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $wpid
set +e
wait $wpid
wrc=$?
set -e
if [ $wrc = 0 ] && grep -q 'final report after 2 rounds' "$tmp/wout" && grep -q 'no suspect\|0 suspects' "$tmp/wout"; then ok; else
	bad "watch-interrupted: exit $wrc"; sed 's/^/     /' "$tmp/werr" | head -3; tail -5 "$tmp/wout" | sed 's/^/     /'; fi
# 8b. Ctrl-C during a fetch (a server that takes 30 s to answer, a 60 s
#     --timeout): the watch ends within a second or so with its final
#     report, not when the fetch would time out (timeout 20 catches that).
timeout 20 $DRIP watch --timeout=60 --interval=1s --dir="$tmp/s" "$base/slow" >"$tmp/wout" 2>"$tmp/werr" &
wpid=$!
i=0
while ! grep -q '^/slow' "$tmp/log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
kill -INT $wpid 2>/dev/null || true
set +e
wait $wpid
wrc=$?
set -e
if [ $wrc = 0 ] && grep -q 'final report after 1 round' "$tmp/wout" && [ ! -s "$tmp/werr" ]; then ok; else
	bad "watch-ctrl-c-mid-fetch: exit $wrc (124: still fetching after 20 s)"; sed 's/^/     /' "$tmp/werr" | head -3; fi
# 9. watch whose first snapshot fails: one error line, exit status 2.
check watch-404 2 $DRIP watch --count=2 --dir="$tmp/x" "$base/status/404" || true; expect_err watch-404 "HTTP 404"
kill $srv 2>/dev/null || true
wait $srv 2>/dev/null || true
check server-down 2 $DRIP top --timeout=2 "127.0.0.1:$port" || true; expect_err server-down "Couldn't connect"
# 10. A real leaking Go service (testdata/gen/leaksvc), when Go is
#     installed: drip watch names both leaks.
[ -n "${HOME:-}" ] || { GOCACHE=$tmp/gocache GOPATH=$tmp/gopath; export GOCACHE GOPATH; }
if command -v go >/dev/null 2>&1 && (cd "$root/testdata/gen" && go build -o "$tmp/leaksvc" ./leaksvc) 2>"$tmp/goerr"; then
	"$tmp/leaksvc" -portfile "$tmp/svcport" -per-request 5 -life 60s &
	svc=$!
	i=0
	while [ ! -s "$tmp/svcport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	sp=$(cat "$tmp/svcport")
	if check watch-go 1 $DRIP watch --interval=400ms --count=6 --dir="$tmp/g" "127.0.0.1:$sp" "127.0.0.1:$sp/debug/pprof/goroutine"; then
		final=$(sed -n '/final report/,$p' "$tmp/out")
		h=$(echo "$final" | grep -m1 '^ *1  growing' || true)
		g=$(echo "$final" | grep '^ *1  growing' | sed -n 2p || true)
		if echo "$h" | grep -qF main.leakyRemember && echo "$g" | grep -qF main.leakyWaiter; then ok; else
			bad "watch-go: first suspects '$h' / '$g'"; fi
	else fail=$((fail + 1)); fi
	kill $svc 2>/dev/null || true
	wait $svc 2>/dev/null || true
else
	echo "SKIP watch-go (Go is not installed)"
fi
echo "live: $pass passed, $fail failed"
[ $fail = 0 ]
