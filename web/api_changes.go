package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"backoffice"
	"backoffice/audit"
)

type changeOut struct {
	Seq       int64           `json:"seq"`
	At        time.Time       `json:"at"`
	CompanyID backoffice.ID   `json:"company_id,omitempty"`
	Actor     string          `json:"actor"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Action    string          `json:"action"`
	Old       json.RawMessage `json:"old"`
	New       json.RawMessage `json:"new"`
	Reason    string          `json:"reason,omitempty"`
	Hash      string          `json:"hash"`
}

func toChangeOut(r audit.Record) changeOut {
	return changeOut{Seq: r.Seq, At: r.At, CompanyID: r.CompanyID, Actor: r.ActorName, Entity: r.Entity, EntityID: r.EntityID,
		Action: r.Action, Old: r.Old, New: r.New, Reason: r.Reason, Hash: r.Hash}
}

// changeFilter limits the log to what the caller may see: their companies,
// plus installation-wide changes (users, roles) for those who may read users.
func changeFilter(r *http.Request) audit.Filter {
	p := principal(r)
	return audit.Filter{CompanyIDs: p.CompanyIDs(), IncludeGlobal: p.Can("user.read")}
}

// apiChanges is the change stream: records after ?after=SEQ, oldest first.
// The next cursor is the last sequence number returned.
func (s *Server) apiChanges(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := changeFilter(r)
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "after must be a sequence number", Fields: map[string]string{"after": "must be a whole number ≥ 0"}}
		}
		f.AfterSeq = n
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	f.Limit = page.Limit
	f.Entity = q.Get("entity")
	recs, err := audit.List(r.Context(), s.DB, f)
	if err != nil {
		return err
	}
	out := listOf[changeOut]{Items: []changeOut{}}
	for _, rec := range recs {
		out.Items = append(out.Items, toChangeOut(rec))
	}
	if len(recs) == f.Limit {
		out.Next = strconv.FormatInt(recs[len(recs)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// history returns the change history of one entity as the caller may see it.
func (s *Server) history(r *http.Request, entity, id string) ([]audit.Record, error) {
	f := changeFilter(r)
	f.Entity, f.EntityID, f.Limit, f.IncludeGlobal = entity, id, 1000, true
	return audit.List(r.Context(), s.DB, f)
}

// apiHistory serves the history of the entity named by the {id} path value.
// The entity's own route checks that the caller may read it.
func (s *Server) apiHistory(entity string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		recs, err := s.history(r, entity, id.String())
		if err != nil {
			return err
		}
		out := listOf[changeOut]{Items: []changeOut{}}
		for _, rec := range recs {
			out.Items = append(out.Items, toChangeOut(rec))
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}
