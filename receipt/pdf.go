package receipt

import (
	_ "embed"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// DejaVu Sans (regular and bold): a free font with Cyrillic, under the
// Bitstream Vera licence (fonts/LICENSE).
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// FontName is the family name the PDF embeds.
const FontName = "DejaVuSans"

// Page geometry, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 20.0
	topMargin    = 18.0
	full         = pageW - 2*margin
	lineH        = 6.0
)

// page starts an A4 paper of okno's in l: its metadata dated date (so the
// same paper gives the same bytes), the title and subtitle, the centre's
// lines, and the case number as a Code 128 barcode and a QR code.
func page(title, subtitle, number string, centre Centre, date time.Time, l string) (*fpdf.Fpdf, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(title+" "+number, true)
	pdf.SetCreator("okno", true)
	pdf.SetProducer("okno", true)
	pdf.AddUTF8FontFromBytes(FontName, "", fontRegular)
	pdf.AddUTF8FontFromBytes(FontName, "B", fontBold)
	pdf.SetMargins(margin, topMargin, margin)
	pdf.SetAutoPageBreak(true, topMargin)
	pdf.AddPage()

	pdf.SetFont(FontName, "B", 15)
	pdf.CellFormat(full, 8, title, "", 1, "C", false, 0, "")
	pdf.SetFont(FontName, "", 10)
	pdf.MultiCell(full, lineH, subtitle, "", "C", false)
	for i, line := range centre.Lines(l) {
		if i == 0 {
			pdf.SetFont(FontName, "B", 10)
		}
		pdf.MultiCell(full, 5, line, "", "C", false)
		pdf.SetFont(FontName, "", 9)
	}
	pdf.Ln(3)
	if err := codes(pdf, number); err != nil {
		return nil, err
	}
	pdf.Ln(3)
	return pdf, nil
}

// PDF renders the receipt as an A4 page (more if the lists are long) in
// lang, ready to print: the centre's details, the case number as a Code 128
// barcode and a QR code, the fields, the documents, the signatures. Text is
// wrapped, never cut. The file's dates are the receipt's date, so the same
// receipt gives the same bytes.
func PDF(r Receipt, l string, w io.Writer) error {
	L := labelsFor(l)
	pdf, err := page(L("title"), L("subtitle"), r.CaseNumber, r.Centre, r.Date, l)
	if err != nil {
		return err
	}

	// The labels' column is as wide as the widest label (bold), so no label
	// runs into its value, whatever the language.
	pdf.SetFont(FontName, "B", 10)
	lw := 0.0
	fields := Fields(r, l)
	for _, f := range fields {
		lw = max(lw, pdf.GetStringWidth(f[0]))
	}
	for _, id := range []string{"clerk", "applicant"} {
		lw = max(lw, pdf.GetStringWidth(L(id)))
	}
	lw = min(lw+4, 70)
	for _, f := range fields {
		labelled(pdf, lw, full-lw, f[0], f[1])
	}
	pdf.Ln(4)

	pdf.SetFont(FontName, "B", 11)
	pdf.CellFormat(full, 7, L("accepted"), "", 1, "L", false, 0, "")
	pdf.SetFont(FontName, "", 10)
	if len(r.Accepted) == 0 {
		pdf.CellFormat(full, lineH, L("none"), "", 1, "L", false, 0, "")
	}
	for i, d := range r.Accepted {
		row(pdf, fmt.Sprintf("%d.", i+1), d.Name, L("form."+string(d.Form)), copies(l, d.Count))
	}
	if len(r.Missing) > 0 {
		pdf.Ln(4)
		pdf.SetFont(FontName, "B", 11)
		pdf.MultiCell(full, 7, L("missing"), "", "L", false)
		pdf.SetFont(FontName, "", 10)
		for i, name := range r.Missing {
			labelled(pdf, numW, full-numW, fmt.Sprintf("%d.", i+1), name)
		}
		if r.MissingReason != "" {
			pdf.SetX(margin + numW)
			pdf.MultiCell(full-numW, lineH, L("reason")+" "+r.MissingReason, "", "L", false)
		}
	}
	pdf.Ln(12)
	const signW = 60.0
	for _, who := range [][2]string{{L("clerk"), r.Clerk}, {L("applicant"), ""}} {
		if pdf.GetY()+2*lineH > pageH-topMargin {
			pdf.AddPage()
		}
		y := pdf.GetY()
		pdf.SetFont(FontName, "", 10)
		pdf.SetXY(margin+full-signW, y)
		pdf.CellFormat(signW, lineH, "________________ "+L("signature"), "", 0, "R", false, 0, "")
		pdf.SetXY(margin, y)
		labelled(pdf, lw, full-lw-signW, who[0], who[1])
		pdf.Ln(4)
	}
	if r.RatingCode != "" && r.RateURL != "" {
		if err := rateBlock(pdf, L("rate"), r.RateURL); err != nil {
			return err
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("make the receipt PDF: %w", err)
	}
	return pdf.Output(w)
}

// labelled writes a bold label in a column of width lw and its value
// wrapped beside it in width vw, and moves below the taller of the two.
func labelled(pdf *fpdf.Fpdf, lw, vw float64, label, value string) {
	x, y := pdf.GetXY()
	pdf.SetFont(FontName, "B", 10)
	pdf.MultiCell(lw, lineH, label, "", "L", false)
	below := pdf.GetY()
	pdf.SetXY(x+lw, y)
	pdf.SetFont(FontName, "", 10)
	pdf.MultiCell(vw, lineH, value, "", "L", false)
	if pdf.GetY() < below {
		pdf.SetY(below)
	}
	pdf.SetX(x)
}

// Columns of the documents' table.
const numW, formW, countW = 10.0, 28.0, 22.0

// row draws one row of the documents' table: four boxes of the same height,
// the name wrapped in its box. The row is moved whole to the next page when
// it does not fit, so a box never breaks across pages.
func row(pdf *fpdf.Fpdf, num, name, form, count string) {
	nameW := full - numW - formW - countW
	lines := pdf.SplitText(name, nameW-2*pdf.GetCellMargin())
	if len(lines) == 0 {
		lines = []string{""}
	}
	h := lineH * float64(len(lines))
	if pdf.GetY()+h > pageH-topMargin {
		pdf.AddPage()
	}
	x, y := margin, pdf.GetY()
	cells := []struct {
		w     float64
		text  []string
		align string
	}{{numW, []string{num}, "R"}, {nameW, lines, "L"}, {formW, []string{form}, "C"}, {countW, []string{count}, "C"}}
	for _, c := range cells {
		pdf.Rect(x, y, c.w, h, "D")
		for i, t := range c.text {
			pdf.SetXY(x, y+float64(i)*lineH)
			pdf.CellFormat(c.w, lineH, t, "", 0, c.align, false, 0, "")
		}
		x += c.w
	}
	pdf.SetXY(margin, y+h)
}
