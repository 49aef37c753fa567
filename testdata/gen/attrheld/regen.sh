#!/bin/sh
# Regenerates testdata/attrheld/: the held-out attribution set (issue 14),
# written after owner_is_own's rule was fixed.  Two services, each built
# three ways with Go 1.19 (`go`) and, when present, Go 1.27 (../go127.sh):
#   leaky/  module "leaky" (no dot), subpackages under internal/
#   shop/   module "shop.example.com/svc" (a domain name)
# Both depend on example.com/cachelib v0.3.1 (deps/cachelib, served by a
# file:// GOPROXY so that it lands in the module cache, .../pkg/mod/) and
# on kvlib (deps/kvlib, a dotless module pulled in by a replace directive).
# Builds:  mod     modules from the module cache, full paths
#          trim    the same with -trimpath (module@version/file.go)
#          vendor  `go mod vendor`, -mod=vendor, full paths (.../vendor/...)
# Runs:    rate1/    MemProfileRate=1, 4 snapshots: heap_NNN.pb.gz,
#                    goroutine_NNN.pb.gz, goroutine_NNN.debug2.txt
#          default/  the default rate (512 KiB), 4 heap snapshots, 8 times
#                    the leaks per step (-scale 8) so that each is sampled
# manifest.tsv: every "// LEAK name" line of the sources: the function it
# is in (the expected owner) and its file:line; kind heap, goroutine (the
# group's own frame) or creator (the goroutines run only library code).
# No network: everything is local.
# Usage: testdata/gen/attrheld/regen.sh [GO127DIR]   (default /opt/go127)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TD=$(cd "$HERE/../.." && pwd)            # testdata/
OUT=$TD/attrheld
W=/tmp/drip-attrheld                     # fixed: it ends up in file names
export TZ=UTC
rm -rf "$W" "$OUT"
mkdir -p "$W/src" "$W/proxy/example.com/cachelib/@v" "$W/zip" "$OUT"
cp -r "$HERE/deps" "$HERE/leaky" "$HERE/shop" "$W/src/"

# example.com/cachelib v0.3.1 in a file:// module proxy
V=v0.3.1
P=$W/proxy/example.com/cachelib/@v
echo $V >"$P/list"
printf '{"Version":"%s","Time":"2026-01-01T00:00:00Z"}\n' $V >"$P/$V.info"
cp "$HERE/deps/cachelib/go.mod" "$P/$V.mod"
mkdir -p "$W/zip/example.com/cachelib@$V"
cp "$HERE/deps/cachelib/"* "$W/zip/example.com/cachelib@$V/"
(cd "$W/zip" && zip -qrX "$P/$V.zip" "example.com/cachelib@$V")

# manifest: prog name kind function file line (file relative to its module)
manifest() {
	prog=$1 mod=$2
	(cd "$HERE/$prog" && grep -rn '// LEAK ' --include=*.go . | sort) | while IFS=: read -r f line rest; do
		f=${f#./}
		dir=$(dirname "$f")
		name=$(printf "%s\n" "$rest" | sed 's|.*// LEAK \([^ ]*\).*|\1|')
		kind=heap
		case $rest in *"goroutine"*) kind=goroutine ;; *"creator"*) kind=creator ;; esac
		# the func declaration nearest above the marker
		decl=$(head -n "$line" "$HERE/$prog/$f" | grep '^func ' | tail -n1)
		fn=$(printf "%s\n" "$decl" | sed -e 's/^func (\([a-z]* \)\{0,1\}\(\*\{0,1\}\)\([A-Za-z0-9_]*\)) \([A-Za-z0-9_]*\).*/(\2\3).\4/' \
			-e 's/^func \([A-Za-z0-9_]*\).*/\1/' -e 's/^(\([A-Za-z0-9_]*\))/\1/')
		printf '%s\t%s\t%s\t%s/%s.%s\t%s\t%s\n' "$prog" "$name" "$kind" "$mod" "$dir" "$fn" "$f" "$line"
	done
}
{
	printf 'prog\tleak\tkind\towner\tfile\tline\n'
	manifest leaky leaky
	manifest shop shop.example.com/svc
} >"$OUT/manifest.tsv"

build() { # go-label build-kind
	for prog in leaky shop; do
		d=$W/$1-$2/$prog
		rm -rf "$d"
		cp -r "$W/src/$prog" "$d.tmp" 2>/dev/null || { mkdir -p "$(dirname "$d")"; cp -r "$W/src/$prog" "$d.tmp"; }
		mv "$d.tmp" "$d"
		cp -r "$W/src/deps" "$W/$1-$2/deps" 2>/dev/null || true
		(
			cd "$d"
			export GOPATH="$W/gopath-$1" GOPROXY="file://$W/proxy" GOSUMDB=off GOFLAGS=-mod=mod
			go mod tidy >/dev/null 2>&1 || go mod tidy
			case $2 in
			mod) go build -o "$W/bin/$1-$2-$prog" ./cmd/${prog}d ;;
			trim) go build -trimpath -o "$W/bin/$1-$2-$prog" ./cmd/${prog}d ;;
			vendor) go mod vendor && GOFLAGS=-mod=vendor go build -o "$W/bin/$1-$2-$prog" ./cmd/${prog}d ;;
			esac
		)
		o=$OUT/$prog/$1-$2
		mkdir -p "$o/rate1" "$o/default"
		"$W/bin/$1-$2-$prog" -rate 1 -n 4 -goroutines -out "$o/rate1"
		"$W/bin/$1-$2-$prog" -n 4 -scale 8 -out "$o/default"
	done
}

mkdir -p "$W/bin"
go version
for b in mod trim vendor; do build go119 $b; done
G127=${1:-/opt/go127}
if [ -x "$G127/usr/lib/go-1.27/bin/go" ]; then
	eval "$("$HERE/../go127.sh" --env "$G127")"
	go version
	for b in mod trim vendor; do build go127 $b; done
fi
du -sh "$OUT"/*/* | sort -k2
