# rows.awk: the table rows of a drip report page, as text, to compare
# with drip top / drip diff.  Reads the page's JSON data (the one line
# that starts with <script type="application/json" id="data">), and for
# each table prints "## TYPE", its header lines as "# LINE", and then
# one line per row: the printed
# fields (flat flat% sum% cum cum% name, or base new delta delta% name)
# separated by single spaces.  A small JSON tokenizer: strings (with
# escapes), numbers, and the punctuation that nests them.
function tok(   c, s, e) {
	while (pos <= n && substr(text, pos, 1) ~ /[ \t]/) pos++
	c = substr(text, pos, 1)
	if (c == "\"") {
		s = ""
		pos++
		while (pos <= n) {
			c = substr(text, pos, 1)
			if (c == "\\") {
				e = substr(text, pos + 1, 1)
				if (e == "u") { s = s sprintf("%c", ("0x" substr(text, pos + 2, 4)) + 0); pos += 6; continue }
				if (e == "n") s = s "\n"; else if (e == "t") s = s "\t"; else s = s e
				pos += 2
				continue
			}
			if (c == "\"") { pos++; break }
			s = s c
			pos++
		}
		tt = "s"; tv = s
		return
	}
	if (c ~ /[-0-9]/) {
		s = ""
		while (pos <= n && substr(text, pos, 1) ~ /[-+0-9.eE]/) { s = s substr(text, pos, 1); pos++ }
		tt = "n"; tv = s
		return
	}
	tt = c; tv = c
	pos++
}
/^<script type="application\/json" id="data">/ {
	text = $0
	sub(/^<script type="application\/json" id="data">/, "", text)
	n = length(text)
	pos = 1
	depth = 0
	want = ""
	while (pos <= n) {
		tok()
		if (tt == "[" || tt == "{") { depth++; continue }
		if (tt == "]" || tt == "}") { depth--; continue }
		if (tt == "s" && substr(text, pos, 1) == ":") {
			key = tv
			pos++
			if (key == "type" && depth == 3) { tok(); type = tv; continue }
			if (key == "header" && depth == 3) {
				# drip top's header lines, before the rows
				tok()
				hdr[type] = tv
				continue
			}
			if (key == "rows" && depth == 3) {
				print "## " type
				nh = split(hdr[type], hl, "\n")
				for (h = 1; h <= nh; h++) if (hl[h] != "") print "# " hl[h]
				tok() # [
				for (;;) {
					tok()
					if (tt == "]") break
					if (tt == ",") continue
					# one row: [name, v, v(, v), fields...]
					f = 0
					for (;;) {
						tok()
						if (tt == "]") break
						if (tt == ",") continue
						row[++f] = tv
					}
					if (f == 8) {
						# top: name flat cum | flat flat% sum% cum cum%
						print row[4], row[5], row[6], row[7], row[8], row[1]
					} else {
						# diff: name base new delta | base new delta delta% status
						print row[5], row[6], row[7], row[8], row[1] (row[9] != "" ? " [" row[9] "]" : "")
					}
				}
				continue
			}
		}
	}
}
