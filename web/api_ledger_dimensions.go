package web

import (
	"net/http"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// dimensionOut is a custom dimension of the company.
type dimensionOut struct {
	ID        backoffice.ID `json:"id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Values    []string      `json:"values"` // allowed values; empty: any
	Active    bool          `json:"active"`
	Version   int64         `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// dimensionsOut lists the built-in dimensions every company has and the
// company's custom ones.
type dimensionsOut struct {
	Builtin []string       `json:"builtin"`
	Items   []dimensionOut `json:"items"`
}

// dimensionIn creates a dimension; on PATCH the code is ignored and a
// missing active means active.
type dimensionIn struct {
	Code   string   `json:"code,omitempty"`
	Name   string   `json:"name"`
	Values []string `json:"values,omitempty"`
	Active *bool    `json:"active,omitempty"` // true when omitted
}

func (in dimensionIn) toNew() ledger.NewDimension {
	active := in.Active == nil || *in.Active
	return ledger.NewDimension{Code: in.Code, Name: in.Name, Values: in.Values, Active: active}
}

func toDimensionOut(d ledger.Dimension) dimensionOut {
	return dimensionOut{ID: d.ID, Code: d.Code, Name: d.Name, Values: d.Values, Active: d.Active, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func (s *Server) apiListDimensions(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ds, err := s.Ledger.Dimensions(r.Context(), company)
	if err != nil {
		return err
	}
	out := dimensionsOut{Builtin: ledger.BuiltinDimensions(), Items: make([]dimensionOut, 0, len(ds))}
	for _, d := range ds {
		out.Items = append(out.Items, toDimensionOut(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateDimension(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in dimensionIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.Ledger.CreateDimension(r.Context(), company, in.toNew())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/dimensions/"+d.ID.String())
	writeVersioned(w, http.StatusCreated, d.Version, toDimensionOut(d))
	return nil
}

// dimension reads the {id} dimension of the caller's company.
func (s *Server) dimension(r *http.Request) (backoffice.ID, ledger.Dimension, error) {
	company, err := s.books(r)
	if err != nil {
		return 0, ledger.Dimension{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, ledger.Dimension{}, err
	}
	d, err := s.Ledger.GetDimension(r.Context(), company, id)
	return company, d, err
}

func (s *Server) apiGetDimension(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.dimension(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, toDimensionOut(d))
	return nil
}

func (s *Server) apiUpdateDimension(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.dimension(r)
	if err != nil {
		return err
	}
	var in dimensionIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, d.Version)
	if err != nil {
		return err
	}
	d, err = s.Ledger.UpdateDimension(r.Context(), company, d.ID, version, in.toNew())
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, toDimensionOut(d))
	return nil
}

// dimensionExists tells the history route whether {id} is a dimension of the company.
func (s *Server) dimensionExists(r *http.Request) error {
	_, _, err := s.dimension(r)
	return err
}
