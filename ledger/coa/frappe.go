package coa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"backoffice"
)

// maxDepth bounds the nesting of a JSON chart; real charts are under ten deep.
const maxDepth = 64

// jsonEntry is one key of a JSON object with its value, in file order:
// either an object (entries) or a scalar (value), never both.
type jsonEntry struct {
	key     string
	line    int
	object  bool
	entries []jsonEntry
	value   any // string, json.Number, bool or nil; []any for arrays
}

// ParseFrappe reads a Frappe Books or ERPNext chart of accounts: either
// {"countryCode"/"country_code", "name", "tree": {…}} or the bare tree (as
// Frappe Books' standard chart is). Property names are accepted in both
// spellings (rootType or root_type, …).
//
// In the tree, a key whose value is an object is an account named by the key;
// a key with any other value (text, number, true/false) is a property of the
// account it sits in. Known properties: rootType on the top accounts (Asset,
// Liability, Equity, Income, Expense), which their sub-accounts inherit;
// accountType, mapped to a subtype (Bank, Cash, Receivable, Payable, Tax,
// Stock → inventory, Fixed Asset, Accumulated Depreciation, Depreciation,
// Cost of Goods Sold → cost_of_sales, Round Off; Frappe's other roles become
// "other"); isGroup; accountNumber, which becomes the Code; accountCurrency;
// taxRate and freezeAccount, which have no place in a chart and are skipped.
// An account with sub-accounts or isGroup set is a placeholder, as in Frappe.
// Bank, receivable and payable accounts are reconcilable.
func ParseFrappe(r io.Reader) (*Chart, error) {
	data, err := io.ReadAll(&capReader{r: r, left: MaxFileSize})
	if errors.Is(err, errFileTooLarge) {
		return nil, backoffice.Errorf(backoffice.ETooLarge, "the file is larger than %d MB: a chart of accounts is far smaller", MaxFileSize>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("read the chart: %w", err)
	}
	top, err := readJSON(data)
	if err != nil {
		return nil, err
	}
	meta, tree := frappeLayout(top)
	b := &builder{}
	for _, e := range tree {
		if !e.object {
			b.warn(e.line, "%q at the top of the chart is not an account (its value is not an object): it is skipped", e.key)
			continue
		}
		frappeTop(b, e)
	}
	if len(b.nodes) == 0 {
		return nil, backoffice.Errorf(backoffice.EInvalid, "the file has no accounts: a Frappe chart is a JSON object whose keys are account names")
	}
	return b.chart(meta), nil
}

// frappeLayout tells the wrapped layout ({"name", "countryCode", "tree"})
// from a bare tree and returns the chart's metadata and the tree's entries.
func frappeLayout(top []jsonEntry) (Chart, []jsonEntry) {
	var meta Chart
	var tree []jsonEntry
	wrapped := false
	for _, e := range top {
		switch {
		case e.key == "tree" && e.object:
			tree, wrapped = e.entries, true
		case e.object:
			return Chart{}, top // an account: the file is a bare tree
		}
	}
	if !wrapped {
		return Chart{}, top
	}
	for _, e := range top {
		s, _ := scalarText(e.value)
		switch propertyName(e.key) {
		case "countrycode":
			meta.Country = strings.ToUpper(cleanText(s))
		case "name":
			meta.Name = cleanText(s)
		case "currency":
			if c := strings.ToUpper(cleanText(s)); backoffice.Currency(c).Valid() {
				meta.Currency = c
			}
		}
	}
	return meta, tree
}

// frappeTop adds a top account and its tree; its rootType gives the type of
// the whole tree.
func frappeTop(b *builder, e jsonEntry) {
	rt := ""
	for _, p := range e.entries {
		if !p.object && propertyName(p.key) == "roottype" {
			rt, _ = scalarText(p.value)
		}
	}
	typ, ok := frappeRootType(rt)
	if !ok {
		b.warn(e.line, "the top account %q has no valid rootType (Asset, Liability, Equity, Income or Expense): it and its sub-accounts are skipped", e.key)
		return
	}
	frappeAccount(b, e, typ, -1)
}

// frappeAccount adds account e, of type typ, under parent, then its children.
func frappeAccount(b *builder, e jsonEntry, typ Type, parent int) {
	acc := Account{Name: cleanText(e.key), Type: typ, Subtype: SubtypeOther}
	group, children := false, 0
	for _, p := range e.entries {
		if p.object {
			children++
			continue
		}
		group = frappeProperty(b, &acc, p, e.key) || group
	}
	acc.Placeholder = group || children > 0
	acc.Reconcilable = reconcilableByDefault(acc.Subtype)
	self := b.add(acc, parent, e.line)
	for _, p := range e.entries {
		if p.object {
			frappeAccount(b, p, typ, self)
		}
	}
}

// frappeProperty applies one property to acc and reports whether it marks a
// group account.
func frappeProperty(b *builder, acc *Account, p jsonEntry, account string) bool {
	text, scalar := scalarText(p.value)
	if !scalar {
		b.warn(p.line, "%q of %q is a list, which no chart property is: it is skipped", p.key, account)
		return false
	}
	switch propertyName(p.key) {
	case "accounttype":
		acc.Subtype = frappeSubtype(b, p.line, text, account)
	case "accountnumber":
		acc.Code = cleanText(text)
	case "accountcurrency":
		c := strings.ToUpper(cleanText(text))
		if c != "" && !backoffice.Currency(c).Valid() {
			b.warn(p.line, "%q: %q is not an ISO 4217 currency: the account takes any currency", account, text)
			c = ""
		}
		acc.Currency = c
	case "isgroup":
		return text == "true" || text == "1"
	case "roottype":
		if t, ok := frappeRootType(text); ok && t != acc.Type {
			b.warn(p.line, "%q says rootType %s inside the tree of type %s: it keeps the type of its tree", account, text, acc.Type)
		}
	case "taxrate", "freezeaccount", "balancemustbe", "disabled", "accountname":
		// Posting rules of Frappe, not part of a chart.
	default:
		b.warn(p.line, "%q of %q is not a known account property: it is skipped", p.key, account)
	}
	return false
}

// propertyName folds rootType, root_type and RootType to "roottype".
func propertyName(key string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(key), "_", ""))
}

// frappeRootType maps Frappe's rootType to a Type.
func frappeRootType(s string) (Type, bool) {
	t := Type(strings.ToLower(strings.TrimSpace(s)))
	return t, validType(t)
}

// frappeSubtype maps Frappe's accountType to a subtype.
func frappeSubtype(b *builder, line int, accountType, account string) string {
	switch strings.ToLower(cleanText(accountType)) {
	case "bank":
		return SubtypeBank
	case "cash":
		return SubtypeCash
	case "receivable":
		return SubtypeReceivable
	case "payable":
		return SubtypePayable
	case "tax":
		return SubtypeTax
	case "stock":
		return SubtypeInventory
	case "fixed asset":
		return SubtypeFixedAsset
	case "accumulated depreciation":
		return SubtypeAccumulatedDepreciation
	case "depreciation":
		return SubtypeDepreciation
	case "cost of goods sold":
		return SubtypeCostOfSales
	case "round off":
		return SubtypeRoundOff
	case "", "equity", "chargeable", "temporary", "income account", "expense account", "stock adjustment",
		"stock received but not billed", "expenses included in valuation", "capital work in progress",
		"asset received but not billed", "service received but not billed":
		// Roles of Frappe's own stock and asset automation; no subtype here.
		return SubtypeOther
	}
	b.warn(line, "%q has the unknown accountType %q: it is imported with the subtype other", account, accountType)
	return SubtypeOther
}

// scalarText renders a scalar JSON value as text; ok is false for arrays.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// readJSON reads a JSON object keeping its keys in file order, with the line
// of every key.
func readJSON(data []byte) ([]jsonEntry, error) {
	lines := newlineOffsets(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonReader{dec: dec, lines: lines}
	tok, err := dec.Token()
	if err != nil {
		return nil, p.fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, backoffice.Errorf(backoffice.EInvalid, "the file is not a JSON object: a Frappe chart starts with {")
	}
	entries, err := p.object(1)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: the chart's JSON object is followed by more data", p.line())
	}
	return entries, nil
}

// jsonReader walks a JSON document token by token.
type jsonReader struct {
	dec   *json.Decoder
	lines []int64 // offsets of every '\n'
}

// object reads the entries of an object whose '{' was just read.
func (p *jsonReader) object(depth int) ([]jsonEntry, error) {
	if depth > maxDepth {
		return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: accounts are nested more than %d levels deep", p.line(), maxDepth)
	}
	var out []jsonEntry
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.fail(err)
		}
		e := jsonEntry{key: tok.(string), line: p.line()}
		tok, err = p.dec.Token()
		if err != nil {
			return nil, p.fail(err)
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' {
				e.object = true
				e.entries, err = p.object(depth + 1)
			} else {
				e.value, err = p.skipArray()
			}
			if err != nil {
				return nil, err
			}
		default:
			e.value = t
		}
		out = append(out, e)
	}
	if _, err := p.dec.Token(); err != nil { // the closing '}'
		return nil, p.fail(err)
	}
	return out, nil
}

// skipArray reads past an array whose '[' was just read.
func (p *jsonReader) skipArray() (any, error) {
	for depth := 1; depth > 0; {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.fail(err)
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '[', '{':
				depth++
			case ']', '}':
				depth--
			}
		}
	}
	return []any{}, nil
}

// line is the 1-based line of the decoder's position.
func (p *jsonReader) line() int {
	off := p.dec.InputOffset()
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] >= off }) + 1
}

func (p *jsonReader) fail(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("the JSON cannot be read at line %d: %v", p.line(), err), Err: err}
}

func newlineOffsets(data []byte) []int64 {
	var out []int64
	for i, c := range data {
		if c == '\n' {
			out = append(out, int64(i))
		}
	}
	return out
}
