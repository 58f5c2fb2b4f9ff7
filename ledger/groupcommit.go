package ledger

import (
	"context"
	"sync"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// Poster posts single entries through group commit: concurrent Post calls
// share one transaction, so each commit (and, on PostgreSQL, its WAL flush)
// serves many callers. Every caller is answered only after the commit that
// holds its entry. The committing goroutine validates the group's entries
// one by one before the shared transaction, reading each account and
// journal once per group, so a bad entry fails alone; if the shared
// transaction fails anyway, its entries are retried one per transaction.
//
// The zero value needs only Service. A Poster may be shared by any number
// of goroutines; it runs one committing goroutine while work is waiting and
// none when idle.
type Poster struct {
	Service *Service
	// MaxEntries is the most entries one transaction takes (default 512).
	MaxEntries int
	// MaxWait is how long a commit waits for more callers once several are
	// arriving at a time (default 1 ms). A lone caller never waits.
	MaxWait time.Duration

	mu      sync.Mutex
	queue   []*request
	running bool
	full    chan struct{}
}

type request struct {
	ctx     context.Context
	company backoffice.ID
	in      NewEntry
	p       *prepared
	out     Entry
	err     error
	done    chan struct{}
}

func (g *Poster) limits() (int, time.Duration) {
	n, wait := g.MaxEntries, g.MaxWait
	if n <= 0 {
		n = 512
	}
	if wait <= 0 {
		wait = time.Millisecond
	}
	return n, wait
}

// Post validates the entry and posts it in the next group commit. It has
// Service.Post's contract: the returned entry is durable.
func (g *Poster) Post(ctx context.Context, companyID backoffice.ID, in NewEntry) (Entry, error) {
	r := &request{ctx: context.WithoutCancel(ctx), company: companyID, in: in, done: make(chan struct{})}
	max, _ := g.limits()
	g.mu.Lock()
	if g.full == nil {
		g.full = make(chan struct{}, 1)
	}
	g.queue = append(g.queue, r)
	if len(g.queue) >= max {
		select {
		case g.full <- struct{}{}:
		default:
		}
	}
	if !g.running {
		g.running = true
		go g.run()
	}
	g.mu.Unlock()
	<-r.done
	return r.out, r.err
}

// run commits queued entries until the queue is empty. A commit starts at
// once with whatever is queued; callers arriving during a commit form the
// next group. When the last group had more than one entry, concurrency is
// high, and waiting up to MaxWait for more (or for MaxEntries) pays off.
func (g *Poster) run() {
	max, wait := g.limits()
	last := 0
	for {
		if last > 1 {
			g.await(max, wait)
		}
		g.mu.Lock()
		n := min(len(g.queue), max)
		batch := g.queue[:n:n]
		g.queue = g.queue[n:]
		if n == 0 {
			g.running = false
			g.queue = nil
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		g.commit(batch)
		last = n
	}
}

// await waits until MaxEntries are queued or MaxWait has passed.
func (g *Poster) await(max int, wait time.Duration) {
	g.mu.Lock()
	enough := len(g.queue) >= max
	g.mu.Unlock()
	if enough {
		return
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-g.full:
	case <-t.C:
	}
}

// commit validates a group and posts its valid entries in one transaction,
// or one by one when that fails.
func (g *Poster) commit(group []*request) {
	defer func() {
		for _, r := range group {
			close(r.done)
		}
	}()
	s := g.Service
	l := newLookup(s.DB)
	var batch []*request
	var ps []*prepared
	for _, r := range group {
		v := backoffice.Validation{}
		p, err := s.prepare(r.ctx, l, r.company, r.in, v, "")
		switch {
		case err != nil:
			r.err = err
		case len(v) > 0:
			r.err = v.Err("entry")
		case p.existing != nil:
			r.out = *p.existing
		default:
			r.p = p
			batch, ps = append(batch, r), append(ps, p)
		}
	}
	if len(batch) == 0 {
		return
	}
	ctx := batch[0].ctx
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error { return s.postTx(ctx, tx, ps) })
	if err == nil {
		for _, r := range batch {
			r.out = r.p.out
		}
		return
	}
	if len(batch) == 1 {
		batch[0].out, batch[0].err = s.answerFailed(ctx, batch[0].p, err)
		return
	}
	for _, r := range batch {
		r.p.out = Entry{}
		r.out, r.err = s.commitOne(r.ctx, r.p)
	}
}

// answerFailed turns a failed single posting into its answer: a lost race
// on an idempotency key answers with the winner.
func (s *Service) answerFailed(ctx context.Context, p *prepared, err error) (Entry, error) {
	if sqldb.IsUniqueViolation(err) && p.in.IdempotencyKey != "" {
		if rerr := s.replay(ctx, s.DB, p, ""); rerr != nil {
			return Entry{}, rerr
		}
		if p.existing != nil {
			return *p.existing, nil
		}
	}
	return Entry{}, err
}
