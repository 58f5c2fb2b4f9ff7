// Package access decides who may do what: companies, users, roles and their
// permissions, memberships (one role per user per company), browser sessions
// with optional TOTP, API tokens, and sign-in throttling. It holds no HTTP
// code; the web package asks it for a Principal and checks Principal.Can.
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Service holds the dependencies of every access use case.
type Service struct {
	DB    *sqldb.DB
	Audit *audit.Log
	Now   func() time.Time // clock; time.Now when nil

	// Argon2 sets the cost of new password hashes; the zero value means
	// DefaultArgon2(). Tests lower it to keep the suite fast. Existing hashes
	// carry their own parameters and are re-hashed at the next sign-in when
	// these change.
	Argon2 Argon2Params

	cacheOnce sync.Once
	cache     *principalCache
}

// principals returns the process's principal cache.
func (s *Service) principals() *principalCache {
	s.cacheOnce.Do(func() { s.cache = &principalCache{} })
	return s.cache
}

// now is the service clock in UTC, cut to microseconds because PostgreSQL
// keeps no more, so a value written and read back compares equal.
func (s *Service) now() time.Time {
	t := time.Now()
	if s.Now != nil {
		t = s.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// appendLog records changes in the change log as the last step of tx, and
// moves the access generation so every node drops its cached principals.
func (s *Service) appendLog(ctx context.Context, tx *sqldb.Tx, changes ...audit.Change) error {
	if err := bumpGeneration(ctx, tx); err != nil {
		return err
	}
	_, err := s.Audit.Append(ctx, tx, changes...)
	return err
}

// diff returns the changed fields between two versions of a record for the
// change log, leaving out bookkeeping fields that change on every update.
func diff(before, after any) (map[string]any, map[string]any, error) {
	old, new, err := audit.Diff(before, after)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range []string{"updated_at", "version", "last_login_at"} {
		delete(old, k)
		delete(new, k)
	}
	return old, new, nil
}

// created returns every field of a new record for the change log.
func created(v any) (map[string]any, error) {
	m, err := audit.Fields(v)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"created_at", "updated_at", "version"} {
		delete(m, k)
	}
	return m, nil
}

func notFound(what string) error {
	return backoffice.Errorf(backoffice.ENotFound, "%s not found", what)
}

func stale(what string) error {
	return backoffice.Errorf(backoffice.EPrecondition, "the %s was changed by someone else; reload it and try again", what)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("access: no randomness: %v", err)) // crypto/rand never fails on supported systems
	}
	return hex.EncodeToString(b)
}

// sha256Hex is how session tokens, API tokens and recovery codes are stored:
// they are long random values, so a fast hash is enough to make a stolen
// database useless for signing in.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func nullID(id backoffice.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

func idText(id backoffice.ID) string { return id.String() }
