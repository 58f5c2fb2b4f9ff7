package reconcile

// tokens splits text into its runs of ASCII letters and digits, upper-cased:
// "Inv. 2026/00042, thanks" gives INV, 2026, 00042, THANKS.
func tokens(text string) []string {
	var out []string
	start := -1
	buf := []byte(text)
	for i := 0; i <= len(buf); i++ {
		alnum := false
		if i < len(buf) {
			c := buf[i]
			if c >= 'a' && c <= 'z' {
				buf[i] = c - 'a' + 'A'
				alnum = true
			} else {
				alnum = c >= 'A' && c <= 'Z' || isDigit(c)
			}
		}
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			out = append(out, string(buf[start:i]))
			start = -1
		}
	}
	return out
}

// FindReferences returns every structured reference written in text, in
// order, whatever its spacing and separators: "RF18 5390 0754 7034",
// "+++090/9337/55493+++", "21 00000 00003 13947 14300 09017". Only
// references whose check digits are right are returned. A run of groups
// can validate in more than one length (a mod-97 check passes one random
// string in 97); every valid length is returned and the caller keeps the one
// it knows.
func FindReferences(text string) []Reference {
	return findReferences(tokens(text))
}

func findReferences(toks []string) []Reference {
	var out []Reference
	used := 0 // tokens before this one belong to a reference found already
	for i, t := range toks {
		if i < used {
			continue
		}
		if len(t) >= 4 && t[0] == 'R' && t[1] == 'F' && isDigit(t[2]) && isDigit(t[3]) {
			s := t
			for j := i + 1; ; j++ {
				if CheckRF(s) {
					out = append(out, Reference{RefRF, s})
				}
				// The groups after "RFnn" belong to it, valid or not: they are
				// not read again as a Belgian or Swiss reference.
				used = j
				if j == len(toks) || len(s)+len(toks[j]) > 25 {
					break
				}
				s += toks[j]
			}
			continue
		}
		if !allDigits(t) {
			continue
		}
		s := ""
		for j := i; j < len(toks) && allDigits(toks[j]) && len(s)+len(toks[j]) <= 27; j++ {
			s += toks[j]
			switch {
			case len(s) == 12 && CheckBelgian(s):
				out = append(out, Reference{RefBE, s})
			case len(s) == 27 && CheckQR(s):
				out = append(out, Reference{RefQR, s})
			}
		}
	}
	return out
}

// maxKeyTokens is how many consecutive tokens a document number may be
// written in: "INV 2026 00042" is three.
const maxKeyTokens = 4

// textKeys returns the keys under which a document number or a free
// reference written in text may be indexed: every run of one to
// maxKeyTokens consecutive tokens, joined, that holds a digit and at least
// four characters.
func textKeys(toks []string) []string {
	var out []string
	for i := range toks {
		s, digit := "", false
		for j := i; j < len(toks) && j < i+maxKeyTokens; j++ {
			s += toks[j]
			digit = digit || hasDigit(toks[j])
			if digit && len(s) >= 4 {
				out = append(out, s)
			}
		}
	}
	return out
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// digitsOf keeps the digits of s.
func digitsOf(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// ocrFold maps the letters that scanners and people confuse with digits to
// those digits (O→0, I and L→1, Z→2, S→5, B→8), so "1NV-2O26-OOO42" and
// "INV-2026-00042" fold to the same key.
func ocrFold(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch c {
		case 'O':
			b[i] = '0'
		case 'I', 'L':
			b[i] = '1'
		case 'Z':
			b[i] = '2'
		case 'S':
			b[i] = '5'
		case 'B':
			b[i] = '8'
		}
	}
	return string(b)
}
