#!/bin/sh
# drip flame on a synthetic 1M-stack heap profile (made by
# testdata/gen/flamegen; needs Go): time, memory, output sizes, MB/s of
# folded output.  With COMPARE=1 the folded stacks are also checked
# against `go tool pprof -raw` (slow: ~30 s and ~2 GB for pprof).
#   sh tests/flame/bench.sh [N]        # N samples, default 1000000
set -eu
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DRIP=${DRIP:-$root/build/drip}
n=${1:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root/testdata/gen" && go build -o "$tmp/flamegen" ./flamegen)
"$tmp/flamegen" -n "$n" -o "$tmp/p.pb.gz"
echo "profile: $n samples, $(wc -c < "$tmp/p.pb.gz") bytes gzipped"
t() { /usr/bin/time -f "%e s elapsed, %U s user, %S s sys, %M KB max RSS" "$@"; }
echo "load only (drip info):"; t "$DRIP" info "$tmp/p.pb.gz" > /dev/null
for fmt in folded svg speedscope; do
	echo "--format=$fmt:"
	t "$DRIP" flame -v --format=$fmt "$tmp/p.pb.gz" -o "$tmp/out.$fmt" 2>&1
	echo "  output: $(wc -c < "$tmp/out.$fmt") bytes"
done
start=$(date +%s.%N)
"$DRIP" flame --format=folded "$tmp/p.pb.gz" -o "$tmp/out.folded"
end=$(date +%s.%N)
awk -v b="$(wc -c < "$tmp/out.folded")" -v s="$start" -v e="$end" \
	'BEGIN { printf "folded: %.1f MB in %.2f s = %.1f MB/s (end to end)\n", b / 1e6, e - s, b / 1e6 / (e - s) }'
if [ "${COMPARE:-}" = 1 ]; then
	TZ=UTC go tool pprof -raw "$tmp/p.pb.gz" 2>/dev/null | awk -v col=4 -f "$here/raw2folded.awk" | sort > "$tmp/want"
	sort "$tmp/out.folded" > "$tmp/got"
	if cmp -s "$tmp/want" "$tmp/got"; then echo "folded == go tool pprof -raw ($(wc -l < "$tmp/want") stacks)"; else echo "folded DIFFERS from go tool pprof -raw"; exit 1; fi
fi
