package mt940

import (
	"strings"
	"testing"

	"backoffice/bank/statement"
)

func TestParseDetails_GermanStructured(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  details
	}{{
		name: "SEPA keywords, wrapped subfields, question mark separator",
		lines: []string{
			"171?00SEPA LASTSCHRIFT?10281?20EREF+TRX-0A4A47C3-F846-4729?21-8A1B-5DF620F?22MREF+CAC97D2144174318AC18D9",
			"?23BF815BD4FB?24CRED+DE98ZZZ09999999999?25SVWZ+FOO BAR?30HYVEDEMMXXX?31DE89370400440532013000?32Peter Pan?33 GmbH?34171",
		},
		want: details{gvc: "171", endToEnd: "TRX-0A4A47C3-F846-4729-8A1B-5DF620F", mandate: "CAC97D2144174318AC18D9BF815BD4FB",
			creditor: "DE98ZZZ09999999999", remittance: "FOO BAR",
			party: statement.Party{Name: "Peter Pan GmbH", IBAN: "DE89370400440532013000", BIC: "HYVEDEMMXXX"}},
	}, {
		name:  "other separator declared after the code, no SEPA keywords",
		lines: []string{"000>100987654321", ">20ALGEMENE TUSSENREKENING KOS>21TEN VAN 01-10", ">310390123456"},
		want:  details{gvc: "000", remittance: "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10"},
	}, {
		name:  "purpose in ?60 to ?63 and posting text fallback",
		lines: []string{"805?00ENTGELTABSCHLUSS?106666?60Pauschalen"},
		want:  details{gvc: "805", remittance: "Pauschalen"},
	}, {
		name:  "no purpose: posting text",
		lines: []string{"805?00ENTGELTABSCHLUSS?106666"},
		want:  details{gvc: "805", remittance: "ENTGELTABSCHLUSS"},
	}, {
		name:  "IBAN+ and BIC+ inside the purpose",
		lines: []string{"166?20SVWZ+Rechnung 12?21IBAN+DE89370400440532013000?22BIC+COBADEFFXXX?32Max"},
		want:  details{gvc: "166", remittance: "Rechnung 12", party: statement.Party{Name: "Max", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}},
	}, {
		name:  "empty structured field",
		lines: []string{"091"},
		want:  details{gvc: "091"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseDetails(c.lines); got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestParseDetails_DutchStructured(t *testing.T) {
	cases := []struct {
		name string
		text string
		want details
	}{{
		name: "ABN AMRO SEPA",
		text: "/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/J. JANSEN/REMI/FACTUUR 12/05/EREF/E2E-1",
		want: details{party: statement.Party{Name: "J. JANSEN", IBAN: "NL44RABO0123456789", BIC: "RABONL2U"}, remittance: "FACTUUR 12/05", endToEnd: "E2E-1"},
	}, {
		name: "Rabobank BENM with empty values",
		text: "/EREF/01-01-2013 12:00 0030000987654321/BENM//NAME/CONTRA ACCOUNT HOLDER/REMI//ISDT/2013-07-11",
		want: details{party: statement.Party{Name: "CONTRA ACCOUNT HOLDER"}, endToEnd: "01-01-2013 12:00 0030000987654321"},
	}, {
		name: "ING counterparty and unstructured remittance",
		text: "/CNTP/NL09INGB0001234567/INGBNL2A/Hr J Jansen/AMSTERDAM/REMI/USTD//Huur mei/MARF/M-1/CSID/NL00ZZZ123/EREF/NOTPROVIDED",
		want: details{party: statement.Party{Name: "Hr J Jansen", IBAN: "NL09INGB0001234567", BIC: "INGBNL2A"}, remittance: "Huur mei", mandate: "M-1", creditor: "NL00ZZZ123"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseDetails([]string{c.text}); got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestParseDetails_FreeTextUnwrapsFullLines(t *testing.T) {
	full := strings.Repeat("A", 60) + "CONTR"
	got := parseDetails([]string{full, "ACT HOLDER", "line two"}).remittance
	if want := strings.Repeat("A", 60) + "CONTRACT HOLDER line two"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
