package audit

import (
	"context"
	"fmt"

	"backoffice/sqldb"
)

// Kinds of tampering Verify reports in Problem.Kind.
const (
	KindAltered  = "altered"  // a record's content changed after it was written
	KindDeleted  = "deleted"  // one or more records are missing
	KindInserted = "inserted" // a record was added outside Append
)

// verifyBatch is how many records Verify holds in memory at once.
const verifyBatch = 1000

// maxShift is how far Verify looks for renumbered records: a record whose hash
// matches seq±d was moved by an insert or delete of d records before it.
const maxShift = 64

// Problem names the first record where the chain breaks.
type Problem struct {
	Seq     int64  // the first bad (or first missing, or first inserted) sequence number
	Kind    string // KindAltered, KindDeleted or KindInserted
	Message string // a sentence for a person: what happened, to which record
}

// VerifyResult is the outcome of walking the whole change log.
type VerifyResult struct {
	Records int64    // records read
	OK      bool     // every hash and link checked out and the head matches the last record
	Problem *Problem // the first problem found when !OK
}

// Verify walks the change log in sequence order, a batch at a time, and
// proves it untouched: every record's hash matches its content, sequence
// numbers run 1, 2, 3… without gaps, each prev_hash equals the previous
// record's hash, and the last record matches audit_head. It stops at the first
// problem and names it. progress, when not nil, is called with the number of
// records checked so far after each batch.
//
// What it cannot see: an attacker who rewrites every record from some point on
// and the head consistently. Anchoring the head outside the database (printing
// `audit verify` output, publishing the head hash) closes that gap.
func Verify(ctx context.Context, q sqldb.Querier, progress func(done int64)) (VerifyResult, error) {
	v := &verifier{}
	for {
		if err := v.walk(ctx, q, progress); err != nil {
			return VerifyResult{}, err
		}
		if v.problem != nil {
			return v.result(), nil
		}
		// The head is read after the records: a transaction that commits
		// while we walk can only move it forward, and then its records are
		// visible too, so walk on to them.
		headSeq, headHash, err := Head(ctx, q)
		if err != nil {
			return VerifyResult{}, fmt.Errorf("audit: read head: %w", err)
		}
		if headSeq > v.lastSeq {
			more, err := v.hasMore(ctx, q)
			if err != nil {
				return VerifyResult{}, err
			}
			if more {
				continue
			}
		}
		v.checkHead(headSeq, headHash)
		return v.result(), nil
	}
}

// verifier carries the walk's state from batch to batch.
type verifier struct {
	records  int64
	lastSeq  int64
	lastHash string
	problem  *Problem
}

func (v *verifier) result() VerifyResult {
	return VerifyResult{Records: v.records, OK: v.problem == nil, Problem: v.problem}
}

func (v *verifier) fail(seq int64, kind, format string, args ...any) {
	v.problem = &Problem{Seq: seq, Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// walk checks records after lastSeq until the log ends or a problem appears.
func (v *verifier) walk(ctx context.Context, q sqldb.Querier, progress func(int64)) error {
	for {
		batch, err := List(ctx, q, Filter{AllCompanies: true, AfterSeq: v.lastSeq, Limit: verifyBatch})
		if err != nil {
			return err
		}
		for i := range batch {
			v.records++
			if !v.check(&batch[i]) {
				return nil
			}
			v.lastSeq, v.lastHash = batch[i].Seq, batch[i].Hash
		}
		if progress != nil && len(batch) > 0 {
			progress(v.records)
		}
		if len(batch) < verifyBatch {
			return nil
		}
	}
}

func (v *verifier) hasMore(ctx context.Context, q sqldb.Querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE seq > ? LIMIT 1) t`, v.lastSeq).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("audit: look for new records: %w", err)
	}
	return n > 0, nil
}

// check verifies one record against its predecessor and reports whether the
// walk may go on.
func (v *verifier) check(r *Record) bool {
	want := v.lastSeq + 1
	hashOK := r.Hash == r.ComputeHash()
	if !hashOK {
		if d, ok := shifted(r); ok {
			v.renumbered(r, d)
			return false
		}
	}
	switch {
	case r.Seq > want && v.lastSeq == 0:
		v.fail(want, KindDeleted, "record(s) 1 to %d were deleted: the log starts at record %d", r.Seq-1, r.Seq)
	case r.Seq > want:
		v.fail(want, KindDeleted, "record(s) after %d were deleted: next record is %d", v.lastSeq, r.Seq)
	case !hashOK:
		v.fail(r.Seq, KindAltered, "record %d was altered: its content no longer matches its hash", r.Seq)
	case r.PrevHash != v.lastHash && v.lastSeq == 0:
		v.fail(r.Seq, KindAltered, "record 1 was altered and its hash recomputed: the first record must not point to a previous one")
	case r.PrevHash != v.lastHash:
		// Both records hash correctly, so either the previous one was edited
		// and re-hashed (this one still holds its former hash), or this one
		// was written by hand with a wrong link. The first is the attack that
		// gets further, and it is what the broken link proves.
		v.fail(v.lastSeq, KindAltered, "record %d was altered and its hash recomputed: record %d's prev_hash no longer matches it (or record %d was inserted)", v.lastSeq, r.Seq, r.Seq)
	default:
		return true
	}
	return false
}

// shifted reports whether r hashes correctly under another sequence number,
// which means it was renumbered by d (its original seq is r.Seq+d).
func shifted(r *Record) (int64, bool) {
	c := *r
	for d := int64(1); d <= maxShift; d++ {
		for _, s := range []int64{d, -d} {
			c.Seq = r.Seq + s
			if c.Seq > 0 && c.ComputeHash() == r.Hash {
				return s, true
			}
		}
	}
	return 0, false
}

// renumbered reports a record that moved by d places: rows were inserted
// before it (d < 0) or deleted before it and the rest closed up (d > 0).
func (v *verifier) renumbered(r *Record, d int64) {
	orig := r.Seq + d
	if d < 0 {
		// The records at orig … r.Seq-1 are the inserted ones.
		what := fmt.Sprintf("record %d was inserted", orig)
		if r.Seq-orig > 1 {
			what = fmt.Sprintf("records %d to %d were inserted", orig, r.Seq-1)
		}
		v.fail(orig, KindInserted, "%s: record %d is the former record %d, renumbered", what, r.Seq, orig)
		return
	}
	v.fail(r.Seq, KindDeleted, "record(s) %d to %d were deleted and later records renumbered: record %d is the former record %d", r.Seq, orig-1, r.Seq, orig)
}

// checkHead compares the end of the log with audit_head.
func (v *verifier) checkHead(seq int64, hash string) {
	switch {
	case v.lastSeq < seq:
		v.fail(v.lastSeq+1, KindDeleted, "the log ends at %d but the head says %d: records were deleted at the end", v.lastSeq, seq)
	case v.lastSeq > seq:
		v.fail(seq+1, KindInserted, "record %d was inserted at the end: the log goes on to %d but the head says %d", seq+1, v.lastSeq, seq)
	case hash != v.lastHash:
		v.fail(seq, KindAltered, "record %d was altered and its hash recomputed: the head holds a different hash (or records after %d were deleted and the head moved back)", seq, seq)
	}
}
