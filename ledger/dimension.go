package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Dimension is a custom dimension of a company: lines may carry it beside
// the built-in ones (BuiltinDimensions). Values lists the values a line may
// give; empty means any. An inactive dimension takes no new postings;
// posted lines keep it.
type Dimension struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Values    []string      `json:"values"`
	Active    bool          `json:"active"`
	Version   int64         `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// NewDimension is the input of CreateDimension and UpdateDimension (where
// Code cannot change).
type NewDimension struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Values []string `json:"values"`
	Active bool     `json:"active"`
}

// maxDimensionValues bounds a dimension's list of allowed values; a longer
// list is master data of its own (projects, cost centres) and belongs there.
const maxDimensionValues = 500

// check validates a dimension's fields into v and normalises the values:
// trimmed, without duplicates, in the given order.
func (in *NewDimension) check(v backoffice.Validation) {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	v.Check(validDimension(in.Code), "code", "must be lower snake case, starting with a letter, at most 40 characters (e.g. region)")
	v.Check(!slices.Contains(BuiltinDimensions(), in.Code), "code", "is a built-in dimension that every company has")
	v.Check(in.Name != "" && len(in.Name) <= 100, "name", "is required, at most 100 characters")
	v.Check(len(in.Values) <= maxDimensionValues, "values", fmt.Sprintf("may list at most %d values", maxDimensionValues))
	seen := map[string]bool{}
	values := make([]string, 0, len(in.Values))
	for i, val := range in.Values {
		val = strings.TrimSpace(val)
		if val == "" || seen[val] {
			continue
		}
		v.Check(len(val) <= 100, fmt.Sprintf("values[%d]", i), "must be at most 100 characters")
		seen[val] = true
		values = append(values, val)
	}
	in.Values = values
}

const dimensionColumns = `id, company_id, code, name, allowed_values, active, version, created_at, updated_at`

func scanDimension(s scanner) (Dimension, error) {
	var d Dimension
	var values string
	err := s.Scan(&d.ID, &d.CompanyID, &d.Code, &d.Name, &values, &d.Active, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	if err != nil {
		return d, err
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	d.Values = []string{}
	if err := json.Unmarshal([]byte(values), &d.Values); err != nil {
		return d, fmt.Errorf("values of dimension %s: %w", d.Code, err)
	}
	return d, nil
}

func valuesText(values []string) string {
	if len(values) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(values)
	return string(b)
}

// CreateDimension defines a custom dimension for the company.
func (s *Service) CreateDimension(ctx context.Context, companyID backoffice.ID, in NewDimension) (Dimension, error) {
	v := backoffice.Validation{}
	in.check(v)
	if err := v.Err("dimension"); err != nil {
		return Dimension{}, err
	}
	now := s.now()
	d := Dimension{CompanyID: companyID, Code: in.Code, Name: in.Name, Values: in.Values, Active: in.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := companyCurrency(ctx, tx, companyID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO ledger_dimensions (company_id, code, name, allowed_values, active, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, int64(companyID), d.Code, d.Name, valuesText(d.Values), d.Active, now, now).Scan(&d.ID)
		if sqldb.IsUniqueViolation(err) {
			return &backoffice.Error{Code: backoffice.EConflict, Message: "the company already has a dimension " + d.Code,
				Fields: map[string]string{"code": "is already a dimension of this company"}}
		}
		if err != nil {
			return fmt.Errorf("insert dimension: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "dimension", EntityID: d.ID.String(), Action: "create", New: d})
		return err
	})
	return d, err
}

// UpdateDimension changes a dimension's name, allowed values and active
// flag; version must be the one read (optimistic locking). Values already
// posted stay as they are: narrowing the list only binds new postings.
func (s *Service) UpdateDimension(ctx context.Context, companyID, id backoffice.ID, version int64, in NewDimension) (Dimension, error) {
	var after Dimension
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getDimension(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		in.Code = before.Code
		v := backoffice.Validation{}
		in.check(v)
		if err := v.Err("dimension"); err != nil {
			return err
		}
		if before.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "dimension %s was changed meanwhile (version %d, not %d): reload it", before.Code, before.Version, version)
		}
		after = before
		after.Name, after.Values, after.Active, after.Version, after.UpdatedAt = in.Name, in.Values, in.Active, before.Version+1, s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_dimensions SET name = ?, allowed_values = ?, active = ?, version = ?, updated_at = ? WHERE id = ?`,
			after.Name, valuesText(after.Values), after.Active, after.Version, after.UpdatedAt, int64(id)); err != nil {
			return fmt.Errorf("update dimension: %w", err)
		}
		old, new, err := audit.Diff(before, after)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "dimension", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	return after, err
}

func getDimension(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Dimension, error) {
	d, err := scanDimension(q.QueryRowContext(ctx, `SELECT `+dimensionColumns+` FROM ledger_dimensions WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("dimension", id)
	}
	if err != nil {
		return d, fmt.Errorf("read dimension: %w", err)
	}
	return d, nil
}

// GetDimension reads one custom dimension of the company.
func (s *Service) GetDimension(ctx context.Context, companyID, id backoffice.ID) (Dimension, error) {
	return getDimension(ctx, s.DB, companyID, id)
}

// Dimensions lists the company's custom dimensions by code. A company has
// a handful, so there is no paging.
func (s *Service) Dimensions(ctx context.Context, companyID backoffice.ID) ([]Dimension, error) {
	return listDimensions(ctx, s.DB, companyID)
}

func listDimensions(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) ([]Dimension, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+dimensionColumns+` FROM ledger_dimensions WHERE company_id = ? ORDER BY code`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list dimensions: %w", err)
	}
	defer rows.Close()
	out := []Dimension{}
	for rows.Next() {
		d, err := scanDimension(rows)
		if err != nil {
			return nil, fmt.Errorf("list dimensions: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DimensionNames lists every dimension a line of the company may carry:
// the built-in ones, then the active custom ones by code.
func (s *Service) DimensionNames(ctx context.Context, companyID backoffice.ID) ([]string, error) {
	ds, err := listDimensions(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	out := BuiltinDimensions()
	for _, d := range ds {
		if d.Active {
			out = append(out, d.Code)
		}
	}
	return out, nil
}

// checkDimensions is the posting path's rule for a line's dimensions: each
// must be built in or an active custom dimension of the company, with one
// of its allowed values when it lists them. Lines with built-in dimensions
// only cost nothing; the company's custom dimensions are read once per
// lookup (one entry or one batch).
func (l *lookup) checkDimensions(ctx context.Context, companyID backoffice.ID, line Line, v backoffice.Validation, f string) error {
	for k, val := range line.Dimensions {
		if slices.Contains(BuiltinDimensions(), k) || !validDimension(k) {
			continue // a bad name is reported by checkLineFields
		}
		if l.dimensions == nil {
			l.dimensions = map[backoffice.ID]map[string]Dimension{}
		}
		ds, ok := l.dimensions[companyID]
		if !ok {
			list, err := listDimensions(ctx, l.q, companyID)
			if err != nil {
				return err
			}
			ds = map[string]Dimension{}
			for _, d := range list {
				ds[d.Code] = d
			}
			l.dimensions[companyID] = ds
		}
		d, ok := ds[k]
		switch {
		case !ok:
			v.Add(f+"dimensions."+k, "is not a dimension of this company: use cost_center, project, department or define it under dimensions")
		case !d.Active:
			v.Add(f+"dimensions."+k, fmt.Sprintf("dimension %s is inactive", k))
		case len(d.Values) > 0 && !slices.Contains(d.Values, val):
			v.Add(f+"dimensions."+k, fmt.Sprintf("must be one of the values of %s: %s", d.Name, strings.Join(d.Values, ", ")))
		}
	}
	return nil
}
