package topic

// foldRune maps a letter or digit to its lower-case ASCII form with diacritics
// removed, so that lexicon stems written without accents match "élection" and
// "wählen". It returns up to two bytes (ß → ss, œ → oe). ok is false for a
// character that is not part of a word; other is true for a letter outside the
// folded alphabet (Greek, Cyrillic, ...), which makes the word unmatchable.
func foldRune(r rune) (b [2]byte, n int, ok, other bool) {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return [2]byte{byte(r)}, 1, true, false
	case r >= 'A' && r <= 'Z':
		return [2]byte{byte(r) + 32}, 1, true, false
	case r < 0xC0:
		return b, 0, false, false
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å', 'ā', 'ă', 'ą', 'Ā', 'Ă', 'Ą':
		return [2]byte{'a'}, 1, true, false
	case 'ç', 'Ç', 'ć', 'č', 'Ć', 'Č':
		return [2]byte{'c'}, 1, true, false
	case 'è', 'é', 'ê', 'ë', 'È', 'É', 'Ê', 'Ë', 'ē', 'ė', 'ę', 'ě', 'Ē', 'Ė', 'Ę', 'Ě':
		return [2]byte{'e'}, 1, true, false
	case 'ì', 'í', 'î', 'ï', 'Ì', 'Í', 'Î', 'Ï', 'ī', 'į', 'ı', 'Ī', 'Į', 'İ':
		return [2]byte{'i'}, 1, true, false
	case 'ñ', 'Ñ', 'ń', 'ň', 'Ń', 'Ň':
		return [2]byte{'n'}, 1, true, false
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö', 'Ø', 'ō', 'ő', 'Ō', 'Ő':
		return [2]byte{'o'}, 1, true, false
	case 'ù', 'ú', 'û', 'ü', 'Ù', 'Ú', 'Û', 'Ü', 'ū', 'ů', 'ű', 'Ū', 'Ů', 'Ű':
		return [2]byte{'u'}, 1, true, false
	case 'ý', 'ÿ', 'Ý', 'Ÿ':
		return [2]byte{'y'}, 1, true, false
	case 'ś', 'š', 'ş', 'Ś', 'Š', 'Ş':
		return [2]byte{'s'}, 1, true, false
	case 'ź', 'ż', 'ž', 'Ź', 'Ż', 'Ž':
		return [2]byte{'z'}, 1, true, false
	case 'ł', 'Ł':
		return [2]byte{'l'}, 1, true, false
	case 'ř', 'Ř':
		return [2]byte{'r'}, 1, true, false
	case 'ď', 'Ď', 'đ', 'Đ':
		return [2]byte{'d'}, 1, true, false
	case 'ť', 'Ť', 'ţ', 'Ţ':
		return [2]byte{'t'}, 1, true, false
	case 'ğ', 'Ğ':
		return [2]byte{'g'}, 1, true, false
	case 'ß':
		return [2]byte{'s', 's'}, 2, true, false
	case 'œ', 'Œ':
		return [2]byte{'o', 'e'}, 2, true, false
	case 'æ', 'Æ':
		return [2]byte{'a', 'e'}, 2, true, false
	case 'ð', 'Ð':
		return [2]byte{'d'}, 1, true, false
	case 'þ', 'Þ':
		return [2]byte{'t', 'h'}, 2, true, false
	case '\u00D7', '\u00F7':
		return b, 0, false, false
	}
	if isLetter(r) {
		return b, 0, true, true
	}
	return b, 0, false, false
}

// isLetter reports letters of the scripts news copy uses beyond Latin-1, without
// the unicode tables in the hot path for the common case.
func isLetter(r rune) bool {
	switch {
	case r >= 0x100 && r <= 0x24F: // Latin Extended-A/B
		return true
	case r >= 0x370 && r <= 0x3FF, r >= 0x400 && r <= 0x52F: // Greek, Cyrillic
		return true
	case r >= 0x590 && r <= 0x6FF: // Hebrew, Arabic
		return true
	case r >= 0x3040 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7AF: // CJK, Hangul
		return true
	}
	return false
}
