#!/bin/sh
# make demo: drip's main job on the bundled profiles: what is big, what
# grew, which goroutines pile up, and what keeps growing over a series.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
td=testdata/profiles
series=testdata/series
out=build/demo
cd "$root"
mkdir -p "$out"
run() {
	printf '\n$ drip %s\n' "$*"
	"$DRIP" "$@" || true
}
has() { "$DRIP" "$1" --help >/dev/null 2>&1; }
run info $td/heap.pb.gz
run top --nodecount=10 $td/heap.pb.gz
has diff && run diff --nodecount=10 $td/heap_t0.pb.gz $td/heap_t1.pb.gz
has goroutines && run goroutines --min-count=2 $td/goroutine.debug2.txt
has leaks && run leaks $series/cache-leak/heap_00*.pb.gz
has leaks && run leaks $series/goroutine-leak/goroutine_00*.debug2.txt
has check && run check --base=$series/cache-leak/heap_000.pb.gz $series/cache-leak/heap_005.pb.gz
if has graph; then
	run graph --format=svg -o $out/heap-graph.svg $td/heap.pb.gz && echo "(wrote $out/heap-graph.svg)"
fi
if has flame; then
	run flame -o $out/heap-flame.svg $td/heap.pb.gz && echo "(wrote $out/heap-flame.svg)"
	run flame --base=$td/heap_t0.pb.gz -o $out/heap-diff-flame.svg $td/heap_t1.pb.gz &&
		echo "(wrote $out/heap-diff-flame.svg)"
fi
