package csvimport

import (
	"bytes"
	"encoding/csv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"backoffice"
)

// decode converts data to UTF-8. With no encoding named, UTF-8 (with or
// without BOM) is taken as it is and anything else read as Windows-1252,
// the usual encoding of European bank exports.
func decode(data []byte, enc string) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var cm *charmap.Charmap
	switch strings.ToLower(enc) {
	case "utf-8", "utf8":
		if !utf8.Valid(data) {
			return "", backoffice.Errorf(backoffice.EInvalid, "the file is not UTF-8 as the profile says; try windows-1252")
		}
		return string(data), nil
	case "iso-8859-1", "latin1":
		cm = charmap.ISO8859_1
	case "iso-8859-15":
		cm = charmap.ISO8859_15
	case "windows-1252", "cp1252":
		cm = charmap.Windows1252
	default:
		if utf8.Valid(data) {
			return string(data), nil
		}
		cm = charmap.Windows1252
	}
	out, err := cm.NewDecoder().Bytes(data)
	if err != nil {
		return "", backoffice.Errorf(backoffice.EInvalid, "the file cannot be read as %s", enc)
	}
	return string(out), nil
}

// detectDelimiter picks, among ; , tab and |, the one that splits the first
// lines into the most columns most consistently.
func detectDelimiter(text string) rune {
	best, bestScore := ',', 0
	for _, d := range []rune{';', ',', '\t', '|'} {
		r := csv.NewReader(strings.NewReader(sample(text, 20)))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
		counts := map[int]int{}
		for {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		for n, c := range counts {
			if score := c*100 + n; c > 0 && score > bestScore {
				best, bestScore = d, score
			}
		}
	}
	return best
}

// sample is the first n lines of text.
func sample(text string, n int) string {
	i := 0
	for k := 0; k < n; k++ {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			return text
		}
		i += j + 1
	}
	return text[:i]
}

// parseAmount reads "1.234,56", "-1,234.56", "(12.00)", "12.00-", "€ 12,00",
// "+31070,11" or "1'234.50" exactly, in minor units of exponent exp.
func parseAmount(s string, decimalComma bool, thousands string, exp int) (int64, error) {
	orig := s
	neg := false
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	// Currency signs and codes may stand before or after the number.
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Sc, r) || unicode.IsSpace(r) })
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\'' || r == '’' {
			return -1 // spaces, NBSP and apostrophes as thousands separators
		}
		return r
	}, s)
	if strings.HasSuffix(s, "-") {
		neg, s = !neg, strings.TrimSuffix(s, "-")
	} else if strings.HasPrefix(s, "-") {
		neg, s = !neg, s[1:]
	} else {
		s = strings.TrimPrefix(strings.TrimSuffix(s, "+"), "+")
	}
	dec, sep := ".", ","
	if decimalComma {
		dec, sep = ",", "."
	}
	if thousands != "" {
		sep = thousands
	}
	s = strings.ReplaceAll(s, sep, "")
	s = strings.Replace(s, dec, ".", 1)
	if s == "" || strings.ContainsAny(s, ",-+") {
		return 0, backoffice.Errorf(backoffice.EInvalid, "amount %q is not a number", orig)
	}
	n, err := backoffice.ParseMinor(s, exp)
	if err != nil {
		return 0, backoffice.Errorf(backoffice.EInvalid, "amount %q is not a number with at most %d decimals", orig, exp)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// parseDate reads s with a Go layout.
func parseDate(s, layout string) (backoffice.Date, error) {
	t, err := time.Parse(layout, strings.TrimSpace(s))
	if err != nil {
		return backoffice.Date{}, backoffice.Errorf(backoffice.EInvalid, "date %q does not match the format %s", s, layout)
	}
	return backoffice.DateOf(t), nil
}

// dateLayouts are the formats Guess and an empty DateFormat try, day-first
// before month-first; see guessLayout for how ties are broken.
var dateLayouts = []string{
	"2006-01-02", "02.01.2006", "02/01/2006", "01/02/2006", "02-01-2006", "2006/01/02",
	"02.01.06", "02/01/06", "01/02/06", "20060102", "2.1.2006", "1/2/2006", "2006-01-02 15:04:05", "2006-01-02T15:04:05",
}

// guessLayout returns the layout that reads the most values (a trailing
// summary row must not spoil the guess). Day-first and month-first layouts
// both fit when no day exceeds 12; the tie goes to month-first only for
// files with a decimal point (US style), else to day-first.
func guessLayout(values []string, decimalComma bool) string {
	best, bestN := "", 0
	for _, l := range dateLayouts {
		n := 0
		for _, v := range values {
			if _, err := time.Parse(l, strings.TrimSpace(v)); err == nil {
				n++
			}
		}
		if n > bestN || n == bestN && n > 0 && monthFirst(l) && !monthFirst(best) && !decimalComma {
			best, bestN = l, n
		}
	}
	return best
}

func monthFirst(layout string) bool {
	return strings.HasPrefix(layout, "01/02") || strings.HasPrefix(layout, "1/2")
}
