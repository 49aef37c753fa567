#!/bin/sh
# Regenerates testdata/go127/ with Go 1.27 (see ../go127.sh for the toolchain):
#   testdata/go127/*            one go127svc snapshot, crash tracebacks, ancestors
#   testdata/go127/series/*/    goleak, heapleak, healthy: 5 snapshots each
#   testdata/go127/expected/    `go tool pprof -top` goldens (Go 1.27's pprof)
# Usage: testdata/gen/go127/regen.sh [GO127DIR]   (default /opt/go127)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TD=$(cd "$HERE/../.." && pwd)             # testdata/
OUT=$TD/go127
BIN=/tmp/drip-testdata-bin                 # fixed path: it ends up in the mappings
eval "$("$HERE/../go127.sh" --env "${1:-/opt/go127}")"
export TZ=UTC
go version
mkdir -p "$BIN"
(cd "$HERE" && go build -trimpath -o "$BIN/go127svc" ./go127svc)

rm -rf "$OUT"
mkdir -p "$OUT/series" "$OUT/expected"
"$BIN/go127svc" -mode snapshot -out "$OUT"
# GODEBUG=tracebackancestors=N: "[originating from goroutine N]:" blocks
mkdir -p "$BIN/anc"
GODEBUG=tracebackancestors=3 "$BIN/go127svc" -mode snapshot -out "$BIN/anc"
cp "$BIN/anc/goroutine.debug2.txt" "$OUT/ancestors.debug2.txt"
# GODEBUG=tracebacklabels=0: no labels in headers
GODEBUG=tracebacklabels=0 "$BIN/go127svc" -mode snapshot -out "$BIN/anc"
cp "$BIN/anc/goroutine.debug2.txt" "$OUT/nolabels.debug2.txt"
# Crash tracebacks: go run adds "exit status 2" after the dump.
(cd "$HERE" && GOTRACEBACK=all go run -trimpath ./go127svc -mode crash) >"$OUT/crash.all.txt" 2>&1 && exit 1
GOTRACEBACK=system "$BIN/go127svc" -mode crash >"$OUT/crash.system.txt" 2>&1 && exit 1
GOTRACEBACK=all GODEBUG=tracebackancestors=2 "$BIN/go127svc" -mode deep >"$OUT/crash.deep.txt" 2>&1 && exit 1

for s in goleak heapleak healthy; do
	mkdir -p "$OUT/series/$s"
	"$BIN/go127svc" -mode series -scenario $s -n 5 -out "$OUT/series/$s"
done

# Goldens: Go 1.27's pprof on the proto profiles.
cd "$OUT"
printf 'expected\tinput\tpprof_flags\n' >expected/cases.tsv
for in in heap.pb.gz goroutine.pb.gz goroutineleak.pb.gz series/goleak/004_goroutineleak.pb.gz series/heapleak/004_heap.pb.gz; do
	for flags in "-top" "-top -cum"; do
		name=$(echo "$in" | tr / _ | sed 's/\.pb\.gz$//')$(echo "$flags" | tr -d ' ').txt
		go tool pprof -symbolize=none $flags "$in" >"expected/$name"
		[ -s "expected/$name" ]
		printf 'expected/%s\t%s\t%s\n' "$name" "$in" "-symbolize=none $flags" >>expected/cases.tsv
	done
done
echo "done: $(du -sh "$OUT" | cut -f1) in testdata/go127/" >&2
