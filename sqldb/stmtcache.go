package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCacheSize bounds the cache; queries built with a varying number of
// placeholders could otherwise grow it without end.
const stmtCacheSize = 2000

// stmtCache keeps prepared statements by query text, for SQLite only.
// modernc.org/sqlite parses a query's SQL on every call; parsing was half of
// the cost of an authenticated request (175 µs, pprof) before statements were
// reused. PostgreSQL needs no cache: pgx keeps its own per connection.
type stmtCache struct {
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// get returns the statement for query, preparing it on first use; nil when
// the cache is off or full, or the query does not prepare (its error then
// shows when the caller runs it unprepared).
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st := c.lookup(query); st != nil {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= stmtCacheSize {
		return nil
	}
	st, err := db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st
}

// lookup returns the cached statement for query without preparing it.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}
