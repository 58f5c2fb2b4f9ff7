package backoffice

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
)

// Currency is an ISO 4217 alphabetic code such as "EUR". The zero value means
// "no currency" and is never valid on Money.
type Currency string

type currencyInfo struct {
	Number   int
	Exponent int
	Name     string
}

// ParseCurrency returns the currency for an ISO 4217 code, accepting any case
// and surrounding spaces. Codes that are not active ISO 4217 currencies with a
// minor unit are rejected with an invalid error.
func ParseCurrency(s string) (Currency, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(s)))
	if !c.Valid() {
		if c == "" {
			return "", Errorf(EInvalid, "currency is required")
		}
		return "", Errorf(EInvalid, "%q is not an ISO 4217 currency code", s)
	}
	return c, nil
}

// Valid reports whether c is an active ISO 4217 currency that has a minor unit.
func (c Currency) Valid() bool {
	info, ok := currencyTable[c]
	return ok && info.Exponent >= 0
}

// Exponent is the number of decimal places of the currency's minor unit: 2 for
// EUR, 0 for JPY, 3 for BHD. It is 0 for an unknown currency.
func (c Currency) Exponent() int {
	if info, ok := currencyTable[c]; ok && info.Exponent > 0 {
		return info.Exponent
	}
	return 0
}

// Name is the currency's English name from ISO 4217, or the code itself.
func (c Currency) Name() string {
	if info, ok := currencyTable[c]; ok {
		return info.Name
	}
	return string(c)
}

// Currencies lists every currency that can carry Money, sorted by code.
func Currencies() []Currency {
	out := make([]Currency, 0, len(currencyTable))
	for c, info := range currencyTable {
		if info.Exponent >= 0 {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// Value stores the code as text.
func (c Currency) Value() (driver.Value, error) { return string(c), nil }

// Scan reads a code stored as text.
func (c *Currency) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*c = Currency(v)
	case []byte:
		*c = Currency(v)
	case nil:
		*c = ""
	default:
		return fmt.Errorf("currency: cannot scan %T", src)
	}
	return nil
}
