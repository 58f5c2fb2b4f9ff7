package csvio_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"backoffice"
	"backoffice/csvio"
)

type user struct {
	Email, Name, Role string
}

func userSchema() csvio.Schema[user] {
	return csvio.Schema[user]{
		Entity: "user",
		Columns: []csvio.Column{
			{Name: "email", Required: true, Help: "the e-mail address the user signs in with"},
			{Name: "name", Required: true, Help: "the full name"},
			{Name: "role", Help: "admin or clerk; clerk when empty"},
		},
		Parse: func(r csvio.Row) (user, error) {
			u := user{Email: r.Get("email"), Name: r.Get("name"), Role: r.Get("role")}
			if u.Role == "" {
				u.Role = "clerk"
			}
			v := backoffice.Validation{}
			v.Check(u.Email == "" || strings.Contains(u.Email, "@"), "email", "not an e-mail address")
			v.Check(u.Role == "admin" || u.Role == "clerk", "role", "must be admin or clerk")
			return u, v.Err("user")
		},
	}
}

// committer records what commit received.
type committer struct {
	calls int
	items []user
	lines []int
	err   error
}

func (c *committer) commit(_ context.Context, items []user, lines []int) error {
	c.calls++
	c.items, c.lines = items, lines
	return c.err
}

func run(t *testing.T, input string, opts csvio.Options) (csvio.Report, error, *committer) {
	t.Helper()
	c := &committer{}
	rep, err := csvio.Import(context.Background(), strings.NewReader(input), userSchema(), opts, c.commit)
	return rep, err, c
}

func TestImport_CommitsEveryRowOnceWithItsLine(t *testing.T) {
	rep, err, c := run(t, "email,name,role\nann@x.org,Ann,admin\nbob@x.org,Bob,\n", csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []user{{"ann@x.org", "Ann", "admin"}, {"bob@x.org", "Bob", "clerk"}}
	if c.calls != 1 || !reflect.DeepEqual(c.items, want) || !reflect.DeepEqual(c.lines, []int{2, 3}) {
		t.Fatalf("commit called %d times with %v %v", c.calls, c.items, c.lines)
	}
	if rep.Rows != 2 || rep.Imported != 2 || rep.DryRun || len(rep.Errors) != 0 {
		t.Fatalf("report %+v", rep)
	}
}

func TestImport_ReadsEveryDialectOfTheSameFile(t *testing.T) {
	cases := map[string]string{
		"comma":             "email,name\nann@x.org,Ann\n",
		"semicolon":         "email;name\nann@x.org;Ann\n",
		"tab":               "email\tname\nann@x.org\tAnn\n",
		"byte order mark":   "\ufeffemail,name\nann@x.org,Ann\n",
		"BOM and semicolon": "\ufeffemail;name\r\nann@x.org;Ann\r\n",
		"header case/space": " EMAIL , Name\nann@x.org,Ann\n",
		"quoted header":     "\"email\";\"name\"\nann@x.org;Ann\n",
		"no final newline":  "email,name\nann@x.org,Ann",
		"padded values":     "email,name\n  ann@x.org  , Ann \n",
		"blank lines":       "email,name\n\nann@x.org,Ann\n\n",
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			_, err, c := run(t, input, csvio.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.items) != 1 || c.items[0] != (user{"ann@x.org", "Ann", "clerk"}) {
				t.Fatalf("items %+v", c.items)
			}
		})
	}
}

func TestImport_SemicolonFileKeepsCommasInValues(t *testing.T) {
	_, err, c := run(t, "email;name\nann@x.org;Doe, Ann\n", csvio.Options{})
	if err != nil || len(c.items) != 1 || c.items[0].Name != "Doe, Ann" {
		t.Fatalf("items %+v err %v", c.items, err)
	}
}

func TestImport_NamesUnknownDuplicateAndMissingColumns(t *testing.T) {
	rep, err, c := run(t, "Email,Phone,email,\nann@x.org,1,ann@x.org,\n", csvio.Options{})
	want := []csvio.RowError{
		{Line: 1, Column: "Phone", Message: "unknown column: expected one of email, name, role"},
		{Line: 1, Column: "email", Message: "the column appears more than once"},
		{Line: 1, Message: "column 4 has no name"},
		{Line: 1, Column: "name", Message: "required column is missing"},
	}
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !reflect.DeepEqual(rep.Errors, want) {
		t.Fatalf("errors %+v (%v), want %+v", rep.Errors, err, want)
	}
	if c.calls != 0 {
		t.Fatal("commit called despite a bad header")
	}
}

func TestImport_ReportsEveryBadRowAtOnceWithItsPhysicalLine(t *testing.T) {
	input := "email,name,role\n" + // line 1
		"ann@x.org,\"Ann\nof two lines\",admin\n" + // lines 2-3, valid
		"bob,Bob,boss\n" + // line 4: email and role bad
		"\"carl@x.org\",\"Carl \"\"the\"\"\n\nthird\",\n" + // lines 5-7, valid
		",Dora,\n" + // line 8: email required
		"eve@x.org,,clerk,extra\n" + // line 9: wrong cell count
		"fay@x.org,Fay,clerk\n" // line 10: valid
	rep, err, c := run(t, input, csvio.Options{})
	want := []csvio.RowError{
		{Line: 4, Column: "email", Message: "not an e-mail address"},
		{Line: 4, Column: "role", Message: "must be admin or clerk"},
		{Line: 8, Column: "email", Message: "required: the e-mail address the user signs in with"},
		{Line: 9, Message: "the row has 4 cells but the header has 3 columns"},
	}
	if !reflect.DeepEqual(rep.Errors, want) {
		t.Fatalf("errors\n%+v\nwant\n%+v", rep.Errors, want)
	}
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), "4 problems in the user file, nothing was imported") {
		t.Fatalf("error %v", err)
	}
	if c.calls != 0 || rep.Imported != 0 || rep.Rows != 6 {
		t.Fatalf("commit calls %d, report %+v", c.calls, rep)
	}
}

func TestImport_DryRunValidatesButCommitsNothing(t *testing.T) {
	rep, err, c := run(t, "email,name\nann@x.org,Ann\n", csvio.Options{DryRun: true})
	if err != nil || c.calls != 0 || !rep.DryRun || rep.Rows != 1 || rep.Imported != 0 {
		t.Fatalf("dry run: %+v %v, %d commits", rep, err, c.calls)
	}
	rep, err, _ = run(t, "email,name\nann,Ann\n", csvio.Options{DryRun: true})
	if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Line != 2 {
		t.Fatalf("dry run of a bad file: %+v %v", rep, err)
	}
}

func TestImport_ExplainsFilesThatCannotBeRead(t *testing.T) {
	cases := []struct {
		name, input string
		opts        csvio.Options
		code, msg   string
	}{
		{"empty", "", csvio.Options{}, backoffice.EInvalid, "the file is empty: its first line must name the columns (email, name, role)"},
		{"only a BOM", "\ufeff", csvio.Options{}, backoffice.EInvalid, "the file is empty"},
		{"header only", "email,name\n", csvio.Options{}, backoffice.EInvalid, "the file has a header line but no rows to import"},
		{"header and blank lines", "email,name\n\n\n", csvio.Options{}, backoffice.EInvalid, "no rows to import"},
		{"unclosed quote", "email,name\nann@x.org,\"Ann\n", csvio.Options{}, backoffice.EInvalid, "a quoted value is not closed"},
		{"bare quote", "email,name\nann@x.org,An\"n\n", csvio.Options{}, backoffice.EInvalid, "line 2, character 13: a quote (\") appears inside an unquoted value"},
		{"too many rows", "email,name\na@x,A\nb@x,B\nc@x,C\n", csvio.Options{MaxRows: 2}, backoffice.ETooLarge, "more than 2 rows"},
		{"file too large", "email,name\n" + strings.Repeat("a@x,A\n", 100), csvio.Options{MaxFileSize: 100}, backoffice.ETooLarge, "larger than 100 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err, cm := run(t, c.input, c.opts)
			if backoffice.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v (%s), want %s containing %q", err, backoffice.ErrorCode(err), c.code, c.msg)
			}
			if cm.calls != 0 {
				t.Fatal("commit called")
			}
		})
	}
}

func TestImport_RejectsOversizedAndNonUTF8Cells(t *testing.T) {
	input := "email,name\nann@x.org," + strings.Repeat("A", 11) + "\nbob@x.org,B\xffb\n"
	rep, err, c := run(t, input, csvio.Options{MaxFieldSize: 10})
	want := []csvio.RowError{
		{Line: 2, Column: "name", Message: "the value is 11 bytes long; the limit is 10"},
		{Line: 3, Column: "name", Message: "the value is not valid UTF-8: save the file as UTF-8"},
	}
	if err == nil || !reflect.DeepEqual(rep.Errors, want) || c.calls != 0 {
		t.Fatalf("errors %+v (%v)", rep.Errors, err)
	}
}

func TestImport_CommitErrorNamingAnItemBecomesARowError(t *testing.T) {
	c := &committer{err: errors.Join(
		&csvio.ItemError{Index: 1, Column: "email", Err: backoffice.Errorf(backoffice.EConflict, "a user with this e-mail exists")},
		&csvio.ItemError{Index: 2, Err: errors.New("row refused")},
	)}
	input := "email,name\nann@x.org,Ann\n\"bob@x.org\",\"Bob\nBobson\"\ncarl@x.org,Carl\n"
	rep, err := csvio.Import(context.Background(), strings.NewReader(input), userSchema(), csvio.Options{}, c.commit)
	want := []csvio.RowError{
		{Line: 3, Column: "email", Message: "a user with this e-mail exists"},
		{Line: 5, Message: "row refused"},
	}
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !reflect.DeepEqual(rep.Errors, want) || rep.Imported != 0 {
		t.Fatalf("report %+v, error %v", rep, err)
	}
}

func TestImport_OtherCommitErrorsAreReturned(t *testing.T) {
	boom := errors.New("database down")
	c := &committer{err: fmt.Errorf("insert: %w", boom)}
	rep, err := csvio.Import(context.Background(), strings.NewReader("email,name\na@x,A\n"), userSchema(), csvio.Options{}, c.commit)
	if !errors.Is(err, boom) || rep.Imported != 0 || len(rep.Errors) != 0 {
		t.Fatalf("report %+v, error %v", rep, err)
	}
}

func TestImport_ReportsProgressUpToTheTotal(t *testing.T) {
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := range 2500 {
		fmt.Fprintf(&b, "u%d@x.org,U%d\n", i, i)
	}
	var calls [][2]int
	opts := csvio.Options{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
	rep, err, _ := run(t, b.String(), opts)
	if err != nil || rep.Imported != 2500 {
		t.Fatalf("%+v %v", rep, err)
	}
	want := [][2]int{{1000, 2500}, {2000, 2500}, {2500, 2500}}
	if !reflect.DeepEqual(calls, want) {
		t.Fatalf("progress %v, want %v", calls, want)
	}
}

func TestImport_StopsWhenTheContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &committer{}
	_, err := csvio.Import(ctx, strings.NewReader("email,name\na@x,A\n"), userSchema(), csvio.Options{}, c.commit)
	if !errors.Is(err, context.Canceled) || c.calls != 0 {
		t.Fatalf("error %v, %d commits", err, c.calls)
	}
}
