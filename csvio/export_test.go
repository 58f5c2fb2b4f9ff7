package csvio_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"backoffice/csvio"
)

func TestNeutralize_PrefixesFormulasButNotNumbers(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@cmd", "'@cmd"},
		{"\t=1", "'\t=1"},
		{"-", "'-"},
		{"-12.50", "-12.50"},
		{"+7", "+7"},
		{"-0,5", "-0,5"},
		{"-12.", "'-12."},
		{"12-3", "12-3"},
		{"Ann", "Ann"},
		{"", ""},
	}
	for _, c := range cases {
		if got := csvio.Neutralize(c.in); got != c.want {
			t.Errorf("Neutralize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExport_WritesRFC4180(t *testing.T) {
	var b bytes.Buffer
	rows := slices.Values([][]string{{"Doe, Ann", "say \"hi\""}, {"two\nlines", "=1+1"}, {"-12.50", ""}})
	if err := csvio.Export(&b, []string{"name", "note"}, rows); err != nil {
		t.Fatal(err)
	}
	want := "name,note\r\n\"Doe, Ann\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",'=1+1\r\n-12.50,\r\n"
	if b.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestExport_RejectsRowsOfTheWrongWidth(t *testing.T) {
	err := csvio.Export(&bytes.Buffer{}, []string{"a", "b"}, slices.Values([][]string{{"1"}}))
	if err == nil || !strings.Contains(err.Error(), "row 1 has 1 cells") {
		t.Fatalf("error %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestExport_ReturnsWriteErrors(t *testing.T) {
	if err := csvio.Export(failingWriter{}, []string{"a"}, slices.Values([][]string{{"1"}})); err == nil {
		t.Fatal("write error swallowed")
	}
}

func TestExport_ReadsBackThroughImport(t *testing.T) {
	want := []user{{"ann@x.org", "Doe, Ann \"the\"\nsecond line", "admin"}, {"bob@x.org", "Bob", "clerk"}}
	var b bytes.Buffer
	rows := func(yield func([]string) bool) {
		for _, u := range want {
			if !yield([]string{u.Email, u.Name, u.Role}) {
				return
			}
		}
	}
	if err := csvio.Export(&b, []string{"email", "name", "role"}, rows); err != nil {
		t.Fatal(err)
	}
	c := &committer{}
	if _, err := csvio.Import(context.Background(), &b, userSchema(), csvio.Options{}, c.commit); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.items, want) || !slices.Equal(c.lines, []int{2, 4}) {
		t.Fatalf("read back %+v at %v", c.items, c.lines)
	}
}
