package coa

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"backoffice"
)

// MaxFileSize is the largest chart file the parsers read, after gzip
// decompression. The largest published template (the Dutch RGS chart, 2,350
// accounts) is 1.3 MB.
const MaxFileSize = 64 << 20

// gncAccount is one <gnc:account> element. Tags carry no namespace, so any
// prefix binding the file uses is accepted.
type gncAccount struct {
	Name      string `xml:"name"`
	ID        string `xml:"id"`
	Type      string `xml:"type"`
	Code      string `xml:"code"`
	Parent    string `xml:"parent"`
	Commodity struct {
		Space string `xml:"space"`
		ID    string `xml:"id"`
	} `xml:"commodity"`
	Slots []struct {
		Key   string `xml:"key"`
		Value string `xml:"value"`
	} `xml:"slots>slot"`
	line int
}

// slot returns the trimmed value of the top-level slot named key.
func (a *gncAccount) slot(key string) string {
	for _, s := range a.Slots {
		if strings.TrimSpace(s.Key) == key {
			return strings.TrimSpace(s.Value)
		}
	}
	return ""
}

// ParseGnuCash reads a GnuCash account template (*.gnucash-xea, the files
// GnuCash offers in "New Account Hierarchy Setup") or the accounts of a
// GnuCash XML book, plain or gzip-compressed.
//
// Types map as: ASSET → asset/other, BANK → asset/bank, CASH → asset/cash,
// RECEIVABLE → asset/receivable, STOCK, MUTUAL and CURRENCY → asset/other
// with a warning (units of securities are not tracked), LIABILITY →
// liability/other, CREDIT → liability/credit_card, PAYABLE →
// liability/payable, EQUITY → equity/other (opening_balance when its
// equity-type slot says so), INCOME and EXPENSE → income/other and
// expense/other. ROOT accounts are dropped, TRADING accounts are left out
// with a warning; the sub-accounts of either move up. Bank, credit card,
// receivable and payable accounts are reconcilable; the placeholder slot
// makes an account a placeholder.
//
// GnuCash gives every account a commodity, and a template writes the same
// currency on all of them (GnuCash swaps in the user's currency). The most
// frequent ISO 4217 commodity becomes Chart.Currency; an account with another
// currency is fixed to it. act:code is the account's Code when present.
func ParseGnuCash(r io.Reader) (*Chart, error) {
	src, err := gnucashSource(r)
	if err != nil {
		return nil, err
	}
	title, raw, err := readGnuCash(src)
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, backoffice.Errorf(backoffice.EInvalid, "the file has no GnuCash accounts (<gnc:account> elements): is it a GnuCash account template?")
	}
	b := &builder{}
	currency := gnucashCurrency(raw)
	index := make(map[string]int, len(raw)) // guid -> raw index
	for i, a := range raw {
		id := strings.TrimSpace(a.ID)
		if _, dup := index[id]; dup && id != "" {
			b.warn(a.line, "%q has the same id as an earlier account: sub-accounts naming that id go under the earlier one", cleanText(a.Name))
			continue
		}
		index[id] = i
	}
	nodeOf := make([]int, len(raw)) // raw index -> builder index, -1 when left out
	for i := range raw {
		nodeOf[i] = gnucashNode(b, &raw[i], currency)
	}
	ancestors := keptAncestors(gnucashParents(b, raw, index), nodeOf)
	for i, n := range nodeOf {
		if n >= 0 {
			b.nodes[n].parent = ancestors[i]
		}
	}
	if len(b.nodes) == 0 {
		return nil, backoffice.Errorf(backoffice.EInvalid, "the file has no accounts that can be imported: only root or trading accounts")
	}
	return b.chart(Chart{Name: cleanText(title), Currency: currency}), nil
}

// gnucashSource caps the input and undoes gzip compression.
func gnucashSource(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(&capReader{r: r, left: MaxFileSize})
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, backoffice.Errorf(backoffice.EInvalid, "the file looks gzip-compressed but cannot be opened: %v", err)
		}
		return &capReader{r: zr, left: MaxFileSize}, nil
	}
	return br, nil
}

// readGnuCash collects the title and every <gnc:account> of the file, except
// those of a book's scheduled-transaction templates.
func readGnuCash(src io.Reader) (string, []gncAccount, error) {
	dec := xml.NewDecoder(src)
	dec.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("the file is encoded as %s: save it as UTF-8", charset)
	}
	var title string
	var raw []gncAccount
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return title, raw, nil
		}
		if err != nil {
			return "", nil, xmlError(dec, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case se.Name.Local == "template-transactions" && inNamespace(se.Name.Space, "gnc"):
			// A book's scheduled transactions keep accounts of their own.
			if err := dec.Skip(); err != nil {
				return "", nil, xmlError(dec, err)
			}
		case se.Name.Local == "account" && inNamespace(se.Name.Space, "gnc"):
			line, _ := dec.InputPos()
			var a gncAccount
			if err := dec.DecodeElement(&a, &se); err != nil {
				return "", nil, xmlError(dec, err)
			}
			a.line = line
			raw = append(raw, a)
		case se.Name.Local == "title" && inNamespace(se.Name.Space, "gnc-act") && title == "":
			if err := dec.DecodeElement(&title, &se); err != nil {
				return "", nil, xmlError(dec, err)
			}
		}
	}
}

// inNamespace reports whether space is GnuCash's namespace of that prefix:
// its URI, or the bare prefix when the file forgot to declare it.
func inNamespace(space, prefix string) bool {
	return space == prefix || space == "http://www.gnucash.org/XML/"+prefix
}

func xmlError(dec *xml.Decoder, err error) error {
	if errors.Is(err, errFileTooLarge) {
		return backoffice.Errorf(backoffice.ETooLarge, "the file is larger than %d MB: a chart of accounts is far smaller", MaxFileSize>>20)
	}
	line, _ := dec.InputPos()
	return &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("the GnuCash file cannot be read at line %d: %v", line, err), Err: err}
}

// isCurrencySpace reports whether a commodity space holds currencies:
// templates say ISO4217, books written by GnuCash 2.4 and later CURRENCY.
func isCurrencySpace(space string) bool {
	s := strings.ToUpper(strings.TrimSpace(space))
	return s == "ISO4217" || s == "CURRENCY"
}

// gnucashCurrency is the most frequent valid currency among the accounts,
// the first one seen on a tie, "" when there is none.
func gnucashCurrency(raw []gncAccount) string {
	counts := map[string]int{}
	best := ""
	for _, a := range raw {
		c := strings.ToUpper(strings.TrimSpace(a.Commodity.ID))
		if !isCurrencySpace(a.Commodity.Space) || !backoffice.Currency(c).Valid() {
			continue
		}
		counts[c]++
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// gnucashParents returns, for every raw account, the raw index of its parent:
// -1 at the top or when the parent id is not in the file (warned about).
func gnucashParents(b *builder, raw []gncAccount, index map[string]int) []int {
	parents := make([]int, len(raw))
	for i, a := range raw {
		parents[i] = -1
		pid := strings.TrimSpace(a.Parent)
		if pid == "" {
			continue
		}
		p, ok := index[pid]
		if !ok {
			b.warn(a.line, "the parent of %q (id %s) is not in the file: the account is placed at the top", cleanText(a.Name), pid)
			continue
		}
		parents[i] = p
	}
	return parents
}

// keptAncestors returns, for every raw account, the builder index of its
// nearest ancestor that is in the chart (-1 for none), skipping the root and
// trading accounts that were left out. Results are shared along each path,
// so the whole file takes linear time even when ids loop.
func keptAncestors(parents, nodeOf []int) []int {
	const unknown, walking = -2, -3
	above := make([]int, len(parents)) // for a left-out account: nearest kept ancestor
	for i := range above {
		above[i] = unknown
	}
	// keptAt is p itself when kept, else its nearest kept ancestor.
	keptAt := func(p int) int {
		var path []int
		result := -1
		for at := p; at >= 0; at = parents[at] {
			if nodeOf[at] >= 0 {
				result = nodeOf[at]
				break
			}
			if above[at] != unknown {
				result = max(above[at], -1) // walking: a loop of left-out ids
				break
			}
			above[at] = walking
			path = append(path, at)
		}
		for _, q := range path {
			above[q] = result
		}
		return result
	}
	out := make([]int, len(parents))
	for i, p := range parents {
		out[i] = -1
		if p >= 0 {
			out[i] = keptAt(p)
		}
	}
	return out
}
