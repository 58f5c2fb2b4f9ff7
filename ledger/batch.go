package ledger

import (
	"context"
	"fmt"
	"maps"

	"backoffice"
	"backoffice/sqldb"
)

// MaxBatch is the most entries PostBatch takes at once.
const MaxBatch = 8190

// PostBatch posts up to MaxBatch entries in one transaction, all or
// nothing. When any entry is refused nothing is stored and the error's
// Fields name every problem by entry: "entries[3].lines[1].account". The
// code is invalid when any field is invalid, else conflict (an idempotency
// key reused with other content), else period_closed. Entries whose
// idempotency key and content match an earlier posting come back as that
// posting.
func (s *Service) PostBatch(ctx context.Context, companyID backoffice.ID, in []NewEntry) ([]Entry, error) {
	out, err := s.postBatch(ctx, companyID, in)
	if sqldb.IsUniqueViolation(err) {
		// A concurrent request posted one of our idempotency keys first:
		// validating again finds it and answers as a retry would.
		out, err = s.postBatch(ctx, companyID, in)
	}
	return out, err
}

func (s *Service) postBatch(ctx context.Context, companyID backoffice.ID, in []NewEntry) ([]Entry, error) {
	ps, err := s.prepareBatch(ctx, companyID, in)
	if err != nil {
		return nil, err
	}
	var fresh []*prepared
	for _, p := range ps {
		if p.existing == nil {
			fresh = append(fresh, p)
		}
	}
	if len(fresh) > 0 {
		if err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
			if err := bulkCache(ctx, tx, len(fresh)); err != nil {
				return err
			}
			return s.postTx(ctx, tx, fresh)
		}); err != nil {
			return nil, err
		}
	}
	out := make([]Entry, len(ps))
	for i, p := range ps {
		if p.existing != nil {
			out[i] = *p.existing
		} else {
			out[i] = p.out
		}
	}
	return out, nil
}

// prepareBatch validates every entry and gathers all their errors into one.
func (s *Service) prepareBatch(ctx context.Context, companyID backoffice.ID, in []NewEntry) ([]*prepared, error) {
	if len(in) == 0 || len(in) > MaxBatch {
		return nil, fieldError("entries", fmt.Sprintf("a batch has 1 to %d entries", MaxBatch))
	}
	l := newLookup(s.DB)
	if err := l.loadUsedKeys(ctx, companyID, in); err != nil {
		return nil, err
	}
	v := backoffice.Validation{}
	other := map[string]string{}
	codes := map[string]bool{}
	keys := map[string]int{}
	ps := make([]*prepared, len(in))
	for i, e := range in {
		prefix := fmt.Sprintf("entries[%d].", i)
		if k := e.IdempotencyKey; k != "" {
			if j, dup := keys[k]; dup {
				v.Add(prefix+"idempotency_key", fmt.Sprintf("repeats the key of entries[%d]", j))
			}
			keys[k] = i
		}
		p, err := s.prepare(ctx, l, companyID, e, v, prefix)
		if be, ok := err.(*backoffice.Error); ok && (be.Code == backoffice.EConflict || be.Code == backoffice.EPeriodClosed) {
			maps.Copy(other, be.Fields)
			codes[be.Code] = true
			continue
		}
		if err != nil {
			return nil, err
		}
		if p != nil {
			p.prefix = prefix
		}
		ps[i] = p
	}
	if len(v) == 0 && len(other) == 0 {
		return ps, nil
	}
	code := backoffice.EPeriodClosed
	switch {
	case len(v) > 0:
		code = backoffice.EInvalid
	case codes[backoffice.EConflict]:
		code = backoffice.EConflict
	}
	fields := map[string]string(v)
	for k, m := range other {
		if _, ok := fields[k]; !ok {
			fields[k] = m
		}
	}
	return nil, &backoffice.Error{Code: code, Message: fmt.Sprintf("the batch was not posted: %d problems in its entries", len(fields)), Fields: fields}
}

// bulkCacheFrom is the batch size from which a SQLite connection gets a
// larger page cache before posting.
const bulkCacheFrom = 100

// bulkCache gives the SQLite connection of a large batch a page cache big
// enough to hold the batch's dirty pages (64 MiB at most, allocated as
// used). With SQLite's default of 2 MiB a batch of thousands of entries
// overflows the cache mid-transaction and spills pages to the WAL one by
// one (pagerStress), which was a fifth of a batch's time. Durability is
// unchanged: the cache size only moves when pages are written, not whether
// the commit is synced.
func bulkCache(ctx context.Context, tx *sqldb.Tx, n int) error {
	if n < bulkCacheFrom || tx.Dialect() != sqldb.SQLite {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
		return fmt.Errorf("set page cache: %w", err)
	}
	return nil
}
