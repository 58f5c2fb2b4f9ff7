package events

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"backoffice"
)

// Sign returns the Backoffice-Signature header value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>". Signing the
// time with the body lets receivers refuse replays of old requests.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// VerifySignature checks a Backoffice-Signature header against body and the
// webhook's secret. It fails when the header is malformed, when no v1
// signature matches, or when the signed time is more than tolerance away from
// now (a tolerance of 0 skips the time check). Receivers should use a few
// minutes of tolerance.
func VerifySignature(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok:
			continue
		case k == "t":
			ts = v
		case k == "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return backoffice.Errorf(backoffice.EUnauthorized, `signature header must look like "t=<unix seconds>,v1=<hex>"`)
	}
	if tolerance > 0 {
		if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
			return backoffice.Errorf(backoffice.EUnauthorized, "signature time is %v away from now, more than the %v allowed", d.Round(time.Second), tolerance)
		}
	}
	want := []byte(mac(secret, ts, body))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			return nil
		}
	}
	return backoffice.Errorf(backoffice.EUnauthorized, "signature does not match the body and secret")
}
