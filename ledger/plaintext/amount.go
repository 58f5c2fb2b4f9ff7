package plaintext

import (
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"backoffice"
)

// rawAmount is an amount as written: sign, commodity symbol and digits with
// their separators, not yet given a currency.
type rawAmount struct {
	neg bool
	sym string
	num string
}

func (a rawAmount) String() string {
	s := a.num
	if a.neg {
		s = "-" + s
	}
	if a.sym != "" {
		s = a.sym + " " + s
	}
	return s
}

// splitAmount reads "$1,234.56", "-$5", "$-5", "$ 5", "1234.56 USD",
// "USD 1234.56", "€5,00" or "\"ACME Co\" 10". It returns a message when the
// text is not an amount.
func splitAmount(s string) (rawAmount, string) {
	var a rawAmount
	s = strings.TrimSpace(s)
	s, a.neg = cutSign(s)
	if s == "" {
		return a, "an amount needs a number"
	}
	if isNumberStart(s[0]) {
		a.num, s = cutNumber(s)
		sym, rest, msg := cutSymbol(strings.TrimSpace(s))
		if msg != "" {
			return a, msg
		}
		if rest != "" {
			return a, fmt.Sprintf("unexpected %q after the amount", clip(rest))
		}
		a.sym = sym
		return a, checkDigits(a.num)
	}
	sym, rest, msg := cutSymbol(s)
	if msg != "" {
		return a, msg
	}
	a.sym = sym
	rest, neg := cutSign(strings.TrimSpace(rest))
	if neg && a.neg {
		return a, "the amount has two minus signs"
	}
	a.neg = a.neg || neg
	if rest == "" || !isNumberStart(rest[0]) {
		return a, fmt.Sprintf("%q has no number", clip(s))
	}
	a.num, rest = cutNumber(rest)
	if rest = strings.TrimSpace(rest); rest != "" {
		return a, fmt.Sprintf("unexpected %q after the amount", clip(rest))
	}
	return a, checkDigits(a.num)
}

func cutSign(s string) (string, bool) {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		return strings.TrimLeft(s[1:], " \t"), s[0] == '-'
	}
	return s, false
}

func isNumberStart(c byte) bool { return c >= '0' && c <= '9' || c == '.' || c == ',' }

func cutNumber(s string) (string, string) {
	i := 0
	for i < len(s) && isNumberStart(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func checkDigits(num string) string {
	if strings.IndexFunc(num, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 {
		return fmt.Sprintf("%q is not a number", num)
	}
	return ""
}

// cutSymbol reads a commodity symbol at the start of s: quoted ("ACME Co")
// or a run of characters that cannot belong to a number or a posting's
// syntax, as hledger defines it. An empty s is no symbol.
func cutSymbol(s string) (sym, rest, msg string) {
	if s == "" {
		return "", "", ""
	}
	if s[0] == '"' {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", "", "the quoted commodity has no closing quote"
		}
		return s[1 : end+1], s[end+2:], ""
	}
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r <= ' ' || r >= '0' && r <= '9' || strings.ContainsRune("-+.,@*;\"{}[]()=", r) {
			break
		}
		i += size
	}
	if i == 0 {
		return "", "", fmt.Sprintf("%q is not an amount", clip(s))
	}
	return s[:i], s[i:], ""
}

// decimal rewrites the digits of a as "1234.56" using the decimal mark the
// journal declares for its commodity, or what the digits show. A lone comma
// before exactly three digits ("$1,000") is the one case the two tools read
// differently: ledger-cli takes it as a thousands separator, hledger as a
// decimal comma. Under hledger the import refuses to guess a thousandfold.
func (p *parser) decimal(a rawAmount) (string, string) {
	// hledger lets a decimal-mark directive override commodity formats.
	mark, declared := p.decimalMark, p.decimalMark != 0
	if !declared {
		mark, declared = p.marks[a.sym]
	}
	num := a.num
	dots, commas := strings.Count(num, "."), strings.Count(num, ",")
	var group byte
	switch {
	case dots == 0 && commas == 0:
	case dots > 0 && commas > 0:
		last := num[strings.LastIndexAny(num, ".,")]
		if declared && last != mark || strings.Count(num, string(last)) > 1 {
			return "", fmt.Sprintf("%s mixes \".\" and \",\" in a way that does not match the decimal mark %q", a, string(markOr(mark, last)))
		}
		mark, group = last, other(last)
	case dots > 1 || commas > 1: // "1,000,000": the repeated separator groups digits
		group = num[strings.IndexAny(num, ".,")]
		if declared && group == mark {
			return "", fmt.Sprintf("%s has several decimal marks %q", a, string(mark))
		}
		mark = other(group)
	default:
		sep := num[strings.IndexAny(num, ".,")]
		after := len(num) - strings.IndexByte(num, sep) - 1
		switch {
		case declared && sep != mark:
			if after != 3 {
				return "", fmt.Sprintf("%s: %q is not the decimal mark %q, and digit groups have three digits", a, string(sep), string(mark))
			}
			group = sep
		case declared:
		case after != 3 || sep == '.':
			mark = sep
		case p.opts.Dialect == DialectLedger:
			group, mark = ',', '.'
		default:
			return "", fmt.Sprintf("%s is ambiguous: hledger reads it as %s, ledger-cli as %s; declare the decimal mark with \"decimal-mark .\" or a commodity directive such as \"commodity %s1,000.00\"",
				a, strings.Replace(num, ",", ".", 1), strings.Replace(num, ",", "", 1), a.sym)
		}
	}
	if group != 0 {
		num = strings.ReplaceAll(num, string(group), "")
	}
	if mark == ',' {
		num = strings.Replace(num, ",", ".", 1)
	}
	return num, ""
}

func other(c byte) byte {
	if c == '.' {
		return ','
	}
	return '.'
}

func markOr(mark, c byte) byte {
	if mark != 0 {
		return mark
	}
	return c
}

// currency maps a commodity symbol to its ISO currency, once per symbol.
func (p *parser) currency(sym string) (backoffice.Currency, string) {
	if r, ok := p.currencies[sym]; ok {
		return r.cur, r.err
	}
	var r resolved
	switch c, mapped := p.opts.Commodities[sym]; {
	case mapped && c.Valid():
		r.cur = c
	case mapped:
		r.err = fmt.Sprintf("--commodity maps %q to %q, which is not an ISO 4217 currency", sym, string(c))
	case sym == "" && p.hasDefault:
		r.cur, r.err = p.currency(p.defaultSymbol)
	case sym == "":
		r.err = "the amount has no commodity; write one, set a default with a D directive, or give --commodity '=USD'"
	case backoffice.Currency(sym).Valid():
		r.cur = backoffice.Currency(sym)
	default:
		r.err = fmt.Sprintf("commodity %q is not an ISO 4217 currency: map it with --commodity '%s=USD' (the currency it stands for); the ledger books currencies only, not shares, crypto or hours", sym, sym)
	}
	p.currencies[sym] = r
	return r.cur, r.err
}

// money turns a written amount into exact minor units of its currency.
func (p *parser) money(a rawAmount) (backoffice.Money, string) {
	cur, msg := p.currency(a.sym)
	if msg != "" {
		return backoffice.Money{}, msg
	}
	num, msg := p.decimal(a)
	if msg != "" {
		return backoffice.Money{}, msg
	}
	minor, err := backoffice.ParseMinor(num, cur.Exponent())
	if err != nil {
		if strings.Contains(err.Error(), "decimals") {
			return backoffice.Money{}, fmt.Sprintf("%s has more decimals than %s allows (%d); amounts are never rounded", a, cur, cur.Exponent())
		}
		return backoffice.Money{}, fmt.Sprintf("%s: %v", a, err)
	}
	if a.neg {
		minor = -minor
	}
	return backoffice.Money{Amount: minor, Currency: cur}, ""
}

// unitCost multiplies amount by a unit price exactly: "10 EUR @ 1.0823 USD"
// is 108.23 USD. A product that is not a whole number of minor units is an
// error that says to write the total with @@.
func (p *parser) unitCost(amount backoffice.Money, price rawAmount) (backoffice.Money, string) {
	cur, msg := p.currency(price.sym)
	if msg != "" {
		return backoffice.Money{}, msg
	}
	num, msg := p.decimal(price)
	if msg != "" {
		return backoffice.Money{}, msg
	}
	whole, frac, _ := strings.Cut(num, ".")
	mant, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		return backoffice.Money{}, fmt.Sprintf("%s is not a price", price)
	}
	// total = amount × price × 10^exp(cur) / (10^exp(amount) × 10^len(frac))
	total := new(big.Int).Mul(big.NewInt(amount.Amount), mant)
	total.Mul(total, pow10(cur.Exponent()))
	div := new(big.Int).Mul(pow10(amount.Currency.Exponent()), pow10(len(frac)))
	q, rem := new(big.Int).QuoRem(total, div, new(big.Int))
	if rem.Sign() != 0 {
		return backoffice.Money{}, fmt.Sprintf("%s × %s is not a whole number of %s minor units; write the total cost with @@ instead", amount, price, cur)
	}
	if !q.IsInt64() {
		return backoffice.Money{}, fmt.Sprintf("the cost of %s at %s is too large", amount, price)
	}
	return backoffice.Money{Amount: q.Int64(), Currency: cur}, ""
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }
