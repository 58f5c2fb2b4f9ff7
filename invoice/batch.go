package invoice

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// MaxBatch is the most drafts PostBatch posts at once.
const MaxBatch = 1000

// PostBatch posts drafts of one company in one transaction, all or
// nothing, in the order given: a billing run posts its invoices this way,
// about twice as fast as one by one (bench_test.go, SQLite, 2 shared cores
// at load 12: 910-1,070 invoices/s against 390-570; 0.5 ms of CPU per
// invoice, two thirds of it in ledger.PostTx). Each draft
// is checked as Post checks it; the first refusal rolls everything back
// and names the document: its fields come as "documents[3].lines[0].account_id".
func (s *Service) PostBatch(ctx context.Context, companyID backoffice.ID, ids []backoffice.ID) ([]Document, error) {
	if len(ids) == 0 || len(ids) > MaxBatch {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("post 1 to %d documents at once", MaxBatch),
			Fields: map[string]string{"documents": fmt.Sprintf("must be 1 to %d documents", MaxBatch)}}
	}
	r, err := s.newResolver(ctx, companyID)
	if err != nil {
		return nil, err
	}
	docs := make([]*Document, len(ids))
	entries := make([]ledger.NewEntry, len(ids))
	for i, id := range ids {
		if docs[i], entries[i], err = s.preparePost(ctx, r, id, PostOptions{}); err != nil {
			return nil, inBatch(err, i, id)
		}
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		changes := make([]audit.Change, 0, len(docs))
		for i, d := range docs {
			if err := s.postTx(ctx, tx, d, entries[i], "", &changes); err != nil {
				return inBatch(err, i, d.ID)
			}
		}
		_, err := s.Audit.Append(ctx, tx, changes...)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Document, len(docs))
	for i, d := range docs {
		out[i] = *d
	}
	return out, nil
}

// preparePost reads a draft, checks it again and builds its entry.
func (s *Service) preparePost(ctx context.Context, r *resolver, id backoffice.ID, opts PostOptions) (*Document, ledger.NewEntry, error) {
	before, err := getDocument(ctx, s.DB, r.company, id)
	if err != nil {
		return nil, ledger.NewEntry{}, err
	}
	if before.State != StateDraft {
		return nil, ledger.NewEntry{}, backoffice.Errorf(backoffice.EConflict, "%s %s is already posted", before.Kind, before.Number)
	}
	if opts.Version != 0 && opts.Version != before.Version {
		return nil, ledger.NewEntry{}, stale("document", id, opts.Version)
	}
	in := before.Input()
	if opts.DuplicateReason != "" {
		in.DuplicateReason = opts.DuplicateReason
	}
	d, err := r.resolve(in, id)
	if err != nil {
		return nil, ledger.NewEntry{}, err
	}
	d.Version, d.CreatedAt = before.Version, before.CreatedAt
	d.childrenStored = sameChildren(&before, d)
	ne, err := r.entry(d)
	return d, ne, err
}

// sameChildren reports whether a and b have equal lines, allowances, tax
// breakdowns and installments (due dates and amounts).
func sameChildren(a, b *Document) bool {
	if len(a.Lines) != len(b.Lines) || len(a.Allowances) != len(b.Allowances) || len(a.Taxes) != len(b.Taxes) || len(a.Installments) != len(b.Installments) {
		return false
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if len(x.Dimensions) == 0 && len(y.Dimensions) == 0 {
			x.Dimensions, y.Dimensions = nil, nil
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	for i := range a.Allowances {
		if a.Allowances[i] != b.Allowances[i] {
			return false
		}
	}
	for i := range a.Taxes {
		if a.Taxes[i] != b.Taxes[i] {
			return false
		}
	}
	for i := range a.Installments {
		if a.Installments[i].DueDate != b.Installments[i].DueDate || a.Installments[i].Amount != b.Installments[i].Amount {
			return false
		}
	}
	return true
}

// inBatch names the batch position of a document's error.
func inBatch(err error, i int, id backoffice.ID) error {
	var e *backoffice.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("document %d: %w", id, err)
	}
	out := *e
	out.Message = fmt.Sprintf("document %d (documents[%d]): %s", id, i, e.Message)
	out.Fields = map[string]string{}
	for k, m := range e.Fields {
		out.Fields[fmt.Sprintf("documents[%d].%s", i, k)] = m
	}
	if len(out.Fields) == 0 {
		out.Fields[fmt.Sprintf("documents[%d]", i)] = e.Message
	}
	return &out
}
