#!/bin/sh
# pprof conformance: run drip's equivalent of every case in a cases.tsv
# (columns: expected file, input file(s), pprof flags; paths relative to
# BASEDIR) and compare byte for byte.  By default the suite is
# ../shared/pprof-testdata (pprof's own test suite); with arguments
#   tests/conformance.sh CASES.tsv BASEDIR NAME
# it runs another one (testdata/expected/cases.tsv: goldens made with
# go tool pprof on drip's own test profiles).  A case whose pprof flags
# have no drip equivalent yet is reported as a GAP, not hidden; a case
# on a Go text profile is a DEVIATION: pprof ignores the symbol lines of
# those formats and prints addresses, drip names the frames.
#
# Strictness: in the shared suite, a mismatch in a case of a required
# kind (STRICT_KINDS, by default every text report: top traces tags tree
# peek comments, and graph for -dot) is a FAIL and makes the run fail
# (so `make check` fails); a mismatch in another kind is listed as a
# GAP.  Other suites require nothing unless STRICT_KINDS is
# set (their goldens come from Go 1.19's pprof, whose -tags layout is
# older).  STRICT=1 makes every kind required.  One line per case, then
#   SUITE: N passed, N failed, N skipped
set -eu
LC_ALL=C
export LC_ALL
TZ=UTC
export TZ
root=$(cd "$(dirname "$0")/.." && pwd)
DRIP=${DRIP:-$root/build/drip}
case "$DRIP" in /*) ;; *) DRIP="$root/$DRIP" ;; esac
SHARED=${SHARED:-$root/../shared/pprof-testdata}
CASES=${1:-$SHARED/cases.tsv}
BASEDIR=${2:-$SHARED}
SUITE=${3:-conformance}
if [ $# -eq 0 ]; then
	STRICT_KINDS=${STRICT_KINDS-"top traces tags tree peek comments graph"}
else
	STRICT_KINDS=${STRICT_KINDS-}
fi
if [ ! -f "$CASES" ]; then
	echo "$SUITE: skipped: $CASES is absent"
	echo "$SUITE: 0 passed, 0 failed, 1 skipped"
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
		-text|-top) cmd=top ;;
		-raw) echo "GAP:-raw"; return ;;
		-diff_base=*) args="$args --diff-base=$BASEDIR/${f#-diff_base=}" ;;
		-base=*) args="$args --base=$BASEDIR/${f#-base=}" ;;
		-normalize) args="$args --normalize" ;;
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
tail -n +2 "$CASES" | while IFS="$tab" read -r expected input flags; do
	# shellcheck disable=SC2086
	t=$(translate $flags)
	name=${expected#expected/}
	case "$input" in *.txt)
		echo "DEVIATION $name (Go text profile: pprof prints addresses, drip names frames)"
		echo gap >>"$tmp/counts"; continue ;;
	esac
	case "$flags" in *"exit status"*) echo "GAP  $name (pprof fails on this input)"; echo gap >>"$tmp/counts"; continue ;; esac
	case "$t" in GAP:*) echo "GAP  $name (${t#GAP:})"; echo gap >>"$tmp/counts"; continue ;; esac
	cmd=${t%%|*}; rest=${t#*|}; args=${rest%%|*}; peek=${rest#*|}
	if ! $DRIP "$cmd" --help >/dev/null 2>&1; then
		echo "GAP  $name (no 'drip $cmd' yet)"
		echo gap >>"$tmp/counts"
		continue
	fi
	# pprof takes every flag with every report and ignores those that do
	# not shape it (its test driver passes -nodecount, -compact_labels,
	# ... to -comments too); a drip command takes only the options it
	# honours, so pass it those its --help lists.
	honoured=" $($DRIP "$cmd" --help | sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p' | tr '\n' ' ') "
	kept=""
	for a in $args; do
		n=${a#--}
		n=${n%%=*}
		case "$honoured" in *" $n "*) kept="$kept $a" ;; esac
	done
	args=$kept
	set +e
	if [ -n "$peek" ]; then
		# shellcheck disable=SC2086
		$DRIP "$cmd" $args "$peek" "$BASEDIR/$input" >"$tmp/out" 2>"$tmp/err"
	else
		# shellcheck disable=SC2086
		$DRIP "$cmd" $args "$BASEDIR/$input" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	set -e
	required=0
	case " $STRICT_KINDS " in *" $cmd "*) required=1 ;; esac
	[ "${STRICT:-0}" = 1 ] && required=1
	exp="$BASEDIR/$expected"
	if [ -n "${TIME_FORMAT_GO127:-}" ]; then
		# Go 1.27's pprof prints "Time: 2026-12-02 06:38:49 UTC"; drip
		# prints the header as the Go 1.19 pprof of the other goldens
		# ("Time: Dec 2, 2026 at 6:38am (UTC)"): that line is left out
		# of the comparison.
		sed 's/^Time: .*/Time:/' "$exp" >"$tmp/exp"
		sed 's/^Time: .*/Time:/' "$tmp/out" >"$tmp/out2" && mv "$tmp/out2" "$tmp/out"
		exp="$tmp/exp"
	fi
	if [ $rc = 0 ] && cmp -s "$tmp/out" "$exp"; then
		echo "PASS $name"
		echo pass >>"$tmp/counts"
	elif [ $required = 0 ]; then
		echo "GAP  $name (drip $cmd$args $peek differs; '$cmd' cases are not required here yet)"
		echo gap >>"$tmp/counts"
	else
		echo "FAIL $name (drip $cmd$args $peek; exit $rc)"
		head -3 "$tmp/err" | sed 's/^/     /'
		diff "$BASEDIR/$expected" "$tmp/out" | head -10 | sed 's/^/     /' || true
		echo fail >>"$tmp/counts"
	fi
done
pass=$(grep -c '^pass' "$tmp/counts" 2>/dev/null || true)
fail=$(grep -c '^fail' "$tmp/counts" 2>/dev/null || true)
gap=$(grep -c '^gap' "$tmp/counts" 2>/dev/null || true)
echo "$SUITE: ${pass:-0} passed, ${fail:-0} failed, ${gap:-0} skipped"
if [ "${fail:-0}" != 0 ]; then exit 1; fi
exit 0
