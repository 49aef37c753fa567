#!/bin/sh
# Fetches Debian sid's Go 1.27 toolchain into DIR (default /opt/go127) without
# installing it system-wide, and prints the environment to use it:
#
#   testdata/gen/go127.sh [DIR]
#   eval "$(testdata/gen/go127.sh --env [DIR])"   # GOROOT, GOTOOLCHAIN, PATH
#
# Adds the sid suite beside the existing Debian source with pin priority 1 (so
# apt never upgrades anything from it), downloads golang-1.27-go and
# golang-1.27-src with `apt-get download` and unpacks both with `dpkg -x`.
# Needs root for the apt source and `apt-get update`; the toolchain is
# self-contained after that.
set -eu
env_only=
if [ "${1:-}" = --env ]; then env_only=1; shift; fi
DIR=${1:-/opt/go127}
GOROOT_DIR=$DIR/usr/lib/go-1.27
if [ -n "$env_only" ]; then
	printf 'export GOROOT=%s GOTOOLCHAIN=local PATH=%s/bin:$PATH\n' "$GOROOT_DIR" "$GOROOT_DIR"
	exit 0
fi
if [ ! -x "$GOROOT_DIR/bin/go" ]; then
	# The mirror the existing sources use (deb822 "URIs:" or one-line "deb").
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*debian\) .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	[ -f /etc/apt/sources.list.d/sid.list ] ||
		echo "deb $mirror sid main" >/etc/apt/sources.list.d/sid.list
	[ -f /etc/apt/preferences.d/sid-pin ] || printf '%s\n' \
		'Package: *' 'Pin: release n=sid' 'Pin-Priority: 1' >/etc/apt/preferences.d/sid-pin
	apt-get update -qq
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -qq golang-1.27-go golang-1.27-src)
	mkdir -p "$DIR"
	for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$DIR"; done
fi
GOROOT=$GOROOT_DIR GOTOOLCHAIN=local "$GOROOT_DIR/bin/go" version
