#!/bin/sh
# Scores drip's owners on the held-out attribution set testdata/attrheld/
# (made by testdata/gen/attrheld/regen.sh after the rule was fixed) against
# its manifest.tsv (each leak's function and file:line, from the programs'
# sources).  One line per service build and command:
#   ok     the owner is the leak's function, at its file:line with --lines
#   self   no library site names it, but the leak's function is a site
#          itself (its allocation's leaf frame is the program's own)
#   line   the right function at another line
#   MISS   no reported site names it
# then "wrong": owners of growing or noisy sites (leaks) or of top
# contributors (check, diff) that are no leak's function:line (a
# dependency or a standard function taken for the program's own, or a
# caller fallback).  The last lines total them.
set -eu
DRIP=${DRIP:-drip}
cd "$TESTDATA/attrheld"
# score PROG LABEL KINDS GRAN < drip-output: KINDS heap|goroutine|creator
score() {
	awk -v prog="$1" -v label="$2" -v kinds="$3" -v gran="$4" -v top="$5" -v man=manifest.tsv '
	BEGIN {
		FS = "\t"
		while ((getline l < man) > 0) {
			split(l, a, "\t")
			if (a[1] != prog || index(" " kinds " ", " " a[3] " ") == 0) continue
			n++; name[n] = a[2]; kind[n] = a[3]; fn[n] = a[4]; file[n] = a[5]; line[n] = a[6]
		}
		FS = " "
		rank["ok"] = 4; rank["self"] = 3; rank["line"] = 2
	}
	function set(i, s) { if (rank[s] > rank[st[i]]) st[i] = s }
	# 1: F at the row'"'"'s file:line (or just F at function granularity
	# and for goroutine groups, which have no file:line),
	# 2: F elsewhere, 0: another function
	function same(f, fl, i) {
		if (f != fn[i]) return 0
		if (gran == "func" || fl !~ /:[0-9]+$/) return 1 # a goroutine group: just F
		return fl ~ ("(^|/)" file[i] ":" line[i] "$") ? 1 : 2
	}
	# an owner (self: a site that is the program'"'"'s own) of a site
	# that grew (leaks: growing or noisy; check, diff: every one shown)
	function owner(f, fl, self, grew,   i, m, exact, near) {
		exact = near = 0
		for (i = 1; i <= n; i++) {
			m = same(f, fl, i)
			if (m == 1) { exact = 1; set(i, self ? "self" : "ok") }
			else if (m == 2) near = 1
		}
		if (exact || !grew || self) return
		if (near) { for (i = 1; i <= n; i++) if (same(f, fl, i) == 2) set(i, "line"); return }
		nw++; w = w " " f (gran == "func" || fl == "" ? "" : " " fl)
	}
	function creator(f,   i) { for (i = 1; i <= n; i++) if (kind[i] == "creator" && f == fn[i]) set(i, "ok") }
	# drip leaks: a site row ("F" or "F FILE:LINE" last), then its owner line
	/^ *[0-9]+  (growing|noisy|flat) / {
		grew = $2 != "flat"
		if ($NF ~ /:[0-9]+$/ && gran != "func") owner($(NF-1), $NF, 1, grew); else owner($NF, "", 1, grew)
		next }
	/^      (allocated for|called from) / { owner($3, NF >= 4 ? $4 : "", 0, grew); next }
	# drip leaks, goroutines: "blocks in: S; created by C[; owner F FILE:LINE]"
	/^      blocks in:/ {
		s = $0
		if (match(s, /owner [^ ;]+( [^ ;]+)?/)) { split(substr(s, RSTART, RLENGTH), o, " "); owner(o[2], o[3], 0, grew) }
		if (match(s, /created by [^ ;]+/)) { split(substr(s, RSTART, RLENGTH), o, " "); creator(o[3]) }
		next }
	# diff --owners, check: "... SITE  owner F FILE:LINE" or "called from F FILE:LINE"
	/  (owner|called from) / { s = $0; sub(/.*  (owner|called from) /, "", s); split(s, o, " "); owner(o[1], o[2], 0, 1); next }
	# check, goroutines: "+N  GROUP  (a -> b)  created by C"
	/  created by / { s = $0; sub(/.*created by /, "", s); split(s, o, " "); creator(o[1]) }
	# a check contributor or a diff row without an owner: a site of the
	# program'"'"'s own (its first field with a dot that is not a number)
	/^ +[-+]?[0-9.]+([kMG]?B)? / && !/\(total\)/ {
		for (k = 1; k <= NF; k++) if ($k ~ /[.(]/ && $k !~ /^[-+]?[0-9.]+([kMG]?B|%)?$/) { owner($k, (k < NF) ? $(k+1) : "", 1, 1); break } }
	END {
		out = prog " " label ":"
		for (i = 1; i <= n; i++) {
			s = st[i] == "" ? (top ? "-" : "MISS") : st[i]
			out = out " " name[i] "=" s; tot[s]++
		}
		print out "; wrong " nw + 0 (nw ? ":" w : "")
		printf "%d\t%d\t%d\t%d\t%d\t%d\t%d\n", n - tot["-"], tot["ok"], tot["self"], tot["line"], tot["MISS"], nw + 0, tot["-"] > "/dev/stderr"
	}'
}
t=$(mktemp)
trap 'rm -f "$t" "$t.tot"' EXIT
: >"$t.tot"
for prog in leaky shop; do
	for d in "$prog"/*/; do
		d=${d%/}
		v=${d#*/}
		for r in rate1 default; do
			$DRIP leaks --all --lines $d/$r/heap_*.pb.gz >"$t" || true
			score $prog "$v leaks --lines $r" heap lines "" <"$t" 2>>"$t.tot"
			$DRIP leaks --all $d/$r/heap_*.pb.gz >"$t" || true
			score $prog "$v leaks $r" heap func "" <"$t" 2>>"$t.tot"
			$DRIP diff --owners --lines --nodecount=40 $d/$r/heap_000.pb.gz $d/$r/heap_003.pb.gz >"$t" || true
			score $prog "$v diff --owners --lines $r" heap lines top <"$t" 2>>"$t.tot"
			$DRIP check --max-growth=1 --lines $d/$r/heap_000.pb.gz $d/$r/heap_003.pb.gz >"$t" || true
			score $prog "$v check --lines $r" heap lines top <"$t" 2>>"$t.tot"
		done
		$DRIP leaks --all --lines $d/rate1/goroutine_*.debug2.txt >"$t" || true
		score $prog "$v leaks --lines goroutine debug=2" "goroutine creator" lines "" <"$t" 2>>"$t.tot"
		$DRIP leaks --all --lines $d/rate1/goroutine_*.pb.gz >"$t" || true
		score $prog "$v leaks --lines goroutine proto" goroutine lines "" <"$t" 2>>"$t.tot"
		$DRIP check --max-goroutines=+1 --lines $d/rate1/goroutine_000.debug2.txt $d/rate1/goroutine_003.debug2.txt >"$t" || true
		score $prog "$v check --lines goroutine debug=2" "goroutine creator" lines top <"$t" 2>>"$t.tot"
	done
done
awk -F'\t' '{ n += $1; ok += $2; self += $3; line += $4; miss += $5; w += $6; ns += $7 }
	END { printf "total: %d of %d owners right (%d ok, %d self), %d at another line, %d MISS; %d wrong owners; %d not shown (check, diff)\n", ok + self, n, ok, self, line, miss, w, ns }' "$t.tot"
