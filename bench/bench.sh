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
# Environment: DRIP, SYNTH, RUNSTAT, O (build dir), BENCH_RUNS,
# BENCH_PPROF=0 (skip pprof), BENCH_QUICK=1 (skip the 1M inputs),
# BENCH_OUT (default BENCHMARKS.md).
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
sets=""
if command -v go >/dev/null 2>&1; then
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
for n in 10k 100k 1m; do
	[ "$QUICK" = 1 ] && [ $n = 1m ] && continue
	case $n in 10k) ns=10000 ;; 100k) ns=100000 ;; 1m) ns=1000000 ;; esac
	for v in a b; do
		f=$dir/synth_${n}_$v.pb.gz
		[ $v = a ] && seed=1 || seed=2
		if [ ! -s "$f" ]; then
			log "generating $f (drip-synth, $ns samples)"
			"$SYNTH" -n $ns -f 5000 -d 10-40 -l 2 -i 10 -s $seed -o "$f.tmp" && mv "$f.tmp" "$f"
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
	for k in $(seq -w 1 16); do ln -sf "../${ss}_a.pb.gz" "$dir/series/s$k.pb.gz"; done
	measure "$ss leaks-2 drip" "$RUNS" "$DRIP" leaks "$dir/series/s01.pb.gz" "$dir/series/s02.pb.gz"
	measure "$ss leaks-16 drip" 1 "$DRIP" leaks "$dir"/series/s*.pb.gz
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
