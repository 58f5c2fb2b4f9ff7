package invoice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/pdf"
	"backoffice/sqldb"
)

// Printed formats of a posted invoice or credit note.
const (
	FormatPDF     = "pdf"     // the printed document
	FormatFacturX = "facturx" // the same PDF with its CII e-invoice embedded as factur-x.xml (Factur-X / ZUGFeRD, EN 16931 profile)
)

// PDF returns an invoice or credit note printed in the customer's
// language. A posted document is printed once: the first request stores
// the PDF with its SHA-256 (and says so in the change log), later requests
// return the same bytes, so what the customer received can always be
// shown again. A draft is printed with a "DRAFT" watermark and not stored.
func (s *Service) PDF(ctx context.Context, companyID, id backoffice.ID) ([]byte, error) {
	return s.printed(ctx, companyID, id, FormatPDF)
}

// FacturX returns the document's PDF with its EN 16931 CII e-invoice
// embedded (Factur-X 1.0, profile EN 16931), stored like the PDF. Only a
// posted document has one: a draft has no number to send.
func (s *Service) FacturX(ctx context.Context, companyID, id backoffice.ID) ([]byte, error) {
	return s.printed(ctx, companyID, id, FormatFacturX)
}

// PrintedHash returns the SHA-256 (hex) of the stored PDF of a document in
// format, ENotFound when none is stored yet.
func (s *Service) PrintedHash(ctx context.Context, companyID, id backoffice.ID, format string) (string, error) {
	_, sum, err := storedPrinted(ctx, s.DB, companyID, id, format)
	if errors.Is(err, errNoStored) {
		return "", backoffice.Errorf(backoffice.ENotFound, "no %s of document %s is stored yet", format, id)
	}
	return sum, err
}

func (s *Service) printed(ctx context.Context, companyID, id backoffice.ID, format string) ([]byte, error) {
	if format != FormatPDF && format != FormatFacturX {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("format %q is not a printed format: use pdf or facturx", format),
			Fields: map[string]string{"format": "must be pdf or facturx"}}
	}
	d, err := s.Get(ctx, companyID, id)
	if err != nil {
		return nil, err
	}
	if !d.Kind.Sales() {
		return nil, backoffice.Errorf(backoffice.EInvalid, "document %s is a supplier %s: only invoices and credit notes are printed", d.ID, d.Kind)
	}
	if d.State == StateDraft {
		if format == FormatFacturX {
			return nil, backoffice.Errorf(backoffice.EConflict, "the draft has no number yet: post it before sending it as Factur-X")
		}
		return s.render(ctx, d, s.now())
	}
	data, _, err := storedPrinted(ctx, s.DB, companyID, id, format)
	if err == nil {
		return data, nil
	}
	if !errors.Is(err, errNoStored) {
		return nil, err
	}
	at := s.now()
	if d.PostedAt != nil {
		at = *d.PostedAt
	}
	if format == FormatPDF {
		data, err = s.render(ctx, d, at)
	} else {
		data, err = s.facturX(ctx, d, at)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_pdfs (document_id, company_id, format, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			int64(id), int64(companyID), format, hash, data, s.now()); err != nil {
			return err
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entity, EntityID: id.String(), Action: "print",
			New: map[string]any{"format": format, "sha256": hash, "bytes": len(data), "number": d.Number}})
		return err
	})
	if sqldb.IsUniqueViolation(err) {
		// Printed at the same moment by another request: theirs is the copy.
		data, _, err = storedPrinted(ctx, s.DB, companyID, id, format)
		return data, err
	}
	if err != nil {
		return nil, fmt.Errorf("store the %s of %s: %w", format, d.Number, err)
	}
	return data, nil
}

// storedPrinted reads a stored PDF and its hash; errNoStored when none is.
func storedPrinted(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID, format string) ([]byte, string, error) {
	var data []byte
	var sum string
	err := q.QueryRowContext(ctx, `SELECT data, sha256 FROM invoice_pdfs WHERE company_id = ? AND document_id = ? AND format = ?`,
		int64(companyID), int64(id), format).Scan(&data, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errNoStored
	}
	if err != nil {
		return nil, "", fmt.Errorf("read the stored %s of document %s: %w", format, id, err)
	}
	got := sha256.Sum256(data)
	if hex.EncodeToString(got[:]) != sum {
		return nil, "", fmt.Errorf("the stored %s of document %s does not match its SHA-256", format, id)
	}
	return data, sum, nil
}

// render prints d with the company's letterhead for its customer.
func (s *Service) render(ctx context.Context, d Document, at time.Time) ([]byte, error) {
	lh, err := s.letterhead(ctx, d.CompanyID)
	if err != nil {
		return nil, err
	}
	buyer, err := s.Party.Get(ctx, d.CompanyID, d.PartyID)
	if err != nil {
		return nil, err
	}
	credited := ""
	if d.Kind == KindCreditNote && d.CreditsID != 0 {
		if orig, err := s.Get(ctx, d.CompanyID, d.CreditsID); err == nil {
			credited = orig.Number
		}
	}
	return renderDocument(d, buyer, lh, credited, at)
}

// facturX embeds the document's CII e-invoice in its stored PDF. A CII
// that fails an EN 16931 rule fatally is not embedded: the error names
// the rules.
func (s *Service) facturX(ctx context.Context, d Document, at time.Time) ([]byte, error) {
	var cii bytes.Buffer
	rep, err := s.ExportEInvoice(ctx, d.CompanyID, d.ID, FormatCII, &cii)
	if err != nil {
		return nil, err
	}
	if !rep.Valid {
		var rules []string
		for _, f := range rep.Errors {
			if f.Flag == "fatal" {
				rules = append(rules, f.Rule+": "+f.Message)
			}
		}
		return nil, backoffice.Errorf(backoffice.EInvalid, "%s would not be a valid EN 16931 e-invoice: %s", d.Number, strings.Join(rules, "; "))
	}
	base, err := s.PDF(ctx, d.CompanyID, d.ID)
	if err != nil {
		return nil, err
	}
	lh, err := s.letterhead(ctx, d.CompanyID)
	if err != nil {
		return nil, err
	}
	title := "Invoice " + d.Number
	if d.Kind == KindCreditNote {
		title = "Credit note " + d.Number
	}
	return pdf.AttachFacturX(base, cii.Bytes(), pdf.FacturXInfo{Title: title, Author: lh.seller.LegalName, Created: at})
}

// errNoStored is returned by storedPrinted when nothing is stored yet.
var errNoStored = errors.New("no stored PDF")
