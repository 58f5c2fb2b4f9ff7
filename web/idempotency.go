package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// idempotencyTTL is how long a stored answer is replayed for a retried key.
const idempotencyTTL = 24 * time.Hour

// captureWriter keeps a copy of the response so it can be replayed.
type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// idempotent makes a POST safe to retry: the first request with a key is run
// and its answer stored; a retry with the same key and the same body gets that
// answer again (Idempotent-Replayed: true) without running anything; the same
// key with another body is a conflict. Keys are per caller, so two users
// cannot collide. A key whose first request is still running answers 409.
func (s *Server) idempotent(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key := r.Header.Get("Idempotency-Key")
		if len(key) > 255 {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "Idempotency-Key is too long", Fields: map[string]string{"Idempotency-Key": "at most 255 characters"}}
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return jsonError(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.RequestURI()+"\n"), body...))
		bodyHash := hex.EncodeToString(sum[:])
		owner := principal(r).Actor("").Label()
		ctx := r.Context()
		now := s.now().UTC()

		// Claim the key with a placeholder row (status 0). Whoever inserts it runs the request.
		res, err := s.DB.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, idem_key, method, path, body_hash, status, content_type, response, created_at)
			VALUES (?, ?, ?, ?, ?, 0, '', ?, ?) ON CONFLICT (principal, idem_key) DO NOTHING`,
			owner, key, r.Method, r.URL.Path, bodyHash, []byte{}, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return s.replay(w, r, owner, key, bodyHash, now)
		}
		cw := &captureWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				// Free the key, or every retry would wait 24 hours on a request that died.
				_, _ = s.DB.ExecContext(context.WithoutCancel(ctx), `DELETE FROM idempotency_keys WHERE principal = ? AND idem_key = ?`, owner, key)
				panic(p)
			}
		}()
		if herr := next(cw, r); herr != nil {
			// A refused request is an answer too: a retry gets the same refusal.
			s.writeProblem(cw, r, herr)
		}
		if cw.status >= 500 {
			// Our failure, not the caller's: let a retry run again.
			_, _ = s.DB.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE principal = ? AND idem_key = ?`, owner, key)
			return nil
		}
		_, err = s.DB.ExecContext(ctx, `UPDATE idempotency_keys SET status = ?, content_type = ?, response = ? WHERE principal = ? AND idem_key = ?`,
			cw.status, cw.Header().Get("Content-Type"), cw.body.Bytes(), owner, key)
		if err != nil {
			s.logger().ErrorContext(ctx, "store idempotent answer", "err", err, "request_id", requestID(ctx))
		}
		return nil
	}
}

func (s *Server) replay(w http.ResponseWriter, r *http.Request, owner, key, bodyHash string, now time.Time) error {
	var (
		storedHash, contentType string
		status                  int
		response                []byte
		created                 time.Time
	)
	err := s.DB.QueryRowContext(r.Context(), `SELECT body_hash, status, content_type, response, created_at FROM idempotency_keys WHERE principal = ? AND idem_key = ?`,
		owner, key).Scan(&storedHash, &status, &contentType, &response, &created)
	if err != nil {
		return err
	}
	switch {
	case storedHash != bodyHash:
		return backoffice.Errorf(backoffice.EConflict, "Idempotency-Key %q was already used for a different request; use a new key for a new request", key)
	case status == 0:
		return backoffice.Errorf(backoffice.EConflict, "a request with Idempotency-Key %q is still being processed; retry in a moment", key)
	}
	if now.Sub(created) > idempotencyTTL {
		return backoffice.Errorf(backoffice.EConflict, "Idempotency-Key %q expired after %s; use a new key", key, idempotencyTTL)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(status)
	_, err = w.Write(response)
	return err
}

// PurgeIdempotencyKeys deletes stored answers older than the replay window.
func PurgeIdempotencyKeys(ctx context.Context, q sqldb.Querier, now time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, now.Add(-idempotencyTTL).UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
