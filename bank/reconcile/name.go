package reconcile

import (
	"slices"
	"strings"
)

// legalForms are the words of company names that say what kind of company
// it is, not which one: "ACME GmbH" and "Acme S.A." are both "acme".
var legalForms = map[string]bool{
	"gmbh": true, "ag": true, "kg": true, "ohg": true, "ug": true, "ev": true, "mbh": true, "co": true,
	"sa": true, "sas": true, "sarl": true, "sasu": true, "eurl": true, "sprl": true, "srl": true, "bv": true,
	"bvba": true, "nv": true, "vof": true, "cv": true, "spa": true, "snc": true, "sl": true, "slu": true,
	"ltd": true, "limited": true, "llc": true, "llp": true, "lp": true, "inc": true, "corp": true,
	"corporation": true, "plc": true, "company": true, "oy": true, "oyj": true, "ab": true, "as": true,
	"asa": true, "aps": true, "sp": true, "zoo": true, "kft": true, "sro": true, "doo": true, "the": true,
	"und": true, "and": true, "et": true, "cie": true, "mr": true, "mrs": true, "ms": true, "dr": true,
}

// foldRune maps a Latin letter with a diacritic to its base letters.
func foldRune(r rune) string {
	switch r {
	case 'ä', 'à', 'á', 'â', 'ã', 'å', 'ā', 'ą', 'Ä', 'À', 'Á', 'Â', 'Ã', 'Å':
		return "a"
	case 'æ', 'Æ':
		return "ae"
	case 'ç', 'č', 'ć', 'Ç', 'Č', 'Ć':
		return "c"
	case 'é', 'è', 'ê', 'ë', 'ę', 'ě', 'É', 'È', 'Ê', 'Ë':
		return "e"
	case 'í', 'ì', 'î', 'ï', 'Í', 'Ì', 'Î', 'Ï':
		return "i"
	case 'ñ', 'ń', 'ň', 'Ñ':
		return "n"
	case 'ö', 'ò', 'ó', 'ô', 'õ', 'ø', 'ő', 'Ö', 'Ò', 'Ó', 'Ô', 'Õ', 'Ø':
		return "o"
	case 'œ', 'Œ':
		return "oe"
	case 'ü', 'ù', 'ú', 'û', 'ů', 'ű', 'Ü', 'Ù', 'Ú', 'Û':
		return "u"
	case 'ß':
		return "ss"
	case 'ý', 'ÿ', 'Ý':
		return "y"
	case 'š', 'ś', 'Š', 'Ś':
		return "s"
	case 'ž', 'ź', 'ż', 'Ž', 'Ź', 'Ż':
		return "z"
	case 'ł', 'Ł':
		return "l"
	case 'ř', 'Ř':
		return "r"
	}
	return ""
}

// NormalizeName reduces a party or counterparty name to what identifies it:
// lower case, diacritics folded (ü→u, ß→ss), punctuation dropped, legal
// forms and titles removed, words sorted so that "Mueller, Hans" and "Hans
// Müller GmbH" come close. Dotted abbreviations join up first: "S.A." is "sa".
func NormalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r - 'A' + 'a')
		case r == '.', r == '\'', r == '’', r == '/':
			// "S.A." and "O'Neil" stay one word
		default:
			if f := foldRune(r); f != "" {
				b.WriteString(f)
			} else {
				b.WriteByte(' ')
			}
		}
	}
	words := strings.Fields(b.String())
	words = slices.DeleteFunc(words, func(w string) bool { return legalForms[w] })
	slices.Sort(words)
	return strings.Join(words, " ")
}

// NameSimilarity compares two normalised names, from 0 (nothing alike) to 1
// (equal). It is the better of two views: the edit distance over the whole
// names, which forgives typos ("acme tradng" and "acme trading": 0.92), and
// the share of a's words found in b with at most one typo each, which
// forgives a bank that adds a city or truncates ("acme trading berlin").
func NameSimilarity(a, b string) float64 {
	if a == "" || b == "" {
		return 0
	}
	if a == b {
		return 1
	}
	whole := 1 - float64(levenshtein(a, b))/float64(max(len(a), len(b)))
	aw, bw := strings.Fields(a), strings.Fields(b)
	found, letters := 0, 0
	for _, w := range aw {
		letters += len(w)
		for _, x := range bw {
			if w == x || (len(w) >= 5 && levenshtein(w, x) <= 1) {
				found++
				break
			}
		}
	}
	words := 0.0
	// Containment alone would call "acme" and "acme logistics" equal, so it
	// counts only when every word of a is found and a says enough.
	if found == len(aw) && letters >= 8 {
		words = 0.95
	}
	return max(whole, words)
}

// levenshtein is the edit distance between a and b, in bytes, counting the
// swap of two neighbouring letters as one edit ("tradnig" is one edit from
// "trading"): the optimal string alignment distance.
func levenshtein(a, b string) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	var buf [3 * 64]int // names are short: no allocation below 64 bytes
	row := func(k int) []int {
		if len(b) < 64 {
			return buf[k*64 : k*64+len(b)+1]
		}
		return make([]int, len(b)+1)
	}
	prev2, prev, cur := row(0), row(1), row(2)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// trigrams are the three-letter pieces of a padded normalised name, the
// keys of the name index.
func trigrams(norm string) []string {
	if norm == "" {
		return nil
	}
	s := " " + norm + " "
	out := make([]string, 0, len(s))
	for i := 0; i+3 <= len(s); i++ {
		if t := s[i : i+3]; !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
