package backoffice_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"backoffice"
)

func TestDate_AddMonthsClampsToTheMonthEnd(t *testing.T) {
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-05-31", 12, "2027-05-31"},
	}
	for _, c := range cases {
		d, err := backoffice.ParseDate(c.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AddMonths(c.n).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestDate_ScansBothDialectsForms(t *testing.T) {
	var d backoffice.Date
	for _, src := range []any{"2026-02-03", []byte("2026-02-03"), "2026-02-03 00:00:00+00:00", time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)} {
		if err := d.Scan(src); err != nil || d.String() != "2026-02-03" {
			t.Errorf("Scan(%#v) = %s, %v", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %s, %v", d, err)
	}
	if v, _ := d.Value(); v != nil {
		t.Errorf("zero date stored as %v, want NULL", v)
	}
}

func TestDate_JSONAndValidation(t *testing.T) {
	var v struct {
		D backoffice.Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &v); err == nil {
		t.Error("February 30th accepted")
	}
	if err := json.Unmarshal([]byte(`{"d":"2026-02-28"}`), &v); err != nil || v.D.DaysUntil(backoffice.NewDate(2026, 3, 1)) != 1 {
		t.Errorf("unmarshal: %+v %v", v, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"2026-02-28"}` {
		t.Errorf("marshal: %s", b)
	}
}

func TestHTTPStatus_MapsEveryCode(t *testing.T) {
	cases := map[string]int{
		backoffice.EInvalid: 422, backoffice.ENotFound: 404, backoffice.EConflict: 409, backoffice.EUnauthorized: 401,
		backoffice.EForbidden: 403, backoffice.EPrecondition: 412, backoffice.ETooLarge: 413, backoffice.ETooManyRequests: 429,
		backoffice.EPeriodClosed: 422, backoffice.ELimitExceeded: 422, backoffice.EUnsupported: 415, backoffice.EInternal: 500,
		"something new": http.StatusInternalServerError,
	}
	for code, want := range cases {
		if got := backoffice.HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestValidation_ReportsEveryField(t *testing.T) {
	v := backoffice.Validation{}
	v.Check(false, "email", "is required")
	v.Check(true, "name", "is fine")
	v.Add("email", "second message is ignored")
	v.Add("amount", "must be positive")
	err := v.Err("invoice")
	var e *backoffice.Error
	if !errors.As(err, &e) || len(e.Fields) != 2 || e.Fields["email"] != "is required" || backoffice.ErrorCode(err) != backoffice.EInvalid {
		t.Fatalf("Err = %#v", err)
	}
	if (backoffice.Validation{}).Err("x") != nil {
		t.Fatal("empty validation is an error")
	}
	if msg := backoffice.ErrorMessage(errors.New("db down")); msg == "db down" {
		t.Fatal("internal error text leaks to users")
	}
}
