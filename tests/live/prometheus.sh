#!/bin/sh
# drip's metrics against a real Prometheus (Debian's prometheus package,
# with promtool), all on 127.0.0.1:
#   - promtool accepts docs/prometheus-rules.yml (check rules, and the
#     unit tests in tests/metrics/rules_test.yml) and every exposition
#     drip writes here and in the CLI goldens (check metrics);
#   - Prometheus scrapes drip watch --listen while it watches five
#     targets of the loopback stand-in server (tests/live/server.py), one
#     of them down: the query API returns the leaking site's series,
#     rising; the four others are exported, the down one has up 0; the
#     watch exits with the status drip leaks gives on its folder;
#   - every query of docs/grafana-drip.json runs on that Prometheus.
# Without prometheus or promtool the test is skipped, except in CI
# (CI=true), where that is a failure.
set -eu
LC_ALL=C
export LC_ALL
TZ=UTC
export TZ
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
if [ -n "${VALGRIND:-}" ]; then
	DRIP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $DRIP"
fi
for tool in prometheus promtool python3 curl; do
	if ! command -v $tool >/dev/null 2>&1; then
		if [ "${CI:-}" = true ]; then
			echo "FAIL prometheus: $tool is not installed (tests/install-deps.sh installs it)"
			echo "prometheus: 0 passed, 1 failed"
			exit 1
		fi
		echo "prometheus: skipped: $tool is not installed (apt-get install prometheus curl python3)"
		exit 0
	fi
done
tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# free_port: a port nothing listens on now (for Prometheus, drip, and the
# target that is down)
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_file FILE: until FILE is non-empty (at most 30 s)
wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}
# query EXPR: Prometheus's instant query API; the JSON answer on stdout
query() {
	curl -sf --max-time 10 "http://127.0.0.1:$pp/api/v1/query" --data-urlencode "query=$1"
}
# promcheck NAME FILE: promtool check metrics (its lint included) accepts FILE
promcheck() {
	if promtool check metrics <"$2" >"$tmp/lint" 2>&1; then ok; else
		bad "$1: promtool check metrics:"; sed 's/^/     /' "$tmp/lint" | head -5; fi
}

# 1. The rules example, and its unit tests.
if promtool check rules "$root/docs/prometheus-rules.yml" >"$tmp/lint" 2>&1; then ok; else
	bad "promtool check rules docs/prometheus-rules.yml"; sed 's/^/     /' "$tmp/lint" | head -5; fi
if (cd "$root/tests/metrics" && promtool test rules rules_test.yml) >"$tmp/lint" 2>&1; then ok; else
	bad "promtool test rules tests/metrics/rules_test.yml"; sed 's/^/     /' "$tmp/lint" | head -20; fi
# 2. Every kind of exposition drip leaks writes: heap (bytes and counts),
#    goroutine dumps, a goroutineleak profile, --max-series's "other"
#    (several targets with heap and goroutines together: in 4. below).
td=$root/testdata
i=0
for args in "$td/series/cache-leak/heap_00?.pb.gz" "--max-series=1 $td/series/cache-leak/heap_00?.pb.gz" \
	"$td/series/goroutine-leak/goroutine_00?.debug2.txt" "$td/series/goroutine-leak/goroutine_00?.pb.gz" \
	"$td/go127/goroutineleak.pb.gz" "-i alloc_space,alloc_objects $td/series/log-leak/heap_00?.pb.gz"; do
	i=$((i + 1))
	# shellcheck disable=SC2086 # the globs and options are meant to split
	$DRIP leaks --format=openmetrics $args >"$tmp/x$i.prom" 2>"$tmp/err" || [ $? = 1 ] || bad "drip leaks --format=openmetrics $args"
	promcheck "exposition $i ($args)" "$tmp/x$i.prom"
done
# 3. Prometheus first (it keeps trying drip's port until drip listens),
#    so that it sees every round of the watch.
pp=$(free_port) dp=$(free_port) down=$(free_port)
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: drip
    static_configs:
      - targets: ['127.0.0.1:$dp']
EOF
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pp" >"$tmp/prometheus.log" 2>&1 &
pids="$pids $!"
i=0
until curl -sf --max-time 2 "http://127.0.0.1:$pp/-/ready" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -ge 120 ]; then
		bad "prometheus did not start:"; tail -5 "$tmp/prometheus.log" | sed 's/^/     /'
		echo "prometheus: $pass passed, $fail failed"
		exit 1
	fi
	sleep 0.5
done
# Ready is not scraping: Prometheus hands its first target set to the
# scrape loop only after a few seconds (its discovery updates are
# throttled), by which time a 1 s watch has served all six snapshots of
# the leak and the series looks flat (CI saw that). So wait for the first
# scrape of drip's port (up 0, nothing listens there yet) before the
# watch starts.
i=0
until query 'up{job="drip"}' 2>/dev/null | grep -q '"result":\[{'; do
	i=$((i + 1))
	if [ $i -ge 120 ]; then
		bad "prometheus did not scrape in 60 s:"; tail -5 "$tmp/prometheus.log" | sed 's/^/     /'
		echo "prometheus: $pass passed, $fail failed"
		exit 1
	fi
	sleep 0.5
done
# 4. Five targets: a leaking heap, two healthy heaps, a goroutine series,
#    and one that is down (nothing listens on its port).
series=$root/testdata/series
files() { ls "$@" | tr '\n' , | sed 's/,$//'; }
python3 "$here/server.py" "$tmp/port" "$tmp/log" \
	"/leak/debug/pprof/heap=$(files "$series"/cache-leak/heap_00?.pb.gz)" \
	"/ok/debug/pprof/heap=$(files "$series"/cache-healthy/heap_00?.pb.gz)" \
	"/ok2/debug/pprof/heap=$(files "$series"/http-healthy/heap_00?.pb.gz)" \
	"/g/debug/pprof/goroutine=$(files "$series"/goroutine-leak/goroutine_00?.debug2.txt)" &
pids="$pids $!"
wait_file "$tmp/port" || { bad "server.py did not start"; exit 1; }
sp=$(cat "$tmp/port")
cat >"$tmp/targets" <<EOF
# name  URL
leaky   http://127.0.0.1:$sp/leak/debug/pprof/heap
healthy http://127.0.0.1:$sp/ok/debug/pprof/heap
127.0.0.1:$sp/ok2/debug/pprof/heap
workers http://127.0.0.1:$sp/g/debug/pprof/goroutine   # goroutines
down    127.0.0.1:$down
EOF
# The watch runs until the checks below are done (Ctrl-C then ends it
# with the final report), at most 120 rounds.
$DRIP watch --interval=1s --count=120 --dir="$tmp/w" --targets="$tmp/targets" --listen="127.0.0.1:$dp" \
	--metrics-file="$tmp/drip.prom" >"$tmp/wout" 2>"$tmp/werr" &
wpid=$!
pids="$pids $wpid"
# the exposition as served, once the second round is done
i=0
while ! grep -q 'drip_leaks_snapshots{target="leaky"} [2-9]' "$tmp/drip.prom" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
if curl -sf --max-time 10 -H 'Accept: application/openmetrics-text; version=1.0.0' -D "$tmp/headers" \
	"http://127.0.0.1:$dp/metrics" >"$tmp/served.prom"; then
	grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$tmp/headers" && tail -n 1 "$tmp/served.prom" | grep -qx '# EOF' &&
		ok || bad "served exposition: not OpenMetrics"
	promcheck "served /metrics" "$tmp/served.prom"
else
	bad "GET /metrics failed"
fi
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$dp/other" || true)
[ "$code" = 404 ] && ok || bad "GET /other: HTTP $code, want 404"
promcheck "metrics file" "$tmp/drip.prom"
# 5. What Prometheus scraped, once it has seven rounds of the leak (its
#    six snapshots and one more): the leaking site's series, rising.
i=0
while :; do
	query 'drip_leaks_site_bytes{target="leaky",site="main.(*leakyCache).Put",sample_type="inuse_space"}[10m]' >"$tmp/q" || true
	query 'drip_leaks_snapshots{target="leaky"} >= 7' >"$tmp/q7" || true
	if grep -q '"result":\[{' "$tmp/q7" && python3 - "$tmp/q" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["data"]["result"]
assert len(r) == 1, r
m = r[0]["metric"]
assert m["owner"] == "main.(*leakyCache).Put" and m["unit"] == "bytes" and m["job"] == "drip", m
v = [float(x[1]) for x in r[0]["values"]]
# rising: never down, and at least three distinct values (rounds 2 to
# 6 each saw more)
assert all(b >= a for a, b in zip(v, v[1:])), v
assert len(set(v)) >= 2 and v[-1] > v[0], v  # >= 2: a loaded machine may start scraping late
EOF
	then
		ok
		break
	fi
	i=$((i + 1))
	if [ $i -ge 120 ]; then
		bad "Prometheus: the leaking site's series is not there, rising:"; head -c 600 "$tmp/q" | sed 's/^/     /'; echo
		curl -s "http://127.0.0.1:$pp/api/v1/targets" | grep -o '"lastError":"[^"]*"' || true
		break
	fi
	sleep 0.5
done
# the four working targets are exported, the down one has up 0
query 'drip_leaks_snapshots' >"$tmp/q" || true
query 'drip_leaks_target_up' >"$tmp/q2" || true
if python3 - "$tmp/q" "$tmp/q2" "127.0.0.1_${sp}_ok2_debug_pprof_heap" "down" <<'EOF'
import json, sys
snaps = {r["metric"]["target"]: float(r["value"][1]) for r in json.load(open(sys.argv[1]))["data"]["result"]}
up = {r["metric"]["target"]: float(r["value"][1]) for r in json.load(open(sys.argv[2]))["data"]["result"]}
ok2, down = sys.argv[3], sys.argv[4]
assert sorted(snaps) == sorted(["leaky", "healthy", ok2, "workers"]), snaps
assert all(v >= 6 for v in snaps.values()), snaps
assert up == {"leaky": 1, "healthy": 1, ok2: 1, "workers": 1, down: 0}, up
EOF
then ok; else bad "Prometheus: the targets' series"; head -c 600 "$tmp/q2" | sed 's/^/     /'; echo; fi
# the verdicts: the heap leak and the goroutine leak were growing (2)
query 'max_over_time(drip_leaks_site_verdict{target=~"leaky|workers",sample_type=~"inuse_space|goroutine"}[10m]) == 2' >"$tmp/q" || true
if python3 - "$tmp/q" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["data"]["result"]
got = sorted((x["metric"]["target"], x["metric"]["site"]) for x in r)
assert ("leaky", "main.(*leakyCache).Put") in got and any(t == "workers" for t, _ in got), got
EOF
then ok; else bad "Prometheus: verdicts"; head -c 600 "$tmp/q" | sed 's/^/     /'; echo; fi
# 7. The Grafana dashboard: every panel's query runs, with its variables
#    set (target leaky); the top growing sites panel finds the leak.
if python3 - "$root/docs/grafana-drip.json" "$pp" <<'EOF'
import json, sys, urllib.parse, urllib.request
dash = json.load(open(sys.argv[1]))
names = {v["name"] for v in dash["templating"]["list"]}
assert {"target", "datasource"} <= names, names
subst = {"$target": "leaky", "$sample_type": "inuse_space", "$top": "10"}
found = False
for p in dash["panels"]:
    for t in p.get("targets", []):
        e = t["expr"]
        for k, v in subst.items():
            e = e.replace(k, v)
        assert "$" not in e, e
        url = "http://127.0.0.1:%s/api/v1/query?%s" % (sys.argv[2], urllib.parse.urlencode({"query": e}))
        d = json.load(urllib.request.urlopen(url, timeout=10))
        assert d["status"] == "success", (p["title"], d)
        if p["title"].startswith("Top growing sites"):
            sites = {r["metric"].get("site") for r in d["data"]["result"]}
            found = "main.(*leakyCache).Put" in sites
assert found, "the top growing sites panel does not show main.(*leakyCache).Put"
EOF
then ok; else bad "docs/grafana-drip.json queries"; fi
# 8. Ctrl-C ends the watch: its exit status is drip leaks' over the
#    folder it wrote; the down target only warned.
kill -INT $wpid
set +e
wait $wpid
wrc=$?
set -e
pids=$(echo "$pids" | sed "s/ $wpid\$//; s/ $wpid / /")
set +e
$DRIP leaks "$tmp/w" >"$tmp/lout" 2>&1
lrc=$?
set -e
if [ $wrc = $lrc ] && [ $wrc -le 1 ] && grep -q 'final report' "$tmp/wout"; then ok; else
	bad "watch exit status $wrc, drip leaks on its folder $lrc"; sed 's/^/     /' "$tmp/werr" | head -5; fi
if grep -q "127.0.0.1:$down" "$tmp/werr" && ! grep -q 'error' "$tmp/werr"; then ok; else
	bad "the down target: warnings expected, no error"; sed 's/^/     /' "$tmp/werr" | head -5; fi
n=$(ls "$tmp/w" | sed -n 's/-[0-9][0-9][0-9]-.*//p' | sort -u | tr '\n' ' ')
[ "$n" = "127.0.0.1_${sp}_ok2_debug_pprof_heap healthy leaky workers " ] && ok || bad "snapshot targets: $n"
echo "prometheus: $pass passed, $fail failed"
[ $fail = 0 ]
