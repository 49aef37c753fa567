#!/bin/sh
# make demo: drip's main job on the bundled profiles.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
td=$root/testdata/profiles
run() {
	printf '\n$ drip %s\n' "$*"
	"$DRIP" "$@" || true
}
run info "$td/heap.pb.gz"
run top --nodecount=10 "$td/heap.pb.gz"
if "$DRIP" diff --help >/dev/null 2>&1; then
	run diff --nodecount=10 "$td/heap_t0.pb.gz" "$td/heap_t1.pb.gz"
fi
if [ -f "$td/goroutine.debug2.txt" ] && "$DRIP" goroutines --help >/dev/null 2>&1; then
	run goroutines "$td/goroutine.debug2.txt"
fi
