package ledger

import (
	"math/rand/v2"
	"testing"

	"backoffice"
)

// covered lists the days the summary rows chosen by rangesBetween cover,
// each as often as a row covers it.
func covered(t *testing.T, from, to backoffice.Date) map[backoffice.Date]int {
	out := map[backoffice.Date]int{}
	for _, r := range rangesBetween(from, to) {
		for s := r.lo; !s.After(r.hi); {
			next := s.AddDays(1)
			switch r.span {
			case spanMonth:
				if s.Day != 1 {
					t.Fatalf("month row starting %s", s)
				}
				next = s.AddMonths(1)
			case spanYear:
				if s.Day != 1 || s.Month != 1 {
					t.Fatalf("year row starting %s", s)
				}
				next = backoffice.NewDate(s.Year+1, 1, 1)
			}
			for d := s; d.Before(next); d = d.AddDays(1) {
				out[d]++
			}
			s = next
		}
	}
	return out
}

func TestRangesBetween_CoversEveryDayOfThePeriodOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := [][2]string{{"2024-01-01", "2024-12-31"}, {"2024-01-01", "2026-12-31"}, {"2024-02-01", "2024-02-29"},
		{"2024-03-15", "2024-03-15"}, {"2023-12-31", "2025-01-01"}, {"2024-01-31", "2024-03-01"}, {"2024-05-01", "2025-04-30"}}
	for range 300 {
		from := backoffice.NewDate(2022, 1, 1).AddDays(rng.IntN(1500))
		cases = append(cases, [2]string{from.String(), from.AddDays(rng.IntN(900)).String()})
	}
	for _, c := range cases {
		from, _ := backoffice.ParseDate(c[0])
		to, _ := backoffice.ParseDate(c[1])
		got := covered(t, from, to)
		n := 0
		for d := from; !d.After(to); d = d.AddDays(1) {
			if got[d] != 1 {
				t.Fatalf("%s..%s covers %s %d times", from, to, d, got[d])
			}
			n++
		}
		if len(got) != n {
			t.Fatalf("%s..%s covers %d days outside the period", from, to, len(got)-n)
		}
		if n := len(rangesBetween(from, to)); n > 5 {
			t.Fatalf("%s..%s uses %d ranges, want at most 5", from, to, n)
		}
	}
}
