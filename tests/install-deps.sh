#!/bin/sh
# Install drip's build and test dependencies on Debian when they are
# missing: with apt-get when root, otherwise print the command to run.
# `install-deps.sh fuzz` installs what `make fuzz` needs instead (clang and
# its libFuzzer runtime), so that `make check` stays lean; `install-deps.sh
# valgrind` adds valgrind for `make check VALGRIND=1`.  prometheus (with
# promtool) and curl are for tests/live/prometheus.sh.
set -eu
PKGS="build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev zlib1g-dev libdeflate-dev libgraphviz-dev check libcurl4-openssl-dev groff-base libxml2-utils python3 prometheus curl"
FUZZ_PKGS="build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev zlib1g-dev libdeflate-dev libcurl4-openssl-dev clang libclang-rt-dev python3"
case "${1:-}" in
fuzz) PKGS=$FUZZ_PKGS ;;
valgrind) PKGS="$PKGS valgrind" ;; # make check VALGRIND=1
esac
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "drip: installing build dependencies:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || apt-get update
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "drip: missing build dependencies:$missing" >&2
	echo "drip: run: sudo apt-get install$missing" >&2
	exit 2
fi
