package party

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameSimilarityThreshold is the similarity of two name keys (see
// NameSimilarity) from which Create warns and Duplicates groups: 0.85 lets
// one typo in a seven-letter name through ("mueller" / "muller" = 0.86) but
// not two different short names ("acme" / "acne" = 0.75).
const NameSimilarityThreshold = 0.85

// transliterations spell accented letters the way names are typed without
// them: German umlauts as two letters (Müller = Mueller), other accents
// dropped (Société = Societe).
var transliterations = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "æ", "ae", "œ", "oe", "ø", "oe", "å", "aa",
	"à", "a", "á", "a", "â", "a", "ã", "a", "ç", "c", "č", "c", "ć", "c", "è", "e", "é", "e", "ê", "e", "ë", "e", "ę", "e", "ě", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ł", "l", "ñ", "n", "ń", "n", "ň", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o", "ő", "o",
	"ř", "r", "š", "s", "ś", "s", "ş", "s", "ț", "t", "ţ", "t", "ù", "u", "ú", "u", "û", "u", "ů", "u", "ű", "u", "ý", "y", "ÿ", "y",
	"ž", "z", "ź", "z", "ż", "z", "&", " ",
)

// legalForms are company-form words left out of a name key, so "Müller
// GmbH" and "Mueller" compare equal.
var legalForms = map[string]bool{
	"gmbh": true, "mbh": true, "ag": true, "kg": true, "ohg": true, "ug": true, "ek": true, "co": true, "kgaa": true, "se": true,
	"ltd": true, "limited": true, "plc": true, "llp": true, "inc": true, "llc": true, "corp": true, "corporation": true, "company": true,
	"sarl": true, "sa": true, "sas": true, "sasu": true, "eurl": true, "sci": true, "bv": true, "nv": true, "vof": true,
	"srl": true, "spa": true, "sl": true, "slu": true, "oy": true, "oyj": true, "ab": true, "as": true, "asa": true, "aps": true,
	"sp": true, "zoo": true, "lda": true, "the": true,
}

// NameKey normalises a party name for duplicate detection: lower case,
// accents transliterated, dots and apostrophes dropped (so "S.A.R.L." is "sarl"), other
// punctuation as spaces, legal-form words removed, single spaces.
func NameKey(name string) string {
	s := transliterations.Replace(strings.ToLower(name))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '.' || r == '\'':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	kept := words[:0]
	for _, w := range words {
		if !legalForms[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return strings.Join(words, " ") // a name that is only a legal form keeps it
	}
	return strings.Join(kept, " ")
}

// NameSimilarity is 1 - (Levenshtein distance / length of the longer key),
// from 0 (nothing alike) to 1 (equal keys). It compares keys, not names.
func NameSimilarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 1
	}
	return 1 - float64(levenshtein(ra, rb))/float64(n)
}

// similarLength reports whether keys of these lengths can reach the
// threshold at all: the distance is at least the length difference.
func similarLength(a, b string) bool {
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	n := max(la, lb)
	return n == 0 || 1-float64(max(la-lb, lb-la))/float64(n) >= NameSimilarityThreshold
}

// levenshtein is the edit distance (insertions, deletions, substitutions)
// of a and b, in two rows of memory.
func levenshtein(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
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
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
