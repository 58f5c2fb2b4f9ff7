package invoice

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/bank/reconcile"
	"backoffice/einvoice"
	"backoffice/party"
)

// E-invoice formats a posted invoice or credit note is exported in.
const (
	FormatUBL = "ubl" // UBL 2.1, Peppol BIS Billing 3.0
	FormatCII = "cii" // UN/CEFACT CII D16B, EN 16931
)

// EInvoice builds the EN 16931 model of a posted invoice or credit note
// (following Peppol BIS Billing 3.0 when seller and buyer both have a Peppol
// endpoint, plain EN 16931 otherwise):
// the seller from the company's details, the buyer from the party, lines
// with their discounts as line allowances, the VAT breakdown, the totals,
// and payment by SEPA credit transfer to the company's IBAN with an ISO
// 11649 creditor reference made from the document number, which bank
// reconciliation recognises.
func (s *Service) EInvoice(ctx context.Context, companyID, id backoffice.ID) (*einvoice.Document, error) {
	d, err := s.Get(ctx, companyID, id)
	if err != nil {
		return nil, err
	}
	if !d.Kind.Sales() {
		return nil, backoffice.Errorf(backoffice.EInvalid, "document %s is a supplier %s: only invoices and credit notes are sent as e-invoices", d.ID, d.Kind)
	}
	if d.State == StateDraft {
		return nil, backoffice.Errorf(backoffice.EConflict, "the draft has no number yet: post it before sending it as an e-invoice")
	}
	if d.Totals.Withheld != 0 {
		return nil, backoffice.Errorf(backoffice.EInvalid, "%s withholds tax, which EN 16931 cannot express", d.Number)
	}
	seller, err := s.Party.Profile(ctx, companyID)
	if err != nil {
		return nil, err
	}
	buyer, err := s.Party.Get(ctx, companyID, d.PartyID)
	if err != nil {
		return nil, err
	}
	exp := d.Currency.Exponent()
	money := func(v int64) einvoice.Amount { return einvoice.MinorAmount(v, exp) }
	out := &einvoice.Document{
		Format: einvoice.FormatUBLInvoice, CustomizationID: einvoice.PeppolCustomizationID, ProfileID: einvoice.PeppolProfileID,
		Number: d.Number, TypeCode: "380", IssueDate: d.IssueDate, DueDate: d.DueDate, Currency: d.Currency,
		BuyerReference: d.Number, PaymentTerms: d.PaymentTerms,
		Seller: sellerParty(seller), Buyer: buyerParty(buyer),
	}
	if out.Seller.EndpointID == "" || out.Buyer.EndpointID == "" {
		// Peppol routes by endpoint: without both, the document is plain EN 16931.
		out.CustomizationID, out.ProfileID = einvoice.EN16931CustomizationID, ""
	}
	if d.Kind == KindCreditNote {
		out.Format, out.TypeCode = einvoice.FormatUBLCreditNote, "381"
		if d.CreditsID != 0 {
			if orig, err := s.Get(ctx, companyID, d.CreditsID); err == nil {
				out.PrecedingInvoice = []string{orig.Number}
			}
		}
	}
	if d.Notes != "" {
		out.Notes = []string{d.Notes}
	}
	if seller.IBAN != "" {
		out.PaymentMeans = []einvoice.PaymentMeans{{Code: "58", ID: reconcile.RFReference(d.Number), Account: seller.IBAN, BIC: seller.BIC}}
	}
	vat := map[string]TaxSubtotal{}
	for _, t := range d.Taxes {
		if t.Type == TaxVAT {
			vat[t.TaxCode] = t
		}
	}
	for _, l := range d.Lines {
		out.Lines = append(out.Lines, lineOf(l, vat, exp))
	}
	for _, a := range d.Allowances {
		t := vat[a.TaxCode]
		out.AllowanceCharges = append(out.AllowanceCharges, einvoice.AllowanceCharge{Charge: a.Charge, Amount: money(a.Amount), Reason: a.Reason,
			ReasonCode: map[bool]string{false: "95", true: "FC"}[a.Charge], VATCategory: t.Category, VATRate: percent(t.Rate)})
	}
	var vatTotal int64
	for _, t := range d.Taxes {
		if t.Type != TaxVAT {
			continue
		}
		vatTotal += t.TaxAmount
		out.VATBreakdown = append(out.VATBreakdown, einvoice.VATSubtotal{Category: t.Category, Rate: percent(t.Rate),
			TaxableAmount: money(t.TaxableAmount), TaxAmount: money(t.TaxAmount), ExemptionReason: t.ExemptionReason, ExemptionReasonCode: t.ExemptionCode})
	}
	tot := d.Totals
	out.LineTotal, out.TaxExclusiveAmount, out.TaxAmount = money(tot.LineTotal), money(tot.TaxExclusive), money(vatTotal)
	out.TaxInclusiveAmount, out.PayableAmount = money(tot.TaxInclusive), money(tot.Payable)
	if tot.AllowanceTotal != 0 {
		out.AllowanceTotal = money(tot.AllowanceTotal)
	}
	if tot.ChargeTotal != 0 {
		out.ChargeTotal = money(tot.ChargeTotal)
	}
	return out, nil
}

// ExportEInvoice writes a posted invoice or credit note as UBL or CII and
// returns the validation report of what it wrote: the native EN 16931 and
// Peppol rules, so a missing buyer endpoint or VAT id is named before the
// file leaves. Validation is most of its time: WriteEInvoice skips it.
func (s *Service) ExportEInvoice(ctx context.Context, companyID, id backoffice.ID, format string, w io.Writer) (einvoice.Report, error) {
	var b bytes.Buffer
	if err := s.WriteEInvoice(ctx, companyID, id, format, &b); err != nil {
		return einvoice.Report{}, err
	}
	rep, err := einvoice.Validate(b.Bytes())
	if err != nil {
		return rep, fmt.Errorf("validate the written e-invoice: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return rep, err
}

// WriteEInvoice writes a posted invoice or credit note as UBL or CII
// without validating it, for bulk exports of documents already checked.
func (s *Service) WriteEInvoice(ctx context.Context, companyID, id backoffice.ID, format string, w io.Writer) error {
	if format != FormatUBL && format != FormatCII {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("format %q is not an e-invoice format: use ubl or cii", format),
			Fields: map[string]string{"format": "must be ubl or cii"}}
	}
	doc, err := s.EInvoice(ctx, companyID, id)
	if err != nil {
		return err
	}
	if format == FormatCII {
		doc.CustomizationID, doc.ProfileID = einvoice.EN16931CustomizationID, ""
		return einvoice.WriteCII(w, doc)
	}
	return einvoice.WriteUBL(w, doc)
}

// lineOf is a document line as EN 16931 has it: net price, quantity, the
// discount as a line allowance, the line's VAT category and rate.
func lineOf(l Line, vat map[string]TaxSubtotal, exp int) einvoice.Line {
	qty, _ := decimal.New(int64(l.Quantity), fixedPlaces)
	out := einvoice.Line{ID: fmt.Sprint(l.LineNo), Name: l.Description, Quantity: einvoice.DecimalAmount(qty.Trim(0)), UnitCode: l.Unit,
		Price: einvoice.MinorAmount(l.UnitPrice, exp), NetAmount: einvoice.MinorAmount(l.NetAmount, exp)}
	for _, code := range l.TaxCodes {
		if t, ok := vat[code]; ok {
			out.VATCategory, out.VATRate = t.Category, percent(t.Rate)
		}
	}
	if l.DiscountPercent != 0 {
		gross := mulFixed(int64(l.Quantity), l.UnitPrice)
		out.AllowanceCharges = []einvoice.AllowanceCharge{{Amount: einvoice.MinorAmount(gross-l.NetAmount, exp),
			BaseAmount: einvoice.MinorAmount(gross, exp), Percent: percent(l.DiscountPercent), ReasonCode: "95", Reason: "Discount"}}
	}
	return out
}

// mulFixed is quantity (four decimals) × price (minor units), rounded half
// away from zero to minor units.
func mulFixed(q, price int64) int64 {
	p := q * price
	r := p % fixedScale
	p /= fixedScale
	if 2*max(r, -r) >= fixedScale {
		if r < 0 {
			p--
		} else {
			p++
		}
	}
	return p
}

// percent is a Percent as an EN 16931 percentage ("19", "7.7").
func percent(p Percent) einvoice.Amount {
	d, _ := decimal.New(int64(p), fixedPlaces)
	return einvoice.DecimalAmount(d.Trim(0))
}

func sellerParty(p party.Profile) einvoice.Party {
	out := einvoice.Party{Name: p.LegalName, TradingName: p.TradeName, VATID: p.VATID, LegalID: p.RegistrationID,
		EndpointID: p.PeppolID, EndpointScheme: p.PeppolScheme, Address: addressOf(p.Address)}
	if p.Email != "" || p.Phone != "" {
		out.Contact = einvoice.Contact{Name: "Accounts receivable", Phone: p.Phone, Email: p.Email}
	}
	return out
}

func buyerParty(p party.Party) einvoice.Party {
	return einvoice.Party{Name: p.LegalName, TradingName: p.TradeName, VATID: p.VATID, EndpointID: p.PeppolID,
		EndpointScheme: p.PeppolScheme, Address: addressOf(p.Billing)}
}

func addressOf(a party.Address) einvoice.Address {
	out := einvoice.Address{City: a.City, PostalCode: a.PostalCode, Subdivision: a.Region, Country: a.Country}
	for _, l := range strings.Split(a.Lines, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out.Lines = append(out.Lines, l)
		}
	}
	return out
}

// DocumentByNumber finds a posted document of the company by its number.
func (s *Service) DocumentByNumber(ctx context.Context, companyID backoffice.ID, number string) (Document, error) {
	var id backoffice.ID
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM invoice_documents WHERE company_id = ? AND number = ?`, int64(companyID), strings.TrimSpace(number)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, backoffice.Errorf(backoffice.ENotFound, "no posted document has the number %s", number)
	}
	if err != nil {
		return Document{}, fmt.Errorf("find document %s: %w", number, err)
	}
	return s.Get(ctx, companyID, id)
}
