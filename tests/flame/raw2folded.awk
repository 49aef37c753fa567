# raw2folded.awk: folded stacks from `go tool pprof -raw` output, written
# independently of drip to check `drip flame --format=folded`.
#   go tool pprof -raw PROFILE | awk -v col=N [-v noinlines=1] -f raw2folded.awk | LC_ALL=C sort
# col: 1-based sample value column.  Frames are function names (pprof's
# functions granularity); an inlined location gives one frame per line,
# the inlined function first, as pprof -traces prints them.
/^Samples:/ { sect = "s"; next }
/^Locations/ { sect = "l"; next }
/^Mappings/ { sect = "m"; next }
sect == "s" && /^ *-?[0-9]+( +-?[0-9]+)*:/ {
	split($0, parts, ":")
	nv = split(parts[1], vals, " ")
	ns++
	sval[ns] = vals[col] + 0
	sstk[ns] = parts[2]
	next
}
sect == "l" && /^ +[0-9]+: / {
	id = $1; sub(":", "", id)
	cur = id
	nl[id] = 0
	if ($4 != "" && $4 !~ /^s=/) {
		nl[id] = 1; fn[id, 1] = $4
	}
	next
}
sect == "l" && /^             [^ ]/ {
	nl[cur]++; fn[cur, nl[cur]] = $1
	next
}
END {
	for (s = 1; s <= ns; s++) {
		if (sval[s] == 0) continue
		n = split(sstk[s], ids, " ")
		line = ""
		for (i = n; i >= 1; i--) {
			id = ids[i]
			first = noinlines ? nl[id] : 1
			for (k = nl[id]; k >= first; k--)
				line = line (line == "" ? "" : ";") fn[id, k]
		}
		if (line == "") continue
		sum[line] += sval[s]
	}
	for (l in sum)
		if (sum[l] != 0) printf "%s %d\n", l, sum[l]
}
