package mt940

import (
	"os"
	"path/filepath"
	"testing"

	"backoffice/bank/statement"
)

// TestParse_AgreesWithWolphMT940 checks figures from wolph/mt940's own
// expectations (its YAML dumps) for the same samples.
func TestParse_AgreesWithWolphMT940(t *testing.T) {
	cases := []struct {
		file                          string
		amount, value, booking, remit string
	}{
		{"wolph-self-provided/february_30.sta", "-6.00", "2016-02-29", "2016-03-01", "Pauschalen"},
		{"wolph-self-provided/sparkassen.sta", "30.00", "2018-11-26", "2018-11-26", "Test"},
		{"wolph-betterplace/empty_entry_date.sta", "50.00", "2011-07-01", "2011-07-01", ""},
	}
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join(samples, c.file))
		if err != nil {
			t.Skip("shared MT940 samples are absent")
		}
		res, err := Parse(data)
		if err != nil || len(res.Statements) != 1 || len(res.Statements[0].Entries) != 1 {
			t.Fatalf("%s: %v %+v", c.file, err, res)
		}
		e := res.Statements[0].Entries[0]
		if statement.Decimal(e.Amount) != c.amount || e.ValueDate.String() != c.value || e.BookingDate.String() != c.booking || e.Remittance != c.remit {
			t.Errorf("%s: got %s %s %s %q", c.file, statement.Decimal(e.Amount), e.ValueDate, e.BookingDate, e.Remittance)
		}
	}
}
