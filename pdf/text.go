package pdf

import (
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// encode turns UTF-8 text into the Windows-1252 bytes the core fonts
// print. A letter outside the code page loses its accent where it has one
// ("ő" prints as "o", "Ł" has none and prints as "?"), so a name stays
// readable rather than becoming a row of dots; control characters become
// spaces.
func encode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < 0x80 {
			if r < 0x20 || r == 0x7f {
				r = ' '
			}
			b.WriteByte(byte(r))
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		b.WriteByte(fallback(r))
	}
	return b.String()
}

// fallback is the Windows-1252 byte of r's base letter, or '?'.
func fallback(r rune) byte {
	switch r {
	case '\u2212': // minus sign
		return '-'
	case '\u00a0', '\u2009', '\u202f': // no-break and thin spaces
		return ' '
	}
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(d); ok {
			return c
		}
		break
	}
	return '?'
}

// ellipsis is "…" in Windows-1252.
const ellipsis = "\x85"

// fit shortens encoded text to width w in the current font, ending it with
// an ellipsis when it had to cut.
func fit(f *fpdf.Fpdf, s string, w float64) string {
	if f.GetStringWidth(s) <= w {
		return s
	}
	room := w - f.GetStringWidth(ellipsis)
	lo, hi := 0, len(s) // one byte a character: find the longest prefix that fits
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if f.GetStringWidth(s[:mid]) <= room {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(s[:lo], " ") + ellipsis
}

// wrap breaks UTF-8 text into encoded lines at most w wide in the current
// font, at spaces where it can and inside a word longer than a line. With
// maxLines > 0 the last line kept ends with an ellipsis when text remained.
func wrap(f *fpdf.Fpdf, text string, w float64, maxLines int) []string {
	s := encode(strings.TrimSpace(text))
	if s == "" {
		return []string{""}
	}
	var lines []string
	for s != "" {
		if maxLines > 0 && len(lines) == maxLines-1 {
			lines = append(lines, fit(f, s, w))
			break
		}
		n := breakAt(f, s, w)
		lines = append(lines, strings.TrimRight(s[:n], " "))
		s = strings.TrimLeft(s[n:], " ")
	}
	return lines
}

// breakAt is where the first line of encoded s ends: after the last space
// that keeps it within w, or at the last character that fits.
func breakAt(f *fpdf.Fpdf, s string, w float64) int {
	if f.GetStringWidth(s) <= w {
		return len(s)
	}
	// Widths add up character by character: measuring every prefix anew
	// would cost the square of the text's length.
	fits, used := 0, 0.0
	for fits < len(s) {
		cw := f.GetStringWidth(s[fits : fits+1])
		if used+cw > w {
			break
		}
		used += cw
		fits++
	}
	fits = max(fits, 1)
	if sp := strings.LastIndexByte(s[:min(fits+1, len(s))], ' '); sp > 0 {
		return sp + 1
	}
	return fits
}
