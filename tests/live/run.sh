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
	n=$(ls "$tmp/w" | grep -c "^127\.0\.0\.1_${port}_w_debug_pprof_heap-00[1-6]-.*\.pb\.gz\$" || true)
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
# 8b. Two services with the same endpoint, one folder: every snapshot of
#     each is kept under its own name, and each gets its own verdict (the
#     leaking one is a suspect, the healthy one is not).
"$PY" "$here/server.py" "$tmp/port2" "$tmp/log2" \
	"/debug/pprof/heap=$(ls "$series"/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')" &
srv2=$!
"$PY" "$here/server.py" "$tmp/port3" "$tmp/log3" \
	"/debug/pprof/heap=$(ls "$root"/testdata/series/cache-healthy/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')" &
srv3=$!
i=0
while { [ ! -s "$tmp/port2" ] || [ ! -s "$tmp/port3" ]; } && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
p2=$(cat "$tmp/port2") p3=$(cat "$tmp/port3")
if check watch-two 1 $DRIP watch --interval=100ms --count=6 --dir="$tmp/two" "127.0.0.1:$p2" "127.0.0.1:$p3"; then
	n2=$(ls "$tmp/two" | grep -c "^127\.0\.0\.1_${p2}_heap-00[1-6]-" || true)
	n3=$(ls "$tmp/two" | grep -c "^127\.0\.0\.1_${p3}_heap-00[1-6]-" || true)
	# the final report: the leaking service's section names the leak,
	# the healthy one's has no suspect
	fin=$(sed -n '/final report/,$p' "$tmp/out")
	s2=$(echo "$fin" | sed -n "/^== http:\/\/127.0.0.1:$p2\//,/^== /p")
	s3=$(echo "$fin" | sed -n "/^== http:\/\/127.0.0.1:$p3\//,\$p")
	if [ "$n2" = 6 ] && [ "$n3" = 6 ] && echo "$s2" | grep -q '^ *1  growing.*main.(\*leakyCache).Put' &&
		echo "$s3" | grep -q '^0 suspects'; then ok; else
		bad "watch-two: $n2 + $n3 files"; echo "$fin" | sed 's/^/     /' | head -20; fi
else fail=$((fail + 1)); fi
# drip leaks on the folder groups the snapshots back by target: the same
# two verdicts.
if check leaks-dir 1 $DRIP leaks "$tmp/two"; then
	s2=$(sed -n "/^== 127.0.0.1_${p2}_heap: 6 snapshots/,/^== /p" "$tmp/out")
	s3=$(sed -n "/^== 127.0.0.1_${p3}_heap: 6 snapshots/,\$p" "$tmp/out")
	if echo "$s2" | grep -q '^ *1  growing.*main.(\*leakyCache).Put' && echo "$s3" | grep -q '^0 suspects'; then ok; else
		bad "leaks-dir: verdicts per target"; head -20 "$tmp/out" | sed 's/^/     /'; fi
else fail=$((fail + 1)); fi
kill $srv2 $srv3 2>/dev/null || true
# The same URL twice is refused before anything is fetched.
check watch-twice 2 $DRIP watch --count=1 --dir="$tmp/tw" "127.0.0.1:$p2" "http://127.0.0.1:$p2/debug/pprof/heap" || true
expect_err watch-twice "given twice"
# 8d. Twelve rounds of two URLs (a leaking heap, leaking goroutines).  In a
#     pipe: one block per round, under 25 lines, with the snapshot counts
#     and only what changed (the leaks of testdata/series/manifest.tsv
#     become suspects once); the full report once at the end, with every
#     snapshot of both series.
hl=$(ls "$root"/testdata/series/http-leak/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')
gl=$(ls "$root"/testdata/series/goroutine-leak/goroutine_00?.debug2.txt | tr '\n' , | sed 's/,$//')
"$PY" "$here/server.py" "$tmp/port5" "$tmp/log5" "/debug/pprof/heap=$hl" "/debug/pprof/goroutine=$gl" &
srv5=$!
i=0
while [ ! -s "$tmp/port5" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
p5=$(cat "$tmp/port5")
if check watch-pipe 0 $DRIP watch --interval=50ms --count=12 --dir="$tmp/p" "127.0.0.1:$p5" "127.0.0.1:$p5/debug/pprof/goroutine"; then
	# lines per block, the final report aside
	rounds=$(sed '/^== drip watch: final report/,$d' "$tmp/out" |
		awk '/^== round /{if(n)print n; n=0} {n++} END{if(n)print n}')
	nblocks=$(echo "$rounds" | grep -c . || true)
	maxlines=$(echo "$rounds" | sort -n | tail -n 1)
	# each block counts the snapshots of both series
	counts=$(grep -c '^heap: [0-9]* snapshots\{0,1\}[ ;(]' "$tmp/out" || true)
	gcounts=$(grep -c '^goroutine: [0-9]* snapshots\{0,1\}[ ;(]' "$tmp/out" || true)
	hs=$(grep -c '^  growing (was [a-z]*) .* main\.leakyFetch$' "$tmp/out" || true)
	gs=$(grep -c '^  growing (was [a-z]*) .* main\.leakyWorker$' "$tmp/out" || true)
	fin=$(sed -n '/^== drip watch: final report after 12 rounds/,$p' "$tmp/out")
	nfin=$(echo "$fin" | grep -c '^Snapshots: 12 ' || true)
	if [ "$nblocks" = 12 ] && [ "$maxlines" -lt 25 ] && [ "$counts" = 12 ] && [ "$gcounts" = 12 ] &&
		[ "$hs" = 1 ] && [ "$gs" = 1 ] && [ "$nfin" = 2 ] &&
		[ "$(grep -c '^Snapshots: ' "$tmp/out")" = 2 ]; then ok; else
		bad "watch-pipe: $nblocks blocks of up to $maxlines lines, counts $counts/$gcounts, suspects $hs/$gs, final $nfin"
		head -30 "$tmp/out" | sed 's/^/     /'
	fi
else fail=$((fail + 1)); fi
# 8f. A heap and a goroutine URL of one service (testdata/joint/default,
#     made by gen/jointsvc): the final report ends with their joined
#     finding, the startJob goroutines with the startJob buffers.
jh=$(ls "$root"/testdata/joint/default/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')
jg=$(ls "$root"/testdata/joint/default/goroutine_00?.pb.gz | tr '\n' , | sed 's/,$//')
"$PY" "$here/server.py" "$tmp/port7" "$tmp/log7" "/debug/pprof/heap=$jh" "/debug/pprof/goroutine=$jg" &
srv7=$!
i=0
while [ ! -s "$tmp/port7" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
p7=$(cat "$tmp/port7")
if check watch-joined 1 $DRIP watch --interval=50ms --count=8 --dir="$tmp/j" "127.0.0.1:$p7" "127.0.0.1:$p7/debug/pprof/goroutine"; then
	j=$(sed -n '/^== joined: /,$p' "$tmp/out")
	if echo "$j" | grep -q '^Joined: 1 finding' &&
		echo "$j" | grep -q '^   1  +138 goroutines in main\.startJob\.func1 ' &&
		echo "$j" | grep -q ' main\.startJob (heap rank 1): the goroutines run main\.startJob\.func1, a closure of main\.startJob$' &&
		$DRIP leaks "$tmp/j" | grep -q '^Joined: 1 finding'; then ok; else
		bad "watch-joined: no joined finding"; sed 's/^/     /' "$tmp/out" | tail -8
	fi
else fail=$((fail + 1)); fi
kill $srv7 2>/dev/null || true
# 8g. The same each round, as soon as it holds (testdata/joint/lib: the
#     leaked jobs' buffers are bufio's, allocated for main.startLibJob, by
#     construction; +138 goroutines = 140 leaked - 2 report jobs, its
#     truth.tsv).  In a pipe: the rounds before the final report name the
#     joined finding and, when the heap site becomes a suspect, its owner,
#     and the --html heap page holds the final report's joined findings;
#     on a terminal of 24 rows and 80 columns the last screen shows both,
#     within the terminal.
jh=$(ls "$root"/testdata/joint/lib/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')
jg=$(ls "$root"/testdata/joint/lib/goroutine_00?.pb.gz | tr '\n' , | sed 's/,$//')
"$PY" "$here/server.py" "$tmp/port9" "$tmp/log9" "/debug/pprof/heap=$jh" "/debug/pprof/goroutine=$jg" &
srv9=$!
i=0
while [ ! -s "$tmp/port9" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
p9=$(cat "$tmp/port9")
if check watch-joined-rounds 1 $DRIP watch --interval=50ms --count=8 --dir="$tmp/jr" --html="$tmp/jpage.html" "127.0.0.1:$p9" "127.0.0.1:$p9/debug/pprof/goroutine"; then
	rounds=$(sed '/^== drip watch: final report/,$d' "$tmp/out")
	last=$(echo "$rounds" | sed -n '/^== round 8\/8 /,$p')
	sed -n '/^== joined: /,$p' "$tmp/out" | sed 1d >"$tmp/want"
	"$PY" "$here/htmlpage.py" leaks-joined "$tmp/jpage-127.0.0.1_${p9}_heap.html" >"$tmp/got"
	if grep -q '^Joined: 1 finding' "$tmp/got" && cmp -s "$tmp/got" "$tmp/want"; then ok; else
		bad "watch-joined-html: the heap page's joined findings differ from the final report's"; diff "$tmp/want" "$tmp/got" | head -5 | sed 's/^/     /'; fi
	if echo "$rounds" | grep -q '^  growing (was [a-z]*) .* bufio\.NewReaderSize (allocated for main\.startLibJob)$' &&
		echo "$last" | grep -q '^joined heap + goroutine: 1 finding (8 common snapshots, by profile time)$' &&
		echo "$last" | grep -q '^   1  +138 goroutines in main\.startLibJob\.func1 (goroutine rank 1)$' &&
		echo "$last" | grep -q '^      with +[0-9.]*MB of heap: [0-9.]*kB per leaked goroutine: bufio\.NewReaderSize$'; then ok; else
		bad "watch-joined-rounds: no joined finding or owner in the rounds"; echo "$rounds" | tail -12 | sed 's/^/     /'
	fi
else fail=$((fail + 1)); fi
kill $srv9 2>/dev/null || true
if command -v script >/dev/null 2>&1 && [ -z "${VALGRIND:-}" ]; then
	"$PY" "$here/server.py" "$tmp/port10" "$tmp/log10" "/debug/pprof/heap=$jh" "/debug/pprof/goroutine=$jg" &
	srv10=$!
	i=0
	while [ ! -s "$tmp/port10" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	p10=$(cat "$tmp/port10")
	script -qec "stty rows 24 cols 80; $DRIP watch --interval=50ms --count=8 --dir='$tmp/js' 127.0.0.1:$p10 127.0.0.1:$p10/debug/pprof/goroutine" "$tmp/typescript2" >/dev/null 2>&1 </dev/null || true
	awk -v RS="$(printf '\033')\\\\[H" 'END{printf "%s", $0}' "$tmp/typescript2" |
		sed "s/$(printf '\033')\[[0-9;]*[A-Za-z]//g; s/$(printf '\r')//g; /^Script done/d" >"$tmp/screen2"
	rows=$(wc -l <"$tmp/screen2")
	wide=$(tr -d '\200-\277' <"$tmp/screen2" | awk '{ if (length($0) > 80) n++ } END { print n + 0 }')
	if [ "$rows" -le 24 ] && [ "$wide" = 0 ] &&
		grep -q '^ *1  growing .* bufio\.NewReaderSize$' "$tmp/screen2" &&
		grep -q '^      allocated for main\.startLibJob$' "$tmp/screen2" &&
		grep -q '^== joined heap + goroutine  1 finding (8 common snapshots, by profile time)$' "$tmp/screen2" &&
		grep -q '^   1  +138 goroutines in main\.startLibJob\.func1 (goroutine rank 1)$' "$tmp/screen2"; then ok; else
		bad "watch-joined-screen: the last screen ($rows rows, $wide too wide)"; sed 's/^/     /' "$tmp/screen2" | head -26
	fi
	kill $srv10 2>/dev/null || true
else
	echo "SKIP watch-joined-screen (no script(1), or under valgrind)"
fi
# 8e. The same on a terminal of 40 rows and 120 columns (script(1) gives
#     drip one): each round redraws one screen from the top, never more
#     than 40 lines nor wider than 120 columns; the last screen shows both
#     series' tables with their leaks and names the full report.
if command -v script >/dev/null 2>&1 && [ -z "${VALGRIND:-}" ]; then
	kill $srv5 2>/dev/null || true
	"$PY" "$here/server.py" "$tmp/port6" "$tmp/log6" "/debug/pprof/heap=$hl" "/debug/pprof/goroutine=$gl" &
	srv6=$!
	i=0
	while [ ! -s "$tmp/port6" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	p6=$(cat "$tmp/port6")
	script -qec "stty rows 40 cols 120; $DRIP watch --interval=50ms --count=12 --dir='$tmp/s' 127.0.0.1:$p6 127.0.0.1:$p6/debug/pprof/goroutine" "$tmp/typescript" >/dev/null 2>&1 </dev/null || true
	# the first clear, then one screen per round and the last one: each
	# starts at the top left (ESC [ H)
	homes=$(grep -o "$(printf '\033')\[H" "$tmp/typescript" | wc -l)
	# the last screen: what follows the last ESC [ H, escapes removed
	awk -v RS="$(printf '\033')\\\\[H" 'END{printf "%s", $0}' "$tmp/typescript" |
		sed "s/$(printf '\033')\[[0-9;]*[A-Za-z]//g; s/$(printf '\r')//g; /^Script done/d" >"$tmp/screen"
	rows=$(wc -l <"$tmp/screen")
	# columns: UTF-8 continuation bytes take none
	wide=$(tr -d '\200-\277' <"$tmp/screen" | awk '{ if (length($0) > 120) n++ } END { print n + 0 }')
	if [ "$homes" = 14 ] && [ "$rows" -le 40 ] && [ "$wide" = 0 ] &&
		grep -q '^drip watch  ended after 12 rounds' "$tmp/screen" &&
		grep -q '^== heap  12 snapshots' "$tmp/screen" && grep -q '^== goroutine  12 snapshots' "$tmp/screen" &&
		grep -q '^ *1  [a-z]* .* main\.leakyFetch$' "$tmp/screen" &&
		grep -q '^ *1  [a-z]* .* main\.leakyWorker$' "$tmp/screen" &&
		grep -q "^The full report: drip leaks $tmp/s\$" "$tmp/screen"; then ok; else
		bad "watch-screen: $homes screens, the last $rows rows, $wide too wide"; sed 's/^/     /' "$tmp/screen" | head -45
	fi
	kill $srv6 2>/dev/null || true
else
	echo "SKIP watch-screen (no script(1), or under valgrind)"
fi
kill $srv5 2>/dev/null || true
# 8f. --html: each target's page (FILE-TARGET.html with two URLs) is
#     rewritten after every round, atomically: every read of it while the
#     watch runs is a whole page (htmlpage.py polls it every 20 ms), and
#     it shows every round.  After the last round its snapshots are the
#     folder's files of that target with drip info's totals, the tables
#     are of the newest, and its leaks section is drip leaks' on the
#     folder, byte for byte.
"$PY" "$here/server.py" "$tmp/port8" "$tmp/log8" "/debug/pprof/heap=$hl" "/debug/pprof/goroutine=$gl" &
srv8=$!
i=0
while [ ! -s "$tmp/port8" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
p8=$(cat "$tmp/port8")
hp=$tmp/page-127.0.0.1_${p8}_heap.html gp=$tmp/page-127.0.0.1_${p8}_goroutine.html
"$PY" "$here/htmlpage.py" poll 5 "$tmp/poll.ready" "$hp" "$gp" >"$tmp/poll" &
ppid=$!
# the reader first (it waits for the pages to appear)
i=0
while [ ! -e "$tmp/poll.ready" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
set +e
$DRIP watch --interval=700ms --count=5 --dir="$tmp/hw" --html="$tmp/page.html" \
	"127.0.0.1:$p8" "127.0.0.1:$p8/debug/pprof/goroutine" >"$tmp/wout" 2>"$tmp/werr"
wrc=$?
wait $ppid
prc=$?
set -e
# rounds seen: at least three of the five (a loaded machine may skip one)
nseen=$(sed -n 's/^page-127.*_heap.html: rounds //p' "$tmp/poll" | wc -w)
if [ $prc = 0 ] && [ $wrc = 1 ] && [ "$nseen" -ge 3 ] && [ ! -s "$tmp/werr" ]; then ok; else
	bad "watch-html: pages read $prc, watch exit $wrc, heap page seen at $nseen rounds"
	sed 's/^/     /' "$tmp/poll" "$tmp/werr" | head -8; fi
for t in heap goroutine; do
	page=$tmp/page-127.0.0.1_${p8}_$t.html
	# the summary: the folder's files of the target, drip info's totals
	: >"$tmp/want"
	for f in "$tmp/hw"/127.0.0.1_${p8}_$t-*; do
		$DRIP info --format=json "$f" | "$PY" -c 'import json,sys
d = json.loads(sys.stdin.readline())
print(d["file"], " ".join("%s=%d" % (t["type"], t["total"]) for t in d["sample_types"]))' >>"$tmp/want"
		last=$f
	done
	echo "newest $last" >>"$tmp/want"
	"$PY" "$here/htmlpage.py" files "$page" >"$tmp/got"
	if [ "$(grep -c . "$tmp/got")" = 6 ] && cmp -s "$tmp/got" "$tmp/want"; then ok; else
		bad "watch-html-$t: summary differs from the folder's files"; diff "$tmp/want" "$tmp/got" | head -5 | sed 's/^/     /'; fi
	# the leaks section: drip leaks over the target's files in the folder
	# (drip leaks DIR joins the heap and goroutine targets of one service)
	set +e
	$DRIP leaks "$tmp/hw"/127.0.0.1_${p8}_$t-* >"$tmp/want"
	set -e
	"$PY" "$here/htmlpage.py" leaks-text "$page" >"$tmp/got"
	if [ -s "$tmp/want" ] && grep -q '^ *1  growing' "$tmp/got" && cmp -s "$tmp/got" "$tmp/want"; then ok; else
		bad "watch-html-$t: leaks section differs from drip leaks DIR"; diff "$tmp/want" "$tmp/got" | head -8 | sed 's/^/     /'; fi
done
kill $srv8 2>/dev/null || true
# 8c. kill -9 at random moments of a watch writing big snapshots leaves
#     no torn file: every snapshot there reads; the temporary files of the
#     killed runs are removed by the next run in that folder.
SYNTH=${SYNTH:-$root/build/drip-synth}
case "$SYNTH" in /*) ;; *) SYNTH="$root/$SYNTH" ;; esac
"$SYNTH" -n 100000 -f 2000 -d 10-30 -l 1 -o "$tmp/big.pb.gz"
gzip -dc "$tmp/big.pb.gz" >"$tmp/big10.pb" # raw: ~20 MB to write
"$PY" "$here/server.py" "$tmp/port4" "$tmp/log4" "/debug/pprof/heap=$tmp/big10.pb" 2>/dev/null &
srv4=$!
i=0
while [ ! -s "$tmp/port4" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
p4=$(cat "$tmp/port4")
# two whole snapshots first, whatever the machine's load; then the kills
$DRIP watch --interval=1ms --count=2 --dir="$tmp/k" "127.0.0.1:$p4" >/dev/null 2>&1 || true
for k in 1 2 3 4 5 6 7 8; do
	$DRIP watch --interval=1ms --count=1000 --dir="$tmp/k" "127.0.0.1:$p4" >/dev/null 2>&1 &
	wpid=$!
	sleep "0.$(( (k * 37) % 9 + 1 ))"
	kill -9 $wpid 2>/dev/null || true
	wait $wpid 2>/dev/null || true
done
torn=0 nsnap=0
for f in "$tmp/k"/*; do
	[ -e "$f" ] || continue
	nsnap=$((nsnap + 1))
	$DRIP info "$f" >/dev/null 2>&1 || { torn=$((torn + 1)); echo "     torn: $f"; }
done
ntmp_before=$(ls -A "$tmp/k" | grep -c '^\..*\.drip-tmp-' || true)
$DRIP watch --count=1 --dir="$tmp/k" "127.0.0.1:$p4" >/dev/null 2>&1 || true
ntmp_after=$(ls -A "$tmp/k" | grep -c '^\..*\.drip-tmp-' || true)
kill $srv4 2>/dev/null || true
if [ $torn = 0 ] && [ $nsnap -ge 2 ] && [ "$ntmp_after" = 0 ]; then ok; else
	bad "watch-kill: $torn torn of $nsnap snapshots, temporaries $ntmp_before -> $ntmp_after"; fi
# 8d. Ctrl-C during a fetch (a server that takes 30 s to answer, a 60 s
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
