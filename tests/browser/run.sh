#!/bin/sh
# make browser-test: open a drip flame graph and drip report pages in real headless Chromium,
# click, search, screenshot (tests/browser/flame.mjs).  Installs Debian's
# chromium (and nodejs) when missing and we are root.
set -eu
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
OUT=${OUT:-$root/build/browser-test}
mkdir -p "$OUT"
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v node >/dev/null 2>&1 || need="$need nodejs"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "browser-test: installing$need" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null || apt-get update
		apt-get install -y -qq --no-install-recommends $need >/dev/null
	else
		echo "browser-test: missing$need (apt-get install$need)" >&2
		exit 2
	fi
fi
node_flags=--experimental-websocket
node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null && node_flags=
svg=$OUT/flame.svg
prof=$root/testdata/profiles/flame_new.pb.gz
regex='cart\.'
"$DRIP" flame --minwidth=0 --title="drip browser test" "$prof" -o "$svg"
xmllint --noout "$svg"
# The share a search must report, from the folded stacks (not the SVG):
# value of the stacks with a matching frame over the total.
share=$("$DRIP" flame --format=folded "$prof" | awk -v re="$regex" '
	{ v = $NF; t += v; s = $0; sub(/ [^ ]*$/, "", s); n = split(s, fr, ";")
	  for (i = 1; i <= n; i++) if (fr[i] ~ re) { m += v; break } }
	END { printf "%.2f", m / t * 100 }')
timeout 120 node $node_flags "$here/flame.mjs" "$svg" "$OUT" 'strings.F1_10' "$regex" "$share"
# Without a browser: rendered at its default size (rsvg-convert, when
# installed: apt-get install librsvg2-bin) the graph is 1200 pixels wide.
if command -v rsvg-convert >/dev/null 2>&1; then
	rsvg-convert "$svg" -o "$OUT/flame-rsvg.png"
	pngw=$(od -An -tu1 -j16 -N4 "$OUT/flame-rsvg.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	if [ "$pngw" -ge 1200 ]; then echo "ok   rsvg-convert renders it $pngw pixels wide"; else
		echo "FAIL rsvg-convert renders it $pngw pixels wide, want >= 1200"; exit 1; fi
	echo "     image $OUT/flame-rsvg.png"
else
	echo "SKIP rsvg-convert is not installed"
fi
# The differential graph: widths are NEW's plus the frames only in BASE,
# so the expected share comes from the SVG's own layout numbers here
# (checked against the folded stacks by tests/cli/cases/flame-svg-diff-*).
base=$root/testdata/profiles/flame_base.pb.gz
"$DRIP" flame --minwidth=0 --base="$base" "$prof" -o "$OUT/flame-diff.svg"
xmllint --noout "$OUT/flame-diff.svg"
# (a frame's name: the first line of its <title>; its label may be shortened)
share=$(sed -n 's/^<svg class="f[^"]*" .* data-x="\([0-9]*\)" data-w="\([0-9]*\)" data-d="\([0-9]*\)".*<title>\([^&]*\)&#10;.*/\1 \2 \3 \4/p' "$OUT/flame-diff.svg" |
	awk -v re="$regex" '$3 == 0 { t = $2 } $3 > 0 && $4 ~ re { print $1, $1 + $2 } END { print "T", t }' |
	sort -k1,1n -k2,2nr | awk '$1 == "T" { t = $2; next } { if ($1 >= e) { s += $2 - $1; e = $2 } else if ($2 > e) { s += $2 - e; e = $2 } }
	END { printf "%.2f", s / t * 100 }')
timeout 120 node $node_flags "$here/flame.mjs" "$OUT/flame-diff.svg" "$OUT" 'strings.F1_10' "$regex" "$share" diff

# drip report: one page per kind of input (a heap profile, a diff, a
# goroutine dump, a series), each checked against drip's text output by
# report.mjs with the expectations expect.mjs computes from drip's text
# commands.  --minwidth=0 keeps every flame frame, so that the search
# share and the sandwich can be compared with the folded stacks exactly.
T=$root/testdata
report() {
	tag=$1 regex=$2
	shift 2
	"$DRIP" report --minwidth=0 --title="drip browser test: $tag" "$@" -o "$OUT/report-$tag.html"
	node $node_flags "$here/expect.mjs" "$DRIP" "$regex" "$@" > "$OUT/report-$tag.expect.json"
	timeout 150 node $node_flags "$here/report.mjs" "$OUT/report-$tag.html" "$OUT" "$OUT/report-$tag.expect.json" "$tag"
}
report heap 'Server' "$T/profiles/heap.pb.gz"
report diff 'Server' --base="$T/profiles/heap_t0.pb.gz" "$T/profiles/heap_t1.pb.gz"
report goroutine 'main\.' "$T/profiles/goroutine.debug2.txt"
report series 'leaky' "$T"/series/cache-leak/heap_00[0-5].pb.gz
# drip check --html: the verdict first, then the sections of the diff
"$DRIP" check --html="$OUT/report-check.html" --max-growth=10% --max-new-site=100kB \
	--base="$T/profiles/heap_t0.pb.gz" "$T/profiles/heap_t1.pb.gz" > /dev/null && { echo "drip check: want exit status 1" >&2; exit 1; }
node $node_flags "$here/expect.mjs" "$DRIP" 'Server' --max-growth=10% --max-new-site=100kB \
	--base="$T/profiles/heap_t0.pb.gz" "$T/profiles/heap_t1.pb.gz" > "$OUT/report-check.expect.json"
timeout 150 node $node_flags "$here/report.mjs" "$OUT/report-check.html" "$OUT" "$OUT/report-check.expect.json" check
report gseries 'main\.' "$T"/series/goroutine-leak/goroutine_00*.debug2.txt
# drip watch --html: the page a watch of a leaking service rewrites after
# every round (tests/live/server.py serves the recorded snapshots), checked
# as a series page of the snapshots the watch saved.
if command -v python3 >/dev/null 2>&1; then
	rm -rf "$OUT/watch" "$OUT/watch-port"
	python3 "$root/tests/live/server.py" "$OUT/watch-port" /dev/null \
		"/debug/pprof/heap=$(ls "$T"/series/http-leak/heap_00?.pb.gz | tr '\n' , | sed 's/,$//')" &
	srv=$!
	i=0
	while [ ! -s "$OUT/watch-port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	"$DRIP" watch --interval=100ms --count=5 --dir="$OUT/watch" --html="$OUT/report-watch.html" \
		"127.0.0.1:$(cat "$OUT/watch-port")" > /dev/null || [ $? = 1 ]
	kill $srv 2>/dev/null || true
	node $node_flags "$here/expect.mjs" "$DRIP" 'leaky' --watch-round=5 "$OUT"/watch/*.pb.gz > "$OUT/report-watch.expect.json"
	timeout 150 node $node_flags "$here/report.mjs" "$OUT/report-watch.html" "$OUT" "$OUT/report-watch.expect.json" watch
else
	echo "SKIP the drip watch page (python3 is not installed)"
fi
# BIG=1: a 400k-sample heap profile (BIG_PROFILE, else a synthetic one;
# BIG_REGEX: the filter and search, default pkg1[0-9]\.)
# with the default pruning (search and sandwich then see at most the
# folded stacks' values), then perf.mjs: navigation to interactive, the
# renderer's busy time and a zoom click, over 5 fresh loads, and a
# DevTools CPU profile of the last (not a pass/fail test: it prints).
if [ -n "${BIG:-}" ]; then
	SYNTH=${SYNTH:-$root/build/drip-synth}
	big=${BIG_PROFILE:-$OUT/synth400k.pb.gz}
	[ -f "$big" ] || "$SYNTH" -n 400000 -o "$big"
	"$DRIP" report "$big" -o "$OUT/report-big.html"
	ls -l "$OUT/report-big.html"
	node $node_flags "$here/expect.mjs" "$DRIP" "${BIG_REGEX:-pkg1[0-9]\.}" "$big" > "$OUT/report-big.expect.json"
	timeout 300 node $node_flags "$here/report.mjs" "$OUT/report-big.html" "$OUT" "$OUT/report-big.expect.json" big
	timeout 600 node $node_flags "$here/perf.mjs" "$OUT/report-big.html" 5 --profile="$OUT/report-big.cpuprofile"
fi
