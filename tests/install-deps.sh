#!/bin/sh
# Install drip's build and test dependencies on Debian when they are
# missing: with apt-get when root, otherwise print the command to run.
set -eu
PKGS="build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev zlib1g-dev libdeflate-dev libgraphviz-dev check libcurl4-openssl-dev groff-base libxml2-utils python3"
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
