#!/bin/sh
# make bench: time drip against `go tool pprof` on big heap profiles and
# write BENCHMARKS.md (the tables, then the notes in bench/NOTES.md).
#
# Inputs, generated into $O/bench (git-ignored) and reused when present:
#   heap_100k, heap_1m   real Go heap profiles (testdata/gen/bigstacks, needs Go),
#                        each with a *_b twin (-shift 7) to diff against
#   synth_10k .. synth_1m   synthetic profiles from drip-synth (no Go needed),
#                        each with a *_b twin (-s 2)
# Each drip command runs only if `drip CMD --help` works; drip runs are the
# best of BENCH_RUNS (default 3); pprof runs once per command and file.
# The floor is `gzip -dc FILE >/dev/null`.
#
#   deep_s00..s15        16 snapshots of a service-shaped heap profile
#                        (testdata/gen/deepsvc, needs Go): every command
#                        runs on deep_s15 (A), diffs against deep_s00 (B),
#                        leaks over 2, 3 and 16 of them; drip watch over
#                        60 rounds of them served by tests/live/server.py
#                        (needs python3), against 60 × drip info URL
#
# Environment: DRIP, SYNTH, RUNSTAT, O (build dir), BENCH_RUNS,
# BENCH_PPROF=0 (skip pprof), BENCH_QUICK=1 (skip the 1M inputs),
# BENCH_DEEP=0 (skip the deep profile), BENCH_CLASSIC=0 (the deep profile
# only), BENCH_OUT (default BENCHMARKS.md), FLAMEGRAPH_PL (flamegraph.pl
# for the flame SVG reference, when not on PATH).
set -eu
LC_ALL=C
TZ=UTC
export LC_ALL TZ
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
O=${O:-build}
DRIP=${DRIP:-$O/drip}
SYNTH=${SYNTH:-$O/drip-synth}
RUNSTAT=${RUNSTAT:-$O/runstat}
RUNS=${BENCH_RUNS:-3}
OUT=${BENCH_OUT:-BENCHMARKS.md}
QUICK=${BENCH_QUICK:-0}
dir=$O/bench
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

log() { echo "bench: $*" >&2; }

# pprof: the tool binary itself (not the `go` launcher), when Go is here.
PPROF=
if [ "${BENCH_PPROF:-1}" != 0 ] && command -v go >/dev/null 2>&1; then
	PPROF=$(go tool -n pprof 2>/dev/null || true)
	[ -x "$PPROF" ] || PPROF=
fi

# ---- inputs ----
# deep: 16 snapshots of one run of testdata/gen/deepsvc (a service-shaped
# heap profile: 25-30-frame stacks, ~10k locations, a bytes label per
# sample); A = the last, B = the first.  Built in $dir/deepsvc.src, with
# its handlers written by genfuncs.sh.
deep=0
if [ "${BENCH_DEEP:-1}" != 0 ] && command -v go >/dev/null 2>&1; then
	if [ ! -s "$dir/deep_s15.pb.gz" ]; then
		log "generating $dir/deep_s00..15.pb.gz (Go: testdata/gen/deepsvc, 16 snapshots, a few minutes)"
		src=$dir/deepsvc.src
		rm -rf "$src"
		mkdir -p "$src"
		cp testdata/gen/deepsvc/main.go "$src/"
		sh testdata/gen/deepsvc/genfuncs.sh >"$src/funcs.go"
		printf 'module deepsvc\n\ngo 1.19\n' >"$src/go.mod"
		(cd "$src" && GOFLAGS=-mod=mod go build -o deepsvc .) &&
			"$src/deepsvc" -n 200000 -snapshots 16 -o "$root/$dir/deep_s%02d.pb.gz.tmp" &&
			for i in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
				mv "$dir/deep_s$i.pb.gz.tmp" "$dir/deep_s$i.pb.gz"
			done
	fi
	[ -s "$dir/deep_s15.pb.gz" ] && deep=1
fi
sets=""
CLASSIC=${BENCH_CLASSIC:-1}
if [ "$CLASSIC" = 0 ]; then
	: # the deep profile only
elif command -v go >/dev/null 2>&1; then
	for n in 100k 1m; do
		[ "$QUICK" = 1 ] && [ $n = 1m ] && continue
		case $n in 100k) stacks=100000 ;; 1m) stacks=1000000 ;; esac
		for v in a b; do
			f=$dir/heap_${n}_$v.pb.gz
			[ $v = a ] && shift=0 || shift=7
			if [ ! -s "$f" ]; then
				log "generating $f (Go, $stacks stacks)"
				(cd testdata/gen && GOFLAGS=-mod=mod go run ./bigstacks -stacks $stacks -shift $shift -o "$root/$f.tmp") &&
					mv "$f.tmp" "$f"
			fi
		done
		sets="$sets heap_$n"
	done
else
	log "no Go: real heap profiles skipped, synthetic ones only"
fi
# the synthetic profiles' shape (sizes and seeds vary)
SYNTH_SHAPE="-f 5000 -d 10-40 -l 2 -i 10"
for n in 10k 100k 1m; do
	[ "$CLASSIC" = 0 ] && break
	[ "$QUICK" = 1 ] && [ $n = 1m ] && continue
	case $n in 10k) ns=10000 ;; 100k) ns=100000 ;; 1m) ns=1000000 ;; esac
	for v in a b; do
		f=$dir/synth_${n}_$v.pb.gz
		[ $v = a ] && seed=1 || seed=2
		if [ ! -s "$f" ]; then
			log "generating $f (drip-synth, $ns samples)"
			"$SYNTH" -n $ns $SYNTH_SHAPE -s $seed -o "$f.tmp" && mv "$f.tmp" "$f"
		fi
	done
	sets="$sets synth_$n"
done

have() { "$DRIP" "$1" --help >/dev/null 2>&1; }

# measure LABEL RUNS CMD...: appends "LABEL wall rss rc" to $tmp/res
measure() {
	label=$1 runs=$2
	shift 2
	r=$("$RUNSTAT" -n "$runs" -t 900 "$@" 2>>"$tmp/stderr") || r="0 0 2 0"
	echo "$label $r" >>"$tmp/res"
	log "$label: $r"
}

# pprof_measure LABEL FILE ARGS...: pprof once; the result is kept next to
# the input (FILE.LABEL.pprof) and reused while newer than the input, as
# pprof's numbers do not change when drip does (BENCH_PPROF_FRESH=1 redoes).
pprof_measure() {
	label=$1 input=$2 cache=$2.$(echo "$1" | tr ' ' _).pprof
	shift 2
	if [ "${BENCH_PPROF_FRESH:-0}" != 1 ] && [ -s "$cache" ] && [ "$cache" -nt "$input" ]; then
		echo "$label $(cat "$cache")" >>"$tmp/res"
		log "$label: $(cat "$cache") (cached)"
		return
	fi
	measure "$label" 1 "$@"
	tail -1 "$tmp/res" | cut -d' ' -f4- >"$cache"
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

: >"$tmp/res"
for s in $sets; do
	a=$dir/${s}_a.pb.gz b=$dir/${s}_b.pb.gz
	measure "$s floor" "$RUNS" gzip -dc "$a"
	have info && measure "$s info drip" "$RUNS" "$DRIP" info "$a"
	# pprof runs whether or not drip has the command yet (its result is
	# kept), so the table has its column when drip's command lands.
	have top && measure "$s top drip" "$RUNS" "$DRIP" top "$a"
	[ -n "$PPROF" ] && pprof_measure "$s top pprof" "$a" "$PPROF" -top "$a"
	have diff && measure "$s diff drip" "$RUNS" "$DRIP" diff "$b" "$a"
	# pprof diff and dot: on the real heap profiles only (sparingly: pprof
	# on synth_1m takes minutes and GBs per run)
	case $s in heap_*) pp=$PPROF ;; *) pp= ;; esac
	[ -n "$pp" ] && pprof_measure "$s diff pprof" "$a" "$PPROF" -top -diff_base="$b" "$a"
	have graph && measure "$s graph drip" "$RUNS" "$DRIP" graph "$a"
	[ -n "$pp" ] && pprof_measure "$s graph pprof" "$a" "$PPROF" -dot "$a"
	if have flame; then
		measure "$s flame-folded drip" "$RUNS" "$DRIP" flame --format=folded "$a"
		measure "$s flame-svg drip" "$RUNS" "$DRIP" flame --format=svg "$a"
	fi
done

# ---- series: drip leaks over 2 and 16 snapshots (copies of one profile:
# its memory must not grow with their count) and drip watch over 60 rounds
# against the loopback server of the live tests, beside one fetch + decode
# (drip info URL) ----
ss=synth_100k
if have leaks && [ -s "$dir/${ss}_a.pb.gz" ]; then
	mkdir -p "$dir/series"
	# one profile 16 times, a second apart (drip-synth -t): drip leaks
	# refuses the same file twice and copies of one snapshot (the
	# same profile time)
	for k in $(seq -w 1 16); do
		f=$dir/series/t$k.pb.gz
		[ -s "$f" ] || "$SYNTH" -n 100000 $SYNTH_SHAPE -s 1 -t "$k" -o "$f"
	done
	rm -f "$dir"/series/s??.pb.gz
	measure "$ss leaks-2 drip" "$RUNS" "$DRIP" leaks "$dir/series/t01.pb.gz" "$dir/series/t02.pb.gz"
	measure "$ss leaks-16 drip" 1 "$DRIP" leaks "$dir"/series/t*.pb.gz
fi
if have watch && [ -s "$dir/${ss}_a.pb.gz" ] && command -v python3 >/dev/null 2>&1; then
	DRIP_SERVER_LIFE=3600 python3 tests/live/server.py "$tmp/port" "$tmp/log" "/debug/pprof/heap=$dir/${ss}_a.pb.gz" 2>/dev/null &
	srv=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if [ -s "$tmp/port" ]; then
		measure "$ss info-url drip" "$RUNS" "$DRIP" info "127.0.0.1:$(cat "$tmp/port")"
		measure "$ss watch-60 drip" 1 "$DRIP" watch --interval=1ms --count=60 --dir="$tmp/watch" "127.0.0.1:$(cat "$tmp/port")"
		rm -rf "$tmp/watch"
	fi
	kill $srv 2>/dev/null || true
fi

# ---- the deep profile: every command ----
# deep_measure ROW [drip ARGS...] -- measures drip; ROW's reference (if
# any) comes from deep_ref.  Rows are "deep ROW drip|ref ...".
if [ $deep = 1 ]; then
	A=$dir/deep_s15.pb.gz B=$dir/deep_s00.pb.gz
	S=""
	for i in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do S="$S $dir/deep_s$i.pb.gz"; done
	dm() { row=$1; shift; measure "deep $row drip" "$RUNS" "$DRIP" "$@"; }
	dr() {
		row=$1
		shift
		if [ -n "$PPROF" ]; then pprof_measure "deep $row ref" "$A" "$PPROF" "$@"; fi
	}
	measure "deep floor" "$RUNS" gzip -dc "$A"
	dm info info "$A"
	dm top top "$A"; dr top -top "$A"
	dm tree tree "$A"; dr tree -tree "$A"
	dm peek peek main.route "$A"; dr peek -peek main.route "$A"
	dm traces traces "$A"; dr traces -traces "$A"
	dm tags tags "$A"; dr tags -tags "$A"
	dm graph-dot graph "$A"; dr graph-dot -dot "$A"
	dm graph-svg graph --format=svg "$A"
	command -v dot >/dev/null 2>&1 && dr graph-svg -svg "$A"
	dm diff diff "$B" "$A"; dr diff -top -diff_base="$B" "$A"
	dm check check --base "$B" "$A" --max-growth=10%
	dm flame-folded flame --format=folded "$A"
	dm flame-svg flame --format=svg "$A"
	dm flame-speedscope flame --format=speedscope "$A"
	# flamegraph.pl (Brendan Gregg's FlameGraph): on PATH, or FLAMEGRAPH_PL;
	# never installed by make bench (neither Debian nor npm packages it)
	fg=${FLAMEGRAPH_PL:-$(command -v flamegraph.pl || true)}
	if [ -n "$fg" ] && [ -x "$fg" ]; then
		"$DRIP" flame --format=folded "$A" >"$dir/deep_a.folded"
		measure "deep flame-svg ref" 1 "$fg" "$dir/deep_a.folded"
	fi
	dm merge merge "$B" "$A" -o "$tmp/merged.pb.gz"; dr merge -proto "$B" "$A"
	# shellcheck disable=SC2086
	dm leaks-2 leaks $dir/deep_s00.pb.gz $dir/deep_s01.pb.gz
	# shellcheck disable=SC2086
	dm leaks-3 leaks $dir/deep_s00.pb.gz $dir/deep_s01.pb.gz $dir/deep_s02.pb.gz
	# shellcheck disable=SC2086
	dm leaks-16 leaks $S
	# drip watch over 60 rounds against the live tests' loopback server
	# (tests/live/server.py), which serves S00..S15 in turn, four times
	# over, on two paths with a counter each: /w for the watch, /r for
	# the reference, 60 runs of `drip info URL` (one fetch and one decode
	# each) timed as a whole.  Both see the same 60 snapshots.
	if have watch && command -v python3 >/dev/null 2>&1; then
		wl=$(for r in $(seq 0 59); do printf '%s/deep_s%02d.pb.gz,' "$dir" $((r % 16)); done | sed 's/,$//')
		rm -f "$tmp/dport"
		DRIP_SERVER_LIFE=3600 python3 tests/live/server.py "$tmp/dport" "$tmp/dlog" \
			"/w/debug/pprof/heap=$wl" "/r/debug/pprof/heap=$wl" 2>/dev/null &
		dsrv=$!
		i=0
		while [ ! -s "$tmp/dport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		if [ -s "$tmp/dport" ]; then
			base=http://127.0.0.1:$(cat "$tmp/dport")
			measure "deep watch-60 drip" 1 "$DRIP" watch --interval=1ms --count=60 --dir="$tmp/dwatch" "$base/w/debug/pprof/heap"
			rm -rf "$tmp/dwatch"
			# shellcheck disable=SC2016
			measure "deep watch-60 ref" 1 sh -c 'for i in $(seq 60); do "$1" info "$2" >/dev/null || exit 2; done' \
				sh "$DRIP" "$base/r/debug/pprof/heap"
		else
			log "deep watch-60: the loopback server did not start"
		fi
		kill $dsrv 2>/dev/null || true
		wait $dsrv 2>/dev/null || true
	fi
fi

# ---- BENCHMARKS.md ----
get() { awk -v l="$1 $2 $3" '{ k = $1 " " $2 " " $3 } k == l { print $'"$4"' }' "$tmp/res"; }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
mem=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
{
	echo "# drip benchmarks"
	echo
	echo "Generated by \`make bench\` (bench/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); the notes after"
	echo "the tables are bench/NOTES.md."
	echo
	echo "- Machine: ${cpu:-unknown CPU}, $(nproc) cores, ${mem:-? GB} RAM, $(uname -sr)"
	echo "- Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (other jobs share the cores: wall times are noisy)"
	echo "- drip $(git rev-parse --short HEAD 2>/dev/null || echo '?') built with \`$(${CC:-cc} --version 2>/dev/null | head -1)\`, CFLAGS ${CFLAGS:--O2 -g}"
	if [ -n "$PPROF" ]; then
		echo "- pprof: \`go tool pprof\` of $(go version | cut -d' ' -f3-) ($PPROF, run directly)"
	else
		echo "- pprof: not run (no Go, or BENCH_PPROF=0)"
	fi
	echo "- drip: best wall time (and best user+system CPU time) of $RUNS runs; pprof: one run (kept in build/bench/*.pprof and reused while the input is unchanged); RSS: peak resident set (wait4 ru_maxrss)."
	echo "- floor: \`gzip -dc FILE >/dev/null\`, best of $RUNS."
	echo
	echo "Commands (A = the profile, B = its twin; output to /dev/null):"
	echo
	echo "| row | drip | pprof |"
	echo "|---|---|---|"
	echo "| info | \`drip info A\` | – (no equivalent) |"
	echo "| top | \`drip top A\` | \`pprof -top A\` |"
	echo "| diff | \`drip diff B A\` | \`pprof -top -diff_base=B A\` |"
	echo "| graph | \`drip graph A\` (DOT) | \`pprof -dot A\` |"
	echo "| flame-folded | \`drip flame --format=folded A\` | – (pprof's flame graph is only in its web UI) |"
	echo "| flame-svg | \`drip flame --format=svg A\` | – |"
	if [ $deep = 1 ]; then
		a=$dir/deep_s15.pb.gz
		gz=$(wc -c <"$a")
		raw=$(gzip -dc "$a" | wc -c)
		nsamp=$("$DRIP" info "$a" 2>/dev/null | sed -n 's/^Samples: //p')
		nloc=$("$DRIP" info "$a" 2>/dev/null | sed -n 's/^Locations: //p')
		echo
		echo "## deep: every command on a service-shaped heap profile"
		echo
		echo "A = \`deep_s15.pb.gz\`: ${nsamp:-?} samples, ${nloc:-?} locations, $(mb $((raw / 1024))) MB raw, $(mb $((gz / 1024))) MB gzipped;"
		echo "stacks of 25-30 frames and a numeric \`bytes\` label on every sample, written by"
		echo "\`testdata/gen/deepsvc\` (Go's own heap profile at MemProfileRate=1, 16 snapshots of one run:"
		echo "S00 = B, ..., S15 = A). Reference: pprof's equivalent command where there is one."
		echo "\"× top\": drip's wall time and peak RSS over \`drip top A\`'s. floor (\`gzip -dc A\`): $(awk '$1 == "deep" && $2 == "floor" { print $3 }' "$tmp/res") s."
		echo "watch-60: URL is \`tests/live/server.py\` on 127.0.0.1, serving S00, ..., S15 in turn (four times over);"
		echo "the watch's 60 rounds (one fetch, one decode, one update of the series and the round's report each,"
		echo "snapshots saved in a folder) against 60 runs of \`drip info URL\` on the same 60 snapshots, timed as a whole;"
		echo "its speed-up is the reference's time over the watch's."
		echo
		echo "| command | drip | reference | drip s | drip CPU s | drip MB | ref s | ref MB | speed-up | × top wall | × top RSS |"
		echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		tw=$(get deep top drip 4) tr=$(get deep top drip 5)
		while IFS='|' read -r row dcmd rcmd; do
			dw=$(get deep "$row" drip 4)
			[ -z "$dw" ] && continue
			awk -v row="$row" -v dcmd="$dcmd" -v rcmd="$rcmd" -v dw="$dw" -v dr="$(get deep "$row" drip 5)" \
				-v drc="$(get deep "$row" drip 6)" -v dc="$(get deep "$row" drip 7)" \
				-v pw="$(get deep "$row" ref 4)" -v pr="$(get deep "$row" ref 5)" -v prc="$(get deep "$row" ref 6)" \
				-v tw="$tw" -v tr="$tr" 'BEGIN {
				# leaks and watch: 1 when a site is a suspect
				ok = drc == 0 || (row == "check" && drc == 1) || ((row ~ /^leaks/ || row == "watch-60") && drc == 1)
				if (!ok) d = sprintf("failed (%s) | – | –", drc)
				else d = sprintf("%.3f | %.3f | %.1f", dw, dc, dr / 1024)
				# watch-60: the reference over the watch, as a ratio
				fs = row == "watch-60" ? "%.2f×" : "%.0f×"
				if (pw == "") p = "– | – | –"
				else if (prc != 0) p = sprintf("failed (%s) | – | –", prc)
				else p = sprintf("%.2f | %.0f | %s", pw, pr / 1024, ok && dw > 0 ? sprintf(fs, pw / dw) : "–")
				t = ok && tw > 0 && tr > 0 ? sprintf("%.1f | %.1f", dw / tw, dr / tr) : "– | –"
				# 60 rounds against one top: only the memory compares
				if (row == "watch-60") t = ok && tr > 0 ? sprintf("– | %.1f", dr / tr) : "– | –"
				printf("| %s | %s | %s | %s | %s | %s |\n", row, dcmd, rcmd, d, p, t)
			}'
		done <<-ROWS
		info|\`info A\`|–
		top|\`top A\`|\`pprof -top A\`
		tree|\`tree A\`|\`pprof -tree A\`
		peek|\`peek main.route A\`|\`pprof -peek main.route A\`
		traces|\`traces A\`|\`pprof -traces A\`
		tags|\`tags A\`|\`pprof -tags A\`
		graph-dot|\`graph A\`|\`pprof -dot A\`
		graph-svg|\`graph --format=svg A\`|\`pprof -svg A\` (needs Graphviz's dot program)
		diff|\`diff B A\`|\`pprof -top -diff_base=B A\`
		check|\`check --base B A --max-growth=10%\`|–
		flame-folded|\`flame --format=folded A\`|–
		flame-svg|\`flame --format=svg A\`|flamegraph.pl on drip's folded output (when installed)
		flame-speedscope|\`flame --format=speedscope A\`|–
		merge|\`merge B A -o FILE\`|\`pprof -proto B A\`
		leaks-2|\`leaks S00 S01\`|–
		leaks-3|\`leaks S00 S01 S02\`|–
		leaks-16|\`leaks S00 ... S15\`|–
		watch-60|\`watch --interval=1ms --count=60 URL\`|60 × \`info URL\`, one after another
		ROWS
		echo
		echo "### Targets (deep)"
		echo
		awk -v tw="$tw" -v tr="$tr" -v fl="$(awk '$1 == "deep" && $2 == "floor" { print $3 }' "$tmp/res")" \
			-v pt="$(get deep top ref 4)" -v dt="$(get deep traces drip 4)" -v pt2="$(get deep traces ref 4)" \
			-v fs="$(get deep flame-svg drip 4)" -v fp="$(get deep flame-svg ref 4)" \
			-v l2="$(get deep leaks-2 drip 5)" -v l16="$(get deep leaks-16 drip 5)" \
			-v l3="$(get deep leaks-3 drip 4)" \
			-v ww="$(get deep watch-60 drip 4)" -v wc="$(get deep watch-60 drip 7)" -v wrc="$(get deep watch-60 drip 6)" \
			-v rw="$(get deep watch-60 ref 4)" -v rc="$(get deep watch-60 ref 7)" -v rrc="$(get deep watch-60 ref 6)" \
			-v worst="$(awk -v tw="$tw" -v tr="$tr" '
				$1 == "deep" && $3 == "drip" && $2 != "floor" && $2 !~ /^leaks/ && $2 != "watch-60" {
					w = $4 / tw; r = $5 / tr
					if (w > mw) { mw = w; mwn = $2 }
					if (r > mr) { mr = r; mrn = $2 } }
				END { printf("%.1f×_(%s);%.1f×_(%s)", mw, mwn, mr, mrn) }' "$tmp/res")" '
		function v(ok) { return ok ? "met" : "NOT met" }
		BEGIN {
			split(worst, wr, ";"); gsub("_", " ", wr[1]); gsub("_", " ", wr[2])
			print "| target | measured | |"
			print "|---|---|---|"
			split(wr[1], a, "×"); split(wr[2], b, "×")
			printf("| every command within 3× of top'"'"'s wall time | worst %s | %s |\n", wr[1], v(a[1] + 0 <= 3))
			printf("| every command within 2.5× of top'"'"'s peak RSS | worst %s | %s |\n", wr[2], v(b[1] + 0 <= 2.5))
			if (l3 != "") printf("| leaks over 3 snapshots within 4.5× of top | %.1f× | %s |\n", l3 / tw, v(l3 <= 4.5 * tw))
			printf("| top within 3× of gzip -dc | %.1f× (%.3f s vs %.3f s) | %s |\n", tw / fl, tw, fl, v(tw <= 3 * fl))
			if (pt != "") printf("| top ≥ 30× faster than pprof -top | %.0f× (%.2f s vs %.2f s) | %s |\n", pt / tw, tw, pt, v(pt / tw >= 30))
			if (pt2 != "" && dt != "") printf("| traces ≥ 10× faster than pprof -traces | %.0f× (%.2f s vs %.2f s) | %s |\n", pt2 / dt, dt, pt2, v(pt2 / dt >= 10))
			if (fp != "") printf("| flame SVG ≥ 20× faster than flamegraph.pl | %.0f× | %s |\n", fp / fs, v(fp / fs >= 20))
			else print "| flame SVG ≥ 20× faster than flamegraph.pl | not measured: flamegraph.pl is not installed (not packaged in Debian, and no npm package ships it) | – |"
			if (l2 != "" && l16 != "") printf("| leaks over 16 snapshots within 1.5× the peak RSS of 2 | %.1f× (%.0f MB vs %.0f MB) | %s |\n", l16 / l2, l16 / 1024, l2 / 1024, v(l16 <= 1.5 * l2))
			if (ww == "" || rw == "")
				print "| watch over 60 rounds within 3× of 60 fetches | not measured (no drip watch, or no python3 for the loopback server) | – |"
			else if ((wrc != 0 && wrc != 1) || rrc != 0)
				printf("| watch over 60 rounds within 3× of 60 fetches | failed (watch %s, reference %s) | NOT met |\n", wrc, rrc)
			else
				printf("| watch over 60 rounds within 3× of 60 fetches | %.2f× (%.2f s vs %.2f s for 60 × drip info URL; CPU %.2f s vs %.2f s) | %s |\n", ww / rw, ww, rw, wc, rc, v(ww <= 3 * rw))
		}'
	fi
	for s in $sets; do
		a=$dir/${s}_a.pb.gz
		gz=$(wc -c <"$a")
		raw=$(gzip -dc "$a" | wc -c)
		nsamp=$("$DRIP" info "$a" 2>/dev/null | sed -n 's/^Samples: //p')
		floor=$(awk -v l="$s floor" '$1 " " $2 == l { print $3 }' "$tmp/res")
		floorcpu=$(awk -v l="$s floor" '$1 " " $2 == l { print $6 }' "$tmp/res")
		echo
		echo "## $s: ${nsamp:-?} samples, $(mb $((raw / 1024))) MB raw, $(mb $((gz / 1024))) MB gzipped"
		echo
		echo "floor (gzip -dc): ${floor} s wall, ${floorcpu} s CPU"
		echo
		echo "| command | drip s | drip CPU s | drip MB | pprof s | pprof MB | drip speed-up | drip RSS share | drip / floor (wall, CPU) |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		for c in info top diff graph flame-folded flame-svg; do
			dw=$(get "$s" "$c" drip 4)
			dr=$(get "$s" "$c" drip 5) drc=$(get "$s" "$c" drip 6) dc=$(get "$s" "$c" drip 7)
			pw=$(get "$s" "$c" pprof 4) pr=$(get "$s" "$c" pprof 5) prc=$(get "$s" "$c" pprof 6)
			[ -z "$dw" ] && [ -z "$pw" ] && continue
			awk -v c="$c" -v dw="$dw" -v dr="$dr" -v drc="$drc" -v dc="$dc" -v pw="$pw" -v pr="$pr" -v prc="$prc" -v fl="$floor" -v fc="$floorcpu" 'BEGIN {
				if (dw == "") d = "(no drip " c " yet) | – | –"
				else if (drc != 0) d = sprintf("failed (%s) | – | –", drc)
				else d = sprintf("%.3f | %.3f | %.1f", dw, dc, dr / 1024)
				ok = dw != "" && drc == 0
				if (pw == "") p = "– | – | – | –"
				else if (prc != 0) p = sprintf("failed (%s) | – | – | –", prc)
				else if (!ok) p = sprintf("%.2f | %.0f | – | –", pw, pr / 1024)
				else p = sprintf("%.2f | %.0f | %.0f× | 1/%.0f", pw, pr / 1024, dw > 0 ? pw / dw : 0, dr > 0 ? pr / dr : 0)
				f = ok && fl > 0 && fc > 0 ? sprintf("%.1f×, %.1f×", dw / fl, dc / fc) : "–"
				printf("| %s | %s | %s | %s |\n", c, d, p, f)
			}'
		done
	done
	# targets, on the 1M-stack real heap profile
	if grep -q '^heap_1m top drip' "$tmp/res"; then
		echo
		echo "## Targets (heap_1m, the 1M-stack real Go heap profile)"
		echo
		awk -v t="$(get heap_1m top drip 4)" -v tr="$(get heap_1m top drip 5)" -v tc="$(get heap_1m top drip 7)" \
			-v fc="$(awk '$1 == "heap_1m" && $2 == "floor" { print $6 }' "$tmp/res")" -v dfc="$(get heap_1m diff drip 7)" \
			-v pt="$(get heap_1m top pprof 4)" -v pr="$(get heap_1m top pprof 5)" \
			-v fl="$(awk '$1 == "heap_1m" && $2 == "floor" { print $3 }' "$tmp/res")" \
			-v df="$(get heap_1m diff drip 4)" -v fs="$(get heap_1m flame-svg drip 4)" '
		function v(ok) { return ok ? "met" : "NOT met" }
		BEGIN {
			print "| target | measured | |"
			print "|---|---|---|"
			if (pt != "") {
				printf("| top ≥ 30× faster than pprof -top | %.0f× (%.3f s vs %.2f s) | %s |\n", pt / t, t, pt, v(pt / t >= 30))
				printf("| top RSS ≤ 1/10 of pprof | 1/%.0f (%.0f MB vs %.0f MB) | %s |\n", pr / tr, tr / 1024, pr / 1024, v(pr / tr >= 10))
			}
			printf("| top within 3× of the gzip floor | wall %.1f× (%.3f s vs %.3f s), CPU %.1f× (%.3f s vs %.3f s) | %s |\n", t / fl, t, fl, tc / fc, tc, fc, v(t <= 3 * fl && tc <= 3 * fc))
			if (df != "") printf("| diff under twice one top | wall %.3f s vs 2 × %.3f s, CPU %.3f s vs 2 × %.3f s | %s |\n", df, t, dfc, tc, v(df < 2 * t && dfc < 2 * tc))
			else print "| diff under twice one top | (no drip diff yet) | – |"
			if (fs != "") printf("| flame SVG under 2 s | %.3f s | %s |\n", fs, v(fs < 2))
			else print "| flame SVG under 2 s | (no drip flame yet) | – |"
		}'
	fi
	# scaling
	if grep -q '^synth_10k top drip' "$tmp/res"; then
		echo
		echo "## Scaling (synthetic profiles, drip top)"
		echo
		echo "| input | samples | drip top s | CPU s | CPU ns per sample | drip MB |"
		echo "|---|---:|---:|---:|---:|---:|"
		for s in synth_10k synth_100k synth_1m; do
			t=$(get "$s" top drip 4)
			[ -z "$t" ] && continue
			case $s in synth_10k) n=10000 ;; synth_100k) n=100000 ;; synth_1m) n=1000000 ;; esac
			awk -v s="$s" -v n=$n -v t="$t" -v c="$(get "$s" top drip 7)" -v r="$(get "$s" top drip 5)" 'BEGIN {
				printf("| %s | %d | %.3f | %.3f | %.0f | %.1f |\n", s, n, t, c, c * 1e9 / n, r / 1024) }'
		done
	fi
	# series
	if grep -q "^$ss leaks-16 drip" "$tmp/res"; then
		echo
		echo "## Series ($ss): drip leaks over 2 and 16 snapshots, drip watch over 60 rounds"
		echo
		echo "| command | drip s | drip CPU s | drip MB | |"
		echo "|---|---:|---:|---:|---|"
		for c in leaks-2 leaks-16 info-url watch-60; do
			w=$(get "$ss" "$c" drip 4)
			[ -z "$w" ] && continue
			awk -v c="$c" -v w="$w" -v r="$(get "$ss" "$c" drip 5)" -v rc="$(get "$ss" "$c" drip 6)" \
				-v cpu="$(get "$ss" "$c" drip 7)" -v r2="$(get "$ss" leaks-2 drip 5)" -v iw="$(get "$ss" info-url drip 4)" 'BEGIN {
				note = ""
				if (c == "leaks-16" && r2 > 0) note = sprintf("RSS %.2f× leaks-2 (goal ≤ 1.5×)", r / r2)
				if (c == "watch-60" && iw > 0) note = sprintf("%.2f× 60 × info-url (goal ≤ 3×)", w / (60 * iw))
				if (rc != 0 && rc != 1) printf("| %s | failed (%s) | – | – | |\n", c, rc)
				else printf("| %s | %.3f | %.3f | %.1f | %s |\n", c, w, cpu, r / 1024, note)
			}'
		done
	fi
	echo
	[ -f bench/NOTES.md ] && cat bench/NOTES.md
} >"$OUT"
log "wrote $OUT"
