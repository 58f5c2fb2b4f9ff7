package backoffice

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an exact amount: an integer count of the currency's minor units
// (cents for EUR, yen for JPY, fils for BHD) and its currency. It never holds
// a float. The zero value is "no amount" and has no currency.
type Money struct {
	Amount   int64    // minor units; negative for credits where a sign is meaningful
	Currency Currency // ISO 4217
}

// NewMoney returns minor units of currency c.
func NewMoney(minor int64, c Currency) Money { return Money{Amount: minor, Currency: c} }

// ParseMoney reads a decimal amount such as "-1234.5" in currency c. It accepts
// at most the currency's number of decimals, so "10.005" EUR is an error rather
// than a silent rounding. Thousands separators are not accepted here; parsers
// of bank formats normalise their own notation first.
func ParseMoney(s string, c Currency) (Money, error) {
	if !c.Valid() {
		return Money{}, Errorf(EInvalid, "%q is not an ISO 4217 currency code", string(c))
	}
	minor, err := ParseMinor(s, c.Exponent())
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: minor, Currency: c}, nil
}

// ParseMinor converts a decimal string with at most exp decimals to an integer
// count of 10^-exp units: ParseMinor("12.3", 2) is 1230.
func ParseMinor(s string, exp int) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, Errorf(EInvalid, "amount is empty")
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && frac == "" || hasDot && frac == "" && whole == "" {
		return 0, Errorf(EInvalid, "%q is not an amount", s)
	}
	if len(frac) > exp {
		// Trailing zeros beyond the exponent carry no value: "1.500" EUR is fine.
		trimmed := strings.TrimRight(frac[exp:], "0")
		if trimmed != "" {
			return 0, Errorf(EInvalid, "%q has more than %d decimals", s, exp)
		}
		frac = frac[:exp]
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, Errorf(EInvalid, "%q is not an amount", s)
			}
		}
	}
	digits := whole + frac + strings.Repeat("0", exp-len(frac))
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, Errorf(EInvalid, "%q is too large", s)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// FormatMinor writes minor units with exp decimals: FormatMinor(-1230, 2) is "-12.30".
func FormatMinor(minor int64, exp int) string {
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-(minor + 1)) + 1 // safe for math.MinInt64
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	if neg {
		s = "-" + s
	}
	return s
}

// Decimal is the amount as a plain decimal string with the currency's decimals: "1234.50".
func (m Money) Decimal() string { return FormatMinor(m.Amount, m.Currency.Exponent()) }

// String is the amount followed by its currency: "1234.50 EUR".
func (m Money) String() string {
	if m.Currency == "" {
		return m.Decimal()
	}
	return m.Decimal() + " " + string(m.Currency)
}

// IsZero reports whether the amount is zero, whatever the currency.
func (m Money) IsZero() bool { return m.Amount == 0 }

// Neg returns the amount with its sign flipped.
func (m Money) Neg() Money { return Money{Amount: -m.Amount, Currency: m.Currency} }

// Add returns m+o. Adding different currencies or overflowing int64 is an error,
// never a silent wrong figure.
func (m Money) Add(o Money) (Money, error) {
	if err := m.sameCurrency(o); err != nil {
		return Money{}, err
	}
	sum := m.Amount + o.Amount
	if (o.Amount > 0 && sum < m.Amount) || (o.Amount < 0 && sum > m.Amount) {
		return Money{}, Errorf(EInvalid, "amount overflow adding %s and %s", m, o)
	}
	return Money{Amount: sum, Currency: m.currencyOr(o)}, nil
}

// Sub returns m-o under the same rules as Add.
func (m Money) Sub(o Money) (Money, error) {
	if o.Amount == math.MinInt64 {
		return Money{}, Errorf(EInvalid, "amount overflow subtracting %s", o)
	}
	return m.Add(o.Neg())
}

// Cmp compares two amounts of the same currency: -1, 0 or +1.
func (m Money) Cmp(o Money) (int, error) {
	if err := m.sameCurrency(o); err != nil {
		return 0, err
	}
	switch {
	case m.Amount < o.Amount:
		return -1, nil
	case m.Amount > o.Amount:
		return 1, nil
	}
	return 0, nil
}

func (m Money) sameCurrency(o Money) error {
	// A zero amount without currency adds to anything: it is the start of a sum.
	if m.Currency != o.Currency && !(m.Currency == "" && m.Amount == 0) && !(o.Currency == "" && o.Amount == 0) {
		return Errorf(EInvalid, "cannot combine %s with %s", m.Currency, o.Currency)
	}
	return nil
}

func (m Money) currencyOr(o Money) Currency {
	if m.Currency != "" {
		return m.Currency
	}
	return o.Currency
}

type moneyJSON struct {
	Amount   string   `json:"amount"`
	Currency Currency `json:"currency"`
}

// MarshalJSON writes {"amount":"1234.50","currency":"EUR"}: the amount is a
// string so that no JSON reader turns it into a float.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON{Amount: m.Decimal(), Currency: m.Currency})
}

// UnmarshalJSON reads the form MarshalJSON writes; the amount may also be a JSON number.
func (m *Money) UnmarshalJSON(b []byte) error {
	var v struct {
		Amount   json.Number `json:"amount"`
		Currency string      `json:"currency"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("money: %w", err)
	}
	c, err := ParseCurrency(v.Currency)
	if err != nil {
		return err
	}
	out, err := ParseMoney(v.Amount.String(), c)
	if err != nil {
		return err
	}
	*m = out
	return nil
}
