package ledger

import (
	"time"

	"backoffice"
)

// Frequency is how often a recurring entry repeats.
type Frequency string

// Frequencies of recurring entries.
const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
	Yearly    Frequency = "yearly"
)

// Frequencies lists the frequencies a recurring entry may have.
func Frequencies() []Frequency { return []Frequency{Monthly, Quarterly, Yearly} }

// months is the step between two occurrences; 0 for an unknown frequency.
func (f Frequency) months() int {
	switch f {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case Yearly:
		return 12
	}
	return 0
}

// occurrenceGrid places the occurrences of a recurring entry: every step
// months from the start date's month, on dayOfMonth or the month's last day
// when the month is shorter. Each date is computed from the start month, not
// from the previous date, so the 31st gives Jan 31, Feb 28 (29), Mar 31.
type occurrenceGrid struct {
	start      backoffice.Date
	step       int
	dayOfMonth int
}

// at returns occurrence k of the grid (k = 0 in the start date's month).
func (g occurrenceGrid) at(k int) backoffice.Date {
	first := time.Date(g.start.Year, g.start.Month+time.Month(k*g.step), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return backoffice.Date{Year: first.Year(), Month: first.Month(), Day: min(g.dayOfMonth, last)}
}

// firstAfter returns the first occurrence on or after the start date and
// strictly after done (zero: nothing generated yet).
func (g occurrenceGrid) firstAfter(done backoffice.Date) backoffice.Date {
	k := 0
	if !done.IsZero() && done.After(g.start) {
		months := (done.Year-g.start.Year)*12 + int(done.Month) - int(g.start.Month)
		k = max(0, months/g.step-1)
	}
	for {
		d := g.at(k)
		if !d.Before(g.start) && (done.IsZero() || d.After(done)) {
			return d
		}
		k++
	}
}

// lastOfMonth returns the last day of d's month.
func lastOfMonth(d backoffice.Date) backoffice.Date {
	return backoffice.DateOf(time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

// firstOfMonth returns the first day of d's month.
func firstOfMonth(d backoffice.Date) backoffice.Date {
	return backoffice.Date{Year: d.Year, Month: d.Month, Day: 1}
}
