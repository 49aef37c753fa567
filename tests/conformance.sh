#!/bin/sh
# pprof conformance: run drip's equivalent of every case in
# ../shared/pprof-testdata/cases.tsv (inputs and byte-exact expected
# outputs from pprof's own test suite) and compare.  A case whose pprof
# flags have no drip equivalent yet is reported as a GAP, not hidden.
#
# Strictness: a mismatch in a case of a required kind (STRICT_KINDS, by
# default every text report: top traces tags tree peek comments) is a
# FAIL and makes the run fail.  A mismatch in another kind (dot, until
# `drip graph` lands) is listed as a GAP.  STRICT=1 makes every kind
# required.  One line per case, then
#   conformance: N passed, N failed, N skipped
set -eu
STRICT_KINDS=${STRICT_KINDS:-"top traces tags tree peek comments"}
LC_ALL=C
export LC_ALL
TZ=UTC
export TZ
root=$(cd "$(dirname "$0")/.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
SHARED=${SHARED:-$root/../shared/pprof-testdata}
if [ ! -f "$SHARED/cases.tsv" ]; then
	echo "conformance: skipped: $SHARED/cases.tsv is absent"
	echo "conformance: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
if [ -n "${VALGRIND:-}" ]; then
	DRIP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $DRIP"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 gap=0
# Translate one pprof flag list into "COMMAND ARGS" for drip, or GAP:why.
translate() {
	cmd="" args="" peek=""
	for f in "$@"; do
		case "$f" in
		-symbolize=*|-trim|-divide_by=1) ;;
		-text) cmd=top ;;
		-traces) cmd=traces ;;
		-tags) cmd=tags ;;
		-tree) cmd=tree ;;
		-dot) cmd=graph ;;
		-comments) cmd=comments ;;
		-peek=*) cmd=peek; peek=${f#-peek=} ;;
		-call_tree) args="$args --call-tree" ;;
		-add_comment=*) args="$args --add-comment=${f#-add_comment=}" ;;
		-inuse_space|-inuse_objects|-alloc_space|-alloc_objects) args="$args --sample-index=${f#-}" ;;
		-functions|-filefunctions|-files|-lines|-addresses|-noinlines|-flat|-cum|-compact_labels|-relative_percentages|-all_frames)
			g=$(printf '%s' "${f#-}" | tr _ -); args="$args --$g" ;;
		-*=*)
			k=${f%%=*}; v=${f#*=}
			k=$(printf '%s' "${k#-}" | tr _ -)
			args="$args --$k=$v" ;;
		*) echo "GAP:unknown flag $f"; return ;;
		esac
	done
	if [ -n "$peek" ]; then
		echo "$cmd|$args|$peek"
	else
		echo "$cmd|$args|"
	fi
}
tab=$(printf '\t')
tail -n +2 "$SHARED/cases.tsv" | while IFS="$tab" read -r expected input flags; do
	# shellcheck disable=SC2086
	t=$(translate $flags)
	name=${expected#expected/}
	case "$t" in GAP:*) echo "GAP  $name (${t#GAP:})"; echo gap >>"$tmp/counts"; continue ;; esac
	cmd=${t%%|*}; rest=${t#*|}; args=${rest%%|*}; peek=${rest#*|}
	if ! $DRIP "$cmd" --help >/dev/null 2>&1; then
		echo "GAP  $name (no 'drip $cmd' yet)"
		echo gap >>"$tmp/counts"
		continue
	fi
	set +e
	if [ -n "$peek" ]; then
		# shellcheck disable=SC2086
		$DRIP "$cmd" $args "$peek" "$SHARED/$input" >"$tmp/out" 2>"$tmp/err"
	else
		# shellcheck disable=SC2086
		$DRIP "$cmd" $args "$SHARED/$input" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	set -e
	required=0
	case " $STRICT_KINDS " in *" $cmd "*) required=1 ;; esac
	[ "${STRICT:-0}" = 1 ] && required=1
	if [ $rc = 0 ] && cmp -s "$tmp/out" "$SHARED/$expected"; then
		echo "PASS $name"
		echo pass >>"$tmp/counts"
	elif [ $required = 0 ]; then
		echo "GAP  $name (drip $cmd output differs; '$cmd' cases are not required yet)"
		echo gap >>"$tmp/counts"
	else
		echo "FAIL $name (drip $cmd$args $peek; exit $rc)"
		head -3 "$tmp/err" | sed 's/^/     /'
		diff "$SHARED/$expected" "$tmp/out" | head -10 | sed 's/^/     /' || true
		echo fail >>"$tmp/counts"
	fi
done
pass=$(grep -c '^pass' "$tmp/counts" 2>/dev/null || true)
fail=$(grep -c '^fail' "$tmp/counts" 2>/dev/null || true)
gap=$(grep -c '^gap' "$tmp/counts" 2>/dev/null || true)
echo "conformance: ${pass:-0} passed, ${fail:-0} failed, ${gap:-0} skipped"
if [ "${fail:-0}" != 0 ]; then exit 1; fi
exit 0
