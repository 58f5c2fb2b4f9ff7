package invoice

import (
	"encoding/json"
	"math/big"
	"strings"

	"backoffice"
)

// fixedPlaces is the number of decimals of Quantity and Percent.
const fixedPlaces = 4

// fixedScale is 10^fixedPlaces.
const fixedScale = 10_000

// Quantity is an exact quantity with four decimals: 15000 is 1.5 units. In
// JSON it is a decimal string ("1.5"); a JSON number is accepted too.
type Quantity int64

// Percent is an exact percentage with four decimals: 190000 is 19 %, 77000
// is 7.7 %. In JSON it is a decimal string ("19", "7.7"); a number is accepted.
type Percent int64

// ParseQuantity reads "1.5" as a Quantity; more than four decimals is an error.
func ParseQuantity(s string) (Quantity, error) {
	n, err := backoffice.ParseMinor(s, fixedPlaces)
	return Quantity(n), err
}

// ParsePercent reads "7.7" as a Percent; more than four decimals is an error.
func ParsePercent(s string) (Percent, error) {
	n, err := backoffice.ParseMinor(strings.TrimSuffix(strings.TrimSpace(s), "%"), fixedPlaces)
	return Percent(n), err
}

// formatFixed writes n/10^4 without trailing zeros: 15000 is "1.5".
func formatFixed(n int64) string {
	s := backoffice.FormatMinor(n, fixedPlaces)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// String is the decimal form: "1.5".
func (q Quantity) String() string { return formatFixed(int64(q)) }

// String is the decimal form without a sign: "7.7".
func (p Percent) String() string { return formatFixed(int64(p)) }

// MarshalJSON writes the quantity as a decimal string.
func (q Quantity) MarshalJSON() ([]byte, error) { return json.Marshal(q.String()) }

// UnmarshalJSON reads a decimal string or number.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	n, err := unmarshalFixed(b)
	*q = Quantity(n)
	return err
}

// MarshalJSON writes the percentage as a decimal string.
func (p Percent) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// UnmarshalJSON reads a decimal string or number.
func (p *Percent) UnmarshalJSON(b []byte) error {
	n, err := unmarshalFixed(b)
	*p = Percent(n)
	return err
}

func unmarshalFixed(b []byte) (int64, error) {
	s := strings.TrimSpace(string(b))
	if s == "null" || s == `""` {
		return 0, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
	}
	return backoffice.ParseMinor(strings.TrimSuffix(s, "%"), fixedPlaces)
}

// Amount limits keep sums of many documents inside int64, as the ledger does.
const maxAmount = 1_000_000_000_000_000

// roundDiv divides n by d (d > 0), rounding half away from zero: the
// commercial rounding invoices use.
func roundDiv(n, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	if twice.Cmp(d) >= 0 {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// mulRound returns round(a × b / d) exactly, half away from zero, and
// whether the result fits the amount limits.
func mulRound(a, b, d int64) (int64, bool) {
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q := roundDiv(n, big.NewInt(d))
	if !q.IsInt64() || q.Int64() > maxAmount || q.Int64() < -maxAmount {
		return 0, false
	}
	return q.Int64(), true
}
