package reconcile

// RepairReference returns the structured references one typing error away
// from s, when s looks like one (an RF reference, a 12-digit Belgian or a
// 27-digit Swiss reference) but fails its check: every single-character
// substitution (a digit for a digit, a letter for a letter) and every swap
// of neighbours that passes the check. Only the caller knows which of them
// exist; a mod-97 check lets about one variant in a hundred through (a
// dozen for an RF reference), the Swiss mod 10 one in ten (some thirty). A valid s, or one that looks like no reference, gives none.
func RepairReference(s string) []Reference {
	c := compact(s)
	if _, ok := ParseReference(c); ok || containsBang(c) {
		return nil
	}
	var kind RefKind
	switch {
	case len(c) >= 5 && len(c) <= 25 && c[0] == 'R' && c[1] == 'F' && isDigit(c[2]) && isDigit(c[3]):
		kind = RefRF
	case len(c) == 12 && allDigits(c):
		kind = RefBE
	case len(c) == 27 && allDigits(c):
		kind = RefQR
	default:
		return nil
	}
	from := 0
	if kind == RefRF {
		from = 2 // "RF" itself is not mistyped
	}
	var out []Reference
	seen := map[string]bool{}
	try := func(b []byte) {
		v := string(b)
		if r, ok := ParseReference(v); ok && r.Kind == kind && !seen[v] {
			seen[v] = true
			out = append(out, r)
		}
	}
	b := []byte(c)
	for i := from; i < len(b); i++ {
		orig := b[i]
		lo, hi := byte('0'), byte('9')
		if !isDigit(orig) {
			lo, hi = 'A', 'Z'
		}
		for x := lo; x <= hi; x++ {
			if x != orig {
				b[i] = x
				try(b)
			}
		}
		b[i] = orig
		if i+1 < len(b) && b[i] != b[i+1] {
			b[i], b[i+1] = b[i+1], b[i]
			try(b)
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return out
}
