package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/csvio"
	"backoffice/sqldb"
)

// The ECB publishes its euro reference rates as CSV in two layouts, both
// "foreign units per 1 EUR":
//
//	eurofxref.csv (one day):   Date, USD, JPY, BGN, ..., ZAR,
//	                           24 December 2020, 1.2193, 126.38, 1.9558, ...,
//	eurofxref-hist.csv (all):  Date,USD,JPY,BGN,CYP,...,ZAR,
//	                           2020-12-24,1.2193,126.38,1.9558,N/A,...,
//
// The one-day file separates with ", " and ends every line with a comma
// and a space; the history ends its lines with a comma, writes ISO dates
// and "N/A" where a currency had no rate that day (before it joined, after
// it left). Columns of currencies that ISO 4217 no longer lists (CYP, SIT,
// LTL, ...) are skipped and named in the report.

// maxECBFile bounds an upload: the full history since 1999 is about 1.5 MB.
const maxECBFile = 32 << 20

// ECBDay is one row of an ECB file: the foreign units per 1 EUR of each
// currency that had a rate that day.
type ECBDay struct {
	Line  int
	Date  backoffice.Date
	Rates map[backoffice.Currency]decimal.Decimal
}

// ECBFile is a parsed ECB reference-rate file.
type ECBFile struct {
	Currencies []backoffice.Currency // usable columns, in file order
	Skipped    []string              // columns of currencies ISO 4217 no longer lists
	Days       []ECBDay              // in file order
}

// ParseECB reads either ECB CSV layout. It reports every problem at once,
// each with its line (the header is line 1) and column.
func ParseECB(r io.Reader) (ECBFile, []csvio.RowError) {
	data, err := io.ReadAll(io.LimitReader(r, maxECBFile+1))
	if err != nil {
		return ECBFile{}, []csvio.RowError{{Line: 1, Message: "cannot read the file: " + err.Error()}}
	}
	if len(data) > maxECBFile {
		return ECBFile{}, []csvio.RowError{{Line: 1, Message: fmt.Sprintf("the file is larger than %d MB", maxECBFile>>20)}}
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord, cr.TrimLeadingSpace, cr.ReuseRecord = -1, true, false
	var out ECBFile
	var errs []csvio.RowError
	var cols []backoffice.Currency // per column after Date; "" for a skipped column
	seenDates := map[backoffice.Date]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, csvio.RowError{Line: line, Message: "not CSV: " + err.Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		rec = trimRecord(rec)
		if len(rec) == 0 {
			continue
		}
		if cols == nil {
			var herrs []csvio.RowError
			cols, herrs = ecbHeader(rec, line, &out)
			errs = append(errs, herrs...)
			if len(herrs) > 0 {
				return out, errs
			}
			continue
		}
		day, derrs := ecbRow(rec, line, cols)
		errs = append(errs, derrs...)
		if !day.Date.IsZero() {
			if first, dup := seenDates[day.Date]; dup {
				errs = append(errs, csvio.RowError{Line: line, Column: "Date", Message: fmt.Sprintf("%s repeats line %d", day.Date, first)})
			}
			seenDates[day.Date] = line
		}
		if len(derrs) == 0 {
			out.Days = append(out.Days, day)
		}
	}
	if cols == nil && len(errs) == 0 {
		errs = append(errs, csvio.RowError{Line: 1, Message: "the file is empty; expected the ECB header \"Date, USD, JPY, ...\""})
	} else if len(out.Days) == 0 && len(errs) == 0 {
		errs = append(errs, csvio.RowError{Line: 2, Message: "the file has a header but no day of rates"})
	}
	return out, errs
}

// trimRecord trims every field and drops the empty fields the ECB leaves
// at the end of each line.
func trimRecord(rec []string) []string {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	for len(rec) > 0 && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	return rec
}

// ecbHeader reads the header: "Date" then one currency code per column.
func ecbHeader(rec []string, line int, out *ECBFile) ([]backoffice.Currency, []csvio.RowError) {
	var errs []csvio.RowError
	if !strings.EqualFold(rec[0], "Date") {
		return nil, []csvio.RowError{{Line: line, Message: fmt.Sprintf("the first column is %q; an ECB rates file starts with \"Date, USD, JPY, ...\"", rec[0])}}
	}
	cols := make([]backoffice.Currency, len(rec)-1)
	for i, name := range rec[1:] {
		code := strings.ToUpper(name)
		switch c := backoffice.Currency(code); {
		case len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
			errs = append(errs, csvio.RowError{Line: line, Column: name, Message: "is not a currency code"})
		case slices.Contains(cols, c):
			errs = append(errs, csvio.RowError{Line: line, Column: name, Message: "appears twice in the header"})
		case c == "EUR":
			errs = append(errs, csvio.RowError{Line: line, Column: name, Message: "EUR is the base of ECB rates and cannot be a column"})
		case !c.Valid():
			out.Skipped = append(out.Skipped, code)
		default:
			cols[i] = c
			out.Currencies = append(out.Currencies, c)
		}
	}
	if len(rec) < 2 {
		errs = append(errs, csvio.RowError{Line: line, Message: "the header names no currency"})
	}
	return cols, errs
}

// ecbRow reads one day; "N/A" and empty cells are days without a rate.
func ecbRow(rec []string, line int, cols []backoffice.Currency) (ECBDay, []csvio.RowError) {
	day := ECBDay{Line: line, Rates: map[backoffice.Currency]decimal.Decimal{}}
	var errs []csvio.RowError
	d, ok := ecbDate(rec[0])
	if !ok {
		errs = append(errs, csvio.RowError{Line: line, Column: "Date", Message: fmt.Sprintf("%q is not a date (2020-12-24 or 24 December 2020)", rec[0])})
	}
	day.Date = d
	if len(rec)-1 > len(cols) {
		errs = append(errs, csvio.RowError{Line: line, Message: fmt.Sprintf("%d values for %d currencies in the header", len(rec)-1, len(cols))})
		return day, errs
	}
	for i, cell := range rec[1:] {
		if cols[i] == "" || cell == "" || strings.EqualFold(cell, "N/A") {
			continue
		}
		v, err := decimal.Parse(cell)
		if err != nil || !v.IsPos() {
			errs = append(errs, csvio.RowError{Line: line, Column: string(cols[i]), Message: fmt.Sprintf("%q is not a positive rate", cell)})
			continue
		}
		day.Rates[cols[i]] = v
	}
	return day, errs
}

// ecbDate reads the history's ISO date or the one-day file's "24 December 2020".
func ecbDate(s string) (backoffice.Date, bool) {
	for _, layout := range []string{"2006-01-02", "2 January 2006", "02 Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return backoffice.DateOf(t), true
		}
	}
	return backoffice.Date{}, false
}

// CompanyRates turns the file's EUR-based rates into rates in company
// currency per unit: the inverse for a EUR company, and cross rates through
// EUR for a company whose currency is a column of the file (its rate per
// EUR divided by the other currency's). Days without a rate for the
// company currency give no rates and are counted in skippedDays.
func (f ECBFile) CompanyRates(base backoffice.Currency) (rates []ExchangeRate, skippedDays int, err error) {
	if base != "EUR" && !slices.Contains(f.Currencies, base) {
		return nil, 0, backoffice.Errorf(backoffice.EInvalid,
			"the file has no rates for the company currency %s: an ECB file serves EUR companies and companies whose currency is one of its columns", base)
	}
	one := decimal.MustNew(1, 0)
	for _, day := range f.Days {
		perEUR := one // company currency per 1 EUR
		if base != "EUR" {
			v, ok := day.Rates[base]
			if !ok {
				skippedDays++
				continue
			}
			perEUR = v
			if !rateInRange(v) {
				return nil, 0, backoffice.Errorf(backoffice.EInvalid, "line %d: the %s rate %s gives no usable EUR rate", day.Line, base, v)
			}
			rates = append(rates, ExchangeRate{Currency: "EUR", Date: day.Date, Rate: v.Trim(0).String(), Source: "ecb"})
		}
		for _, c := range f.Currencies {
			v, ok := day.Rates[c]
			if !ok || c == base {
				continue
			}
			q, err := perEUR.Quo(v)
			if err == nil {
				q = roundRate(q)
			}
			if err != nil || !rateInRange(q) {
				return nil, 0, backoffice.Errorf(backoffice.EInvalid, "line %d: the %s rate %s gives no usable %s rate", day.Line, c, v, base)
			}
			rates = append(rates, ExchangeRate{Currency: c, Date: day.Date, Rate: q.String(), Source: "ecb"})
		}
	}
	return rates, skippedDays, nil
}

// RateImport is what an ECB import did or, on a dry run, would do.
type RateImport struct {
	Days        int                   `json:"days"`         // days of rates in the file
	SkippedDays int                   `json:"skipped_days"` // days without a rate for the company currency
	Rates       int                   `json:"rates"`        // rates in company currency the file gives
	Changed     int64                 `json:"changed"`      // rates new or different from the stored ones; 0 on a dry run
	From        backoffice.Date       `json:"from,omitzero"`
	To          backoffice.Date       `json:"to,omitzero"`
	Currencies  []backoffice.Currency `json:"currencies"`
	Skipped     []string              `json:"skipped_currencies,omitempty"` // columns of currencies no longer in ISO 4217
	DryRun      bool                  `json:"dry_run"`
	Errors      []csvio.RowError      `json:"errors,omitempty"` // every problem, with its line; nothing was imported
}

// ImportECBRates reads an ECB reference-rate file and stores its rates in
// company currency, all or nothing: a file with any bad line stores nothing
// and the report lists every problem with its line. Importing the same file
// again changes nothing; rates that differ from the stored ones replace
// them. The change log records one import with its extent.
func (s *Service) ImportECBRates(ctx context.Context, companyID backoffice.ID, r io.Reader, dryRun bool) (RateImport, error) {
	rep := RateImport{DryRun: dryRun, Currencies: []backoffice.Currency{}}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return rep, err
	}
	file, errs := ParseECB(r)
	rep.Skipped = file.Skipped
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b csvio.RowError) int { return a.Line - b.Line })
		rep.Errors = errs
		return rep, backoffice.Errorf(backoffice.EInvalid, "the rates file has %d problem(s), each listed with its line; nothing was imported", len(errs))
	}
	rates, skipped, err := file.CompanyRates(base)
	if err != nil {
		return rep, err
	}
	rep.Days, rep.SkippedDays, rep.Rates = len(file.Days), skipped, len(rates)
	seen := map[backoffice.Currency]bool{}
	for _, x := range rates {
		if rep.From.IsZero() || x.Date.Before(rep.From) {
			rep.From = x.Date
		}
		if x.Date.After(rep.To) {
			rep.To = x.Date
		}
		if !seen[x.Currency] {
			seen[x.Currency] = true
			rep.Currencies = append(rep.Currencies, x.Currency)
		}
	}
	slices.Sort(rep.Currencies)
	if dryRun || len(rates) == 0 {
		return rep, nil
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		n, err := upsertRates(ctx, tx, companyID, rates, s.now())
		if err != nil || n == 0 {
			return err
		}
		rep.Changed = n
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "exchange_rates", EntityID: "ecb", Action: "import",
			New: map[string]any{"source": "ecb", "from": rep.From, "to": rep.To, "days": rep.Days, "currencies": rep.Currencies,
				"rates": rep.Rates, "changed": n}})
		return err
	})
	if err != nil {
		return RateImport{}, err
	}
	return rep, nil
}
