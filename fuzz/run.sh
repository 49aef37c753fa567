#!/bin/sh
# Run drip's libFuzzer targets (built by `make fuzz` into build-fuzz/),
# each for FUZZ_TIME seconds, one process each, niced.  Seeds: the
# committed corpus fuzz/corpus/TARGET, every crasher found so far
# (fuzz/regress/TARGET) and the profiles in testdata/ of the target's
# format.  New corpus entries go to build-fuzz/corpus/TARGET (kept between
# runs), crashers to build-fuzz/artifacts/.  Exits 1 if any target fails.
#   FUZZ_TIME=seconds  per target (default 60)
#   FUZZ_ARGS=...      extra libFuzzer flags
#   FUZZ_TESTDATA=dir  take the seed profiles from dir/profiles
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
O=$root/build-fuzz
T=${FUZZ_TIME:-60}
prof=${FUZZ_TESTDATA:-$root/testdata}/profiles
go127=${FUZZ_TESTDATA:-$root/testdata}/go127  # Go 1.27: labels in headers, goroutineleak, crashes
mkdir -p "$O/artifacts" "$O/logs"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS

# seeds TARGET DIR: copy the testdata seeds for TARGET into DIR.
seeds() {
	rm -rf "$2"
	mkdir -p "$2"
	[ -d "$prof" ] || return 0
	case $1 in
	gzip | load)
		for f in "$prof"/* "$go127"/*.txt "$go127"/*.pb.gz; do
			[ -f "$f" ] && [ "$(wc -c <"$f")" -le 262144 ] && cp "$f" "$2/"
		done ;;
	pprof)
		for f in "$prof"/*.pb.gz "$go127"/*.pb.gz; do
			[ -f "$f" ] && gzip -dc "$f" >"$2/$(basename "$f" .gz)" 2>/dev/null
		done ;;
	heap_text)
		for f in "$prof"/heap*.txt "$go127"/heap*.txt; do [ -f "$f" ] && cp "$f" "$2/"; done ;;
	goroutine1)
		for f in "$prof"/goroutine*debug1*.txt "$go127"/goroutine*debug1*.txt; do [ -f "$f" ] && cp "$f" "$2/"; done ;;
	goroutine2)
		for f in "$prof"/goroutine*debug2*.txt "$go127"/*debug2*.txt "$go127"/crash*.txt; do [ -f "$f" ] && cp "$f" "$2/"; done ;;
	merge)
		# two profiles in one input: a 2-byte little-endian length, then
		# the first profile, then the second
		python3 - "$prof" "$2" <<-'PY'
		import os, sys
		prof, out = sys.argv[1:3]
		pairs = [("heap_t0.pb.gz", "heap_t1.pb.gz"), ("heap.pb.gz", "allocs.pb.gz"),
		         ("goroutine.pb.gz", "goroutine.debug1.txt"), ("heap_sampled.debug1.txt", "heap_sampled.pb.gz")]
		for a, b in pairs:
		    try:
		        da = open(os.path.join(prof, a), "rb").read()
		        db = open(os.path.join(prof, b), "rb").read()
		    except OSError:
		        continue
		    if len(da) < 65536:
		        with open(os.path.join(out, a + "+" + b), "wb") as f:
		            f.write(bytes([len(da) & 255, len(da) >> 8]) + da + db)
		PY
		;;
	rules)
		for f in "$root"/tests/cli/cases/*/rules*; do [ -f "$f" ] && cp "$f" "$2/$(basename "$(dirname "$f")")"; done ;;
	esac
	# Inputs over 256 KiB make poor seeds (and libFuzzer truncates them).
	find "$2" -type f -size +256k -delete
	return 0
}

fail=0
for t in "$@"; do
	bin=$O/fuzz-$t
	[ -x "$bin" ] || { echo "fuzz: $bin is missing (run make fuzz)" >&2; exit 2; }
	seeds "$t" "$O/seeds/$t"
	mkdir -p "$O/corpus/$t" "$here/corpus/$t" "$here/regress/$t"
	log=$O/logs/$t.log
	set +e
	nice -n 10 "$bin" -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$O/artifacts/$t-" ${FUZZ_ARGS:-} \
		"$O/corpus/$t" "$here/corpus/$t" "$here/regress/$t" "$O/seeds/$t" >"$log" 2>&1
	rc=$?
	set -e
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc = 0 ]; then
		echo "fuzz $t: ok, ${runs:-?} runs in ${T}s, $cov"
	else
		echo "fuzz $t: FAILED (exit $rc), see $log:"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5
		ls "$O/artifacts/$t-"* 2>/dev/null | head -3
		fail=1
	fi
done
exit $fail
