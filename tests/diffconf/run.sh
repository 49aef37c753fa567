#!/bin/sh
# drip diff against go tool pprof -top -diff_base on every pair of the leak
# series (000->005 and 002->003), every sample type, flat and --cum: row
# order, names, text deltas, JSON deltas (exact, pprof -unit=B/count), and
# the base/new columns against pprof -top of each side alone.  Needs Go.
#   tests/diffconf/run.sh [DRIP] [SERIES_DIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DRIP=${1:-$root/build/drip}
SERIES=${2:-$root/testdata/series}
pass=0 fail=0
for dir in "$SERIES"/*/; do
	for kind in heap goroutine; do
		[ -f "$dir/${kind}_000.pb.gz" ] || continue
		if [ $kind = heap ]; then idx="inuse_space inuse_objects alloc_space alloc_objects"; else idx=goroutine; fi
		for si in $idx; do
			for pair in "000 005" "002 003"; do
				set -- $pair
				for c in "" --cum; do
					if timeout 120 python3 "$here/compare.py" "$DRIP" "$dir/${kind}_$1.pb.gz" "$dir/${kind}_$2.pb.gz" $si $c; then
						pass=$((pass + 1))
					else
						fail=$((fail + 1))
					fi
				done
			done
		done
	done
done
echo "diffconf: $pass passed, $fail failed"
[ $fail = 0 ]
