package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/csvio"
)

// Change log browsing: audit.List reads forwards from a sequence number, but
// people want the newest changes first. A page is found by reading windows
// of sequence numbers backwards from the head (or from ?before=), each one
// query on the primary key, growing while the filter matches sparsely. When
// a few windows are not enough the filter is rare, so its matching records
// are few: they are then read forwards from the oldest one, keeping the last.
// Measured on 30,000 changes (SQLite, demo): 12-45 ms a page either way.
const (
	changesPageSize   = 50
	changesMaxWindows = 4
	changesMaxWindow  = 1000 // audit.List answers at most 1000 records
)

// changeEntities are the entities whose chips the change log offers when the
// reader can see changes of them; entities met on the page are added.
func changeEntities() []string {
	return []string{"company", "membership", "user", "role", "api_token", "webhook"}
}

// changesList is the change log page: newest first, filtered by entity chip
// and entity id, with CSV export of everything the filters select.
func (s *Server) changesList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := changeFilter(r)
	f.Entity, f.EntityID = q.Get("entity"), strings.TrimSpace(q.Get("q"))
	if q.Get("format") == "csv" {
		return s.changesCSV(w, r, f)
	}
	var before int64
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "before must be a sequence number", Fields: map[string]string{"before": "must be a whole number ≥ 1"}}
		}
		before = n
	}
	recs, older, err := s.changesBefore(r.Context(), f, before, changesPageSize)
	if err != nil {
		return err
	}
	v := listView{
		Title: "Change log", SearchHint: "Record id, e.g. 42", ExportURL: changesURL(r, "format", "csv"),
		Help: "Every change to the data you may see, newest first: who changed what, when, from which value to which. " +
			"The log is append-only and hash-chained, so any later alteration is detectable (backoffice audit verify).",
		Empty: "No changes match. The change log records every create, update and delete as it happens.",
		Columns: []column{{Key: "seq", Label: "#", Numeric: true}, {Key: "at", Label: "Time"}, {Key: "actor", Label: "Actor"},
			{Key: "company", Label: "Company"}, {Key: "entity", Label: "Entity"}, {Key: "id", Label: "Record"},
			{Key: "action", Label: "Action"}, {Key: "changed", Label: "Changed fields"}},
	}
	if f.Entity != "" {
		v.Hidden = append(v.Hidden, hiddenField{"entity", f.Entity})
	}
	v.Search = f.EntityID
	if v.Filters, err = s.entityChips(r, recs, f.Entity); err != nil {
		return err
	}
	codes := companyCodes(r)
	for _, rec := range recs {
		v.Rows = append(v.Rows, listRow{URL: "/changes/" + strconv.FormatInt(rec.Seq, 10), Cells: changeCells(rec, codes)})
	}
	if before != 0 {
		v.FirstURL = changesURL(r, "before", "")
	}
	if older != 0 {
		v.NextURL = changesURL(r, "before", strconv.FormatInt(older, 10))
	}
	if len(recs) > 0 {
		v.Showing = "#" + strconv.FormatInt(recs[0].Seq, 10) + " to #" + strconv.FormatInt(recs[len(recs)-1].Seq, 10) + ", newest first"
	}
	return s.render(w, r, http.StatusOK, "changes", "Change log", v)
}

// changesURL is the change log's address with key set to value, starting
// again at the newest change unless key moves the page itself.
func changesURL(r *http.Request, key, value string) string {
	q := cloneQuery(r.URL.Query())
	q.Del("flash")
	if key != "before" {
		q.Del("before")
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// changesBefore returns up to n records matching f with a sequence number
// below before (0: the newest), newest first, and the before cursor of the
// next older page, 0 when nothing older matches.
func (s *Server) changesBefore(ctx context.Context, f audit.Filter, before int64, n int) ([]audit.Record, int64, error) {
	if before <= 0 {
		head, _, err := audit.Head(ctx, s.DB)
		if err != nil {
			return nil, 0, err
		}
		before = head + 1
	}
	oldest := f
	oldest.AfterSeq, oldest.Limit = 0, 1
	first, err := audit.List(ctx, s.DB, oldest)
	if err != nil || len(first) == 0 {
		return nil, 0, err
	}
	floor := first[0].Seq - 1 // nothing at or below floor matches
	var got []audit.Record    // ascending
	hi, window := before, int64(4*n)
	for i := 0; i < changesMaxWindows && hi-1 > floor && len(got) <= n; i++ {
		lo := max(floor, hi-1-window)
		wf := f
		wf.AfterSeq, wf.Limit = lo, int(hi-1-lo) // at most that many records exist in (lo, hi-1]
		recs, err := audit.List(ctx, s.DB, wf)
		if err != nil {
			return nil, 0, err
		}
		recs = slices.DeleteFunc(recs, func(rec audit.Record) bool { return rec.Seq >= hi })
		got = append(recs, got...)
		hi, window = lo+1, min(window*4, changesMaxWindow)
	}
	if len(got) <= n && hi-1 > floor {
		rest, err := s.lastChanges(ctx, f, floor, hi, n+1-len(got))
		if err != nil {
			return nil, 0, err
		}
		got = append(rest, got...)
	}
	var older int64
	if len(got) > n {
		got = got[len(got)-n:]
		older = got[0].Seq
	}
	slices.Reverse(got)
	return got, older, nil
}

// lastChanges reads the records matching f in (after, before) forwards and
// returns the last k of them, oldest first.
func (s *Server) lastChanges(ctx context.Context, f audit.Filter, after, before int64, k int) ([]audit.Record, error) {
	var out []audit.Record
	f.AfterSeq, f.Limit = after, changesMaxWindow
	for {
		recs, err := audit.List(ctx, s.DB, f)
		if err != nil {
			return nil, err
		}
		end := slices.IndexFunc(recs, func(rec audit.Record) bool { return rec.Seq >= before })
		if end >= 0 {
			recs = recs[:end]
		}
		out = append(out, recs...)
		if len(out) > k {
			out = slices.Delete(out, 0, len(out)-k)
		}
		if end >= 0 || len(recs) < f.Limit {
			return out, nil
		}
		f.AfterSeq = recs[len(recs)-1].Seq
	}
}

// entityChips offers a chip per entity that has changes the reader may see.
func (s *Server) entityChips(r *http.Request, page []audit.Record, selected string) ([]chip, error) {
	names := changeEntities()
	for _, rec := range page {
		if !slices.Contains(names, rec.Entity) {
			names = append(names, rec.Entity)
		}
	}
	if selected != "" && !slices.Contains(names, selected) {
		names = append(names, selected)
	}
	chips := []chip{{Label: "All", URL: changesURL(r, "entity", ""), Active: selected == ""}}
	for _, name := range names {
		if name != selected {
			f := changeFilter(r)
			f.Entity, f.Limit = name, 1
			recs, err := audit.List(r.Context(), s.DB, f)
			if err != nil {
				return nil, err
			}
			if len(recs) == 0 {
				continue
			}
		}
		chips = append(chips, chip{Label: entityLabel(name), URL: changesURL(r, "entity", name), Active: name == selected})
	}
	return chips, nil
}

// entityLabel names an entity for people: "api_token" → "Api token".
func entityLabel(entity string) string {
	if entity == "api_token" {
		return "API token"
	}
	return humanAction(entity)
}

// companyCodes maps the reader's companies to their codes.
func companyCodes(r *http.Request) map[backoffice.ID]string {
	out := map[backoffice.ID]string{}
	for _, m := range principal(r).Memberships {
		out[m.CompanyID] = m.CompanyCode
	}
	return out
}

func changeCells(rec audit.Record, codes map[backoffice.ID]string) []cell {
	company := "—"
	if rec.CompanyID != 0 {
		company = codes[rec.CompanyID]
	}
	changed := strings.Join(changedFields(rec), ", ")
	switch {
	case emptyJSON(rec.Old) && rec.Action == "create":
		changed = "new record"
	case emptyJSON(rec.New) && rec.Action == "delete":
		changed = "record removed"
	case len([]rune(changed)) > 48:
		changed = string([]rune(changed)[:47]) + "…"
	}
	return []cell{{Text: strconv.FormatInt(rec.Seq, 10), Numeric: true}, {Text: rec.At.UTC().Format("2006-01-02 15:04:05")},
		{Text: rec.ActorName}, {Text: company}, {Text: entityLabel(rec.Entity)}, {Text: rec.EntityID}, {Text: humanAction(rec.Action)}, {Text: changed}}
}

// emptyJSON reports whether a stored value holds no fields.
func emptyJSON(raw json.RawMessage) bool {
	switch strings.TrimSpace(string(raw)) {
	case "", "{}", "null":
		return true
	}
	return false
}

// changedFields lists the fields a record's old and new values name, sorted.
func changedFields(rec audit.Record) []string {
	var oldV, newV map[string]json.RawMessage
	_ = json.Unmarshal(rec.Old, &oldV)
	_ = json.Unmarshal(rec.New, &newV)
	var out []string
	for k := range oldV {
		out = append(out, k)
	}
	for k := range newV {
		if _, ok := oldV[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// changesCSV exports every change the filters select, oldest first, a
// thousand records per query and streamed as it is read.
func (s *Server) changesCSV(w http.ResponseWriter, r *http.Request, f audit.Filter) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="changes.csv"`)
	header := []string{"seq", "at", "company", "actor", "entity", "entity_id", "action", "changed_fields", "reason", "old", "new", "prev_hash", "hash"}
	codes := companyCodes(r)
	f.Limit = changesMaxWindow
	var listErr error
	rows := func(yield func([]string) bool) {
		for {
			recs, err := audit.List(r.Context(), s.DB, f)
			if err != nil {
				listErr = err
				return
			}
			for _, rec := range recs {
				if !yield([]string{strconv.FormatInt(rec.Seq, 10), rec.At.UTC().Format(time.RFC3339), codes[rec.CompanyID], rec.ActorName, rec.Entity,
					rec.EntityID, rec.Action, strings.Join(changedFields(rec), " "), rec.Reason, string(rec.Old), string(rec.New), rec.PrevHash, rec.Hash}) {
					return
				}
			}
			if len(recs) < f.Limit {
				return
			}
			f.AfterSeq = recs[len(recs)-1].Seq
		}
	}
	if err := csvio.Export(w, header, rows); err != nil {
		return err
	}
	return listErr
}

// changePage is the data of one change's page.
type changePage struct {
	Rec       audit.Record
	Company   string
	Changes   []fieldChange
	RecordURL string
	Old, New  string // the raw JSON values, indented
}

// changeShow shows one change: every field's old and new value, and its
// place in the hash chain.
func (s *Server) changeShow(w http.ResponseWriter, r *http.Request) error {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq < 1 {
		return backoffice.Errorf(backoffice.ENotFound, "change %q not found", r.PathValue("seq"))
	}
	f := changeFilter(r)
	f.AfterSeq, f.Limit = seq-1, 1
	recs, err := audit.List(r.Context(), s.DB, f)
	if err != nil {
		return err
	}
	if len(recs) == 0 || recs[0].Seq != seq {
		return backoffice.Errorf(backoffice.ENotFound, "change #%d not found among the changes you may see", seq)
	}
	rec := recs[0]
	pg := changePage{Rec: rec, Company: companyCodes(r)[rec.CompanyID], RecordURL: recordURL(rec), Old: indentJSON(rec.Old), New: indentJSON(rec.New)}
	if items := historyOf(recs); len(items) == 1 {
		pg.Changes = items[0].Changes
	}
	return s.render(w, r, http.StatusOK, "change", "Change #"+strconv.FormatInt(seq, 10), pg)
}

// recordURL is the page of the record a change is about, when there is one.
func recordURL(rec audit.Record) string {
	switch rec.Entity {
	case "user", "role", "company", "webhook":
		if rec.Action == "delete" {
			return ""
		}
		plural := map[string]string{"user": "users", "role": "roles", "company": "companies", "webhook": "webhooks"}[rec.Entity]
		return "/" + plural + "/" + rec.EntityID
	case "api_token":
		return "/tokens?status=all"
	case "membership":
		company, _, _ := strings.Cut(rec.EntityID, ":")
		return "/companies/" + company
	}
	return ""
}

func indentJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}
