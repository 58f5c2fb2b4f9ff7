package invoice

import (
	"context"
	"errors"
	"fmt"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// MaxBatch is the most drafts PostBatch posts at once.
const MaxBatch = 1000

// PostBatch posts drafts of one company in one transaction, all or
// nothing, in the order given: a billing run posts its invoices this way,
// about three times as fast as one by one (see bench_test.go). Each draft
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
		for i, d := range docs {
			if err := s.postTx(ctx, tx, d, entries[i], ""); err != nil {
				return inBatch(err, i, d.ID)
			}
		}
		return nil
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
	ne, err := r.entry(d)
	return d, ne, err
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
