#!/bin/sh
# check.sh DRIP PAGE [DRIP-OPTIONS...] -- FILE...: every table of a drip
# report page (rows.awk) against drip's text output for the same options:
# drip top, or drip diff when the options have --base; one line per
# sample type, "identical: TYPE (N rows)", or the differences.  The
# header lines (File, Type, Time, Showing nodes ..., Dropped ...) are
# compared too.
set -eu
drip=$1 page=$2
shift 2
opts="" files="" sep=0 cmd=top
for a in "$@"; do
	if [ "$sep" = 1 ]; then files="$files $a"; continue; fi
	case "$a" in
	--) sep=1 ;;
	--base=*) opts="$opts $a"; cmd=diff ;;
	*) opts="$opts $a" ;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -f "$here/rows.awk" "$page" > "$tmp/page"
for t in $(sed -n 's/^## //p' "$tmp/page"); do
	# shellcheck disable=SC2086
	"$drip" $cmd -i "$t" $opts $files |
		awk 'p && $NF != "(total)" && !/^\(/ { $1 = $1; print } /^ +(flat +flat%|base +new +delta)/ { p = 1 }
		     !p && !/^(Base|New): / && !/^ +(flat +flat%|base +new +delta)/ { print "# " $0 }' > "$tmp/want"
	awk -v t="$t" '/^## / { p = ($2 == t); next } p' "$tmp/page" > "$tmp/got"
	if cmp -s "$tmp/want" "$tmp/got" && [ -s "$tmp/want" ]; then
		echo "identical: $t ($(grep -vc '^# ' "$tmp/want") rows)"
	else
		echo "DIFFERENT: $t"
		diff "$tmp/want" "$tmp/got" | head -10
	fi
done
