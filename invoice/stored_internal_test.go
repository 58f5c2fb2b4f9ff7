package invoice

import "testing"

func TestSameChildren_EqualDraftsNeedNoRewrite(t *testing.T) {
	a := Document{Lines: []Line{{LineNo: 1, TaxCodes: []string{"VAT19"}, Dimensions: map[string]string{}}}, Allowances: []Allowance{}, Taxes: []TaxSubtotal{{TaxCode: "VAT19"}},
		Installments: []Installment{{Amount: 5, EntryLine: 0}}}
	b := Document{Lines: []Line{{LineNo: 1, TaxCodes: []string{"VAT19"}}}, Taxes: []TaxSubtotal{{TaxCode: "VAT19"}}, Installments: []Installment{{Amount: 5, EntryLine: 1}}}
	if !sameChildren(&a, &b) {
		t.Error("equal children seen as different")
	}
	b.Taxes[0].TaxAmount = 1
	if sameChildren(&a, &b) {
		t.Error("a changed tax seen as equal")
	}
}
