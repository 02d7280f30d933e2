package remind

// delimiter is the file's field separator, read from its header line: ';'
// when the line has more semicolons than commas outside quotes (what Excel
// writes where the comma is the decimal sign), ',' otherwise.
func delimiter(raw []byte) rune {
	commas, semicolons, quoted := 0, 0, false
	for _, c := range raw {
		switch {
		case c == '"':
			quoted = !quoted // a doubled quote toggles twice
		case quoted:
		case c == '\n':
			return pick(commas, semicolons)
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
	}
	return pick(commas, semicolons)
}

func pick(commas, semicolons int) rune {
	if semicolons > commas {
		return ';'
	}
	return ','
}
