#!/bin/sh
# Regenerates everything under testdata/ that is generated:
#   testdata/profiles/   (heapsvc, heap10k, gorosvc)
#   testdata/series/     (leaks, one process per scenario)
#   testdata/expected/   (goldens from `go tool pprof`, listed in expected/cases.tsv)
#
# Usage: testdata/gen/regen.sh [all|profiles|series|goldens]   (default: all)
# Needs Go (made with go1.19.8 linux/amd64, Debian golang-go); stdlib only.
# Env: GOROSVC_WAIT (default 65s): how long gorosvc lets its goroutines sit
#      blocked; >= 1m makes debug=2 print ", 1 minutes" wait times.
set -eu
what=${1:-all}
TD=$(cd "$(dirname "$0")/.." && pwd)   # testdata/
BIN=/tmp/drip-testdata-bin             # fixed path: it ends up in the profiles' mappings
GOROSVC_WAIT=${GOROSVC_WAIT:-65s}
export TZ=UTC

build() {
	mkdir -p "$BIN"
	(cd "$TD/gen" && for p in heapsvc heap10k gorosvc leaks manylabels; do
		go build -trimpath -o "$BIN/$p" "./$p"
	done)
}

profiles() {
	mkdir -p "$TD/profiles"
	rm -f "$TD/profiles"/*
	"$BIN/heapsvc" -out "$TD/profiles"
	"$BIN/heapsvc" -sampled -out "$TD/profiles"
	"$BIN/heap10k" -o "$TD/profiles/heap_10k.pb.gz"
	"$BIN/manylabels" -o "$TD/profiles/manylabels.pb.gz"
	echo "gorosvc: waiting $GOROSVC_WAIT" >&2
	"$BIN/gorosvc" -out "$TD/profiles" -wait "$GOROSVC_WAIT"
}

SCENARIOS="goroutine-leak goroutine-healthy http-leak http-healthy cache-leak cache-healthy log-leak log-healthy subslice-leak subslice-healthy"

series() {
	for s in $SCENARIOS; do
		rm -rf "${TD:?}/series/$s"
		mkdir -p "$TD/series/$s"
		"$BIN/leaks" -scenario "$s" -n 6 -out "$TD/series/$s"
	done
}

# golden NAME INPUT FLAGS... : runs `go tool pprof FLAGS INPUT` from testdata/,
# stdout -> expected/NAME, and appends a row to expected/cases.tsv.
golden() {
	name=$1 input=$2
	shift 2
	(cd "$TD" && go tool pprof "$@" $input >"expected/$name" 2>"$BIN/stderr") || {
		echo "pprof failed: $name: $*" >&2
		cat "$BIN/stderr" >&2
		exit 1
	}
	if [ ! -s "$TD/expected/$name" ] && [ "${EMPTY_OK:-}" != "$name" ]; then
		echo "empty golden: $name" >&2
		exit 1
	fi
	printf 'expected/%s\t%s\t%s\n' "$name" "$input" "$*" >>"$TD/expected/cases.tsv"
}

goldens() {
	mkdir -p "$TD/expected"
	rm -f "$TD/expected"/*
	printf 'expected\tinput\tpprof_flags\n' >"$TD/expected/cases.tsv"
	C=-symbolize=none

	# name:input:focus-regex:ignore-regex:peek-regex
	for spec in \
		"heap:profiles/heap.pb.gz:getBuf:ingestLoop:handle" \
		"allocs:profiles/allocs.pb.gz:getBuf:ingestLoop:handle" \
		"heap_sampled:profiles/heap_sampled.pb.gz:getBuf:ingestLoop:phase" \
		"heap_debug1:profiles/heap.debug1.txt:-:-:-" \
		"heap_sampled_debug1:profiles/heap_sampled.debug1.txt:-:-:-" \
		"goroutine:profiles/goroutine.pb.gz:recvWorker:gopark:Accept" \
		"goroutine_debug1:profiles/goroutine.debug1.txt:-:-:-"; do
		n=${spec%%:*}; rest=${spec#*:}
		in=${rest%%:*}; rest=${rest#*:}
		foc=${rest%%:*}; rest=${rest#*:}
		ign=${rest%%:*}; peek=${rest#*:}
		golden "$n.top.txt" "$in" $C -top
		case $n in goroutine*) ;; *)
			for si in alloc_objects alloc_space inuse_objects inuse_space; do
				golden "$n.top.$si.txt" "$in" $C -top -sample_index=$si
			done ;;
		esac
		golden "$n.top.cum.txt" "$in" $C -top -cum
		golden "$n.top.lines.txt" "$in" $C -top -lines
		golden "$n.top.files.txt" "$in" $C -top -files
		golden "$n.top.addresses.txt" "$in" $C -top -addresses
		golden "$n.top.nodecount5.txt" "$in" $C -top -nodecount=5
		# (heap.debug1.txt -traces would be 90 KB of "<unknown>": skipped)
		[ "$n" = heap_debug1 ] || golden "$n.traces.txt" "$in" $C -traces
		# pprof's goroutine debug=1 parser drops the "# labels:" lines, so
		# goroutine_debug1.tags.txt is legitimately empty.
		EMPTY_OK=goroutine_debug1.tags.txt golden "$n.tags.txt" "$in" $C -tags
		golden "$n.tree.txt" "$in" $C -tree
		# Legacy text has no symbols for pprof (it ignores the "#" lines), and
		# -focus/-ignore/-peek only match function, file and mapping names, so
		# these cases exist for the proto inputs only.
		if [ "$foc" = - ]; then
			# without symbols, -traces/-tree only say <unknown>: also keep
			# the address granularity versions
			golden "$n.traces.addresses.txt" "$in" $C -traces -addresses
			golden "$n.tree.addresses.txt" "$in" $C -tree -addresses
		else
			golden "$n.top.focus.txt" "$in" $C -top -focus=$foc
			golden "$n.top.ignore.txt" "$in" $C -top -ignore=$ign
			golden "$n.peek.txt" "$in" $C -peek=$peek
		fi
	done

	golden heap.top.alloc_space.cum.txt profiles/heap.pb.gz $C -top -cum -sample_index=alloc_space
	golden heap.top.noinlines.txt profiles/heap.pb.gz $C -top -noinlines
	golden heap.top.filefunctions.txt profiles/heap.pb.gz $C -top -filefunctions
	golden allocs.top.inuse_space.lines.txt profiles/allocs.pb.gz $C -top -lines -sample_index=inuse_space
	golden heap_10k.top.txt profiles/heap_10k.pb.gz $C -top
	golden heap_10k.top.cum.txt profiles/heap_10k.pb.gz $C -top -cum

	golden heap.raw.txt profiles/heap.pb.gz $C -raw
	golden heap_sampled.raw.txt profiles/heap_sampled.pb.gz $C -raw
	golden heap_sampled_debug1.raw.txt profiles/heap_sampled.debug1.txt $C -raw
	golden goroutine.raw.txt profiles/goroutine.pb.gz $C -raw
	golden goroutine_debug1.raw.txt profiles/goroutine.debug1.txt $C -raw

	golden heap.dot profiles/heap.pb.gz $C -dot
	golden allocs.dot profiles/allocs.pb.gz $C -dot
	golden goroutine.dot profiles/goroutine.pb.gz $C -dot

	golden heap_t1.top.diff_base.txt profiles/heap_t1.pb.gz $C -top -diff_base=profiles/heap_t0.pb.gz
	golden heap_t1.top.diff_base.alloc_space.txt profiles/heap_t1.pb.gz $C -top -diff_base=profiles/heap_t0.pb.gz -sample_index=alloc_space
	golden heap_t1.top.base.txt profiles/heap_t1.pb.gz $C -top -base=profiles/heap_t0.pb.gz
	golden heap_t1.top.diff_base.normalize.txt profiles/heap_t1.pb.gz $C -top -diff_base=profiles/heap_t0.pb.gz -normalize
	golden heap_t1.traces.diff_base.txt profiles/heap_t1.pb.gz $C -traces -diff_base=profiles/heap_t0.pb.gz
	golden heap_t0.top.txt profiles/heap_t0.pb.gz $C -top

	# goroutine debug=2 is not a format pprof reads: keep its error message.
	(cd "$TD" && go tool pprof $C -top profiles/goroutine.debug2.txt >/dev/null 2>"$BIN/debug2.err") && {
		echo "pprof unexpectedly read goroutine.debug2.txt" >&2; exit 1; } || true
	cp "$BIN/debug2.err" "$TD/expected/goroutine_debug2.top.stderr.txt"
	printf 'expected/%s\t%s\t%s\n' goroutine_debug2.top.stderr.txt profiles/goroutine.debug2.txt "$C -top (fails: stderr, exit status 1)" >>"$TD/expected/cases.tsv"

	# thousands of labels on one sample: grouping, order, units, tag filters
	golden manylabels.traces.txt profiles/manylabels.pb.gz $C -traces
	golden manylabels.traces.tagfocus.txt profiles/manylabels.pb.gz $C -traces -tagfocus=request=100kb:1mb
	golden manylabels.traces.taghide.txt profiles/manylabels.pb.gz $C -traces -taghide=^key0
	golden manylabels.top.tagfocus.txt profiles/manylabels.pb.gz $C -top -tagfocus=size=2kb:
	golden manylabels.tags.txt profiles/manylabels.pb.gz $C -tags
}

case $what in
all) build; profiles; series; goldens ;;
profiles) build; profiles; goldens ;;
series) build; series ;;
goldens) goldens ;;
*) echo "usage: $0 [all|profiles|series|goldens]" >&2; exit 2 ;;
esac
echo "done: $(du -sh "$TD" | cut -f1) in testdata/" >&2
