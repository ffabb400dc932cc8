package receipt

import (
	_ "embed"
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"
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

// PDF renders the receipt as an A4 page (more if the lists are long) in
// lang, ready to print. The file's dates are the receipt's date, so the
// same receipt gives the same bytes.
func PDF(r Receipt, l string, w io.Writer) error {
	L := labelsFor(l)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	stamp := r.Date
	if stamp.IsZero() {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetTitle(L("title")+" "+r.CaseNumber, true)
	pdf.SetCreator("okno", true)
	pdf.SetProducer("okno", true)
	pdf.AddUTF8FontFromBytes(FontName, "", fontRegular)
	pdf.AddUTF8FontFromBytes(FontName, "B", fontBold)
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AddPage()
	const full = 170.0 // A4 210 mm less the margins

	pdf.SetFont(FontName, "B", 15)
	pdf.CellFormat(full, 8, L("title"), "", 1, "C", false, 0, "")
	pdf.SetFont(FontName, "", 10)
	pdf.CellFormat(full, 6, L("subtitle"), "", 1, "C", false, 0, "")
	pdf.Ln(5)

	const lw = 40.0
	for _, f := range Fields(r, l) {
		pdf.SetFont(FontName, "B", 10)
		pdf.CellFormat(lw, 6, f[0], "", 0, "L", false, 0, "")
		pdf.SetFont(FontName, "", 10)
		pdf.MultiCell(full-lw, 6, f[1], "", "L", false)
	}
	pdf.Ln(4)

	pdf.SetFont(FontName, "B", 11)
	pdf.CellFormat(full, 7, L("accepted"), "", 1, "L", false, 0, "")
	const numW, formW, countW = 10.0, 28.0, 20.0
	nameW := full - numW - formW - countW
	pdf.SetFont(FontName, "", 10)
	if len(r.Accepted) == 0 {
		pdf.CellFormat(full, 6, L("none"), "", 1, "L", false, 0, "")
	}
	for i, d := range r.Accepted {
		lines := pdf.SplitText(d.Name, nameW-2)
		h := 6.0 * float64(max(1, len(lines)))
		if pdf.GetY()+h > 297-18 {
			pdf.AddPage()
		}
		x, y := pdf.GetXY()
		pdf.CellFormat(numW, h, fmt.Sprintf("%d.", i+1), "1", 0, "R", false, 0, "")
		pdf.MultiCell(nameW, 6, d.Name, "1", "L", false)
		pdf.SetXY(x+numW+nameW, y)
		pdf.CellFormat(formW, h, L("form."+string(d.Form)), "1", 0, "C", false, 0, "")
		pdf.CellFormat(countW, h, copies(l, d.Count), "1", 1, "C", false, 0, "")
	}
	if len(r.Missing) > 0 {
		pdf.Ln(4)
		pdf.SetFont(FontName, "B", 11)
		pdf.CellFormat(full, 7, L("missing"), "", 1, "L", false, 0, "")
		pdf.SetFont(FontName, "", 10)
		for i, name := range r.Missing {
			pdf.CellFormat(numW, 6, fmt.Sprintf("%d.", i+1), "", 0, "R", false, 0, "")
			pdf.MultiCell(full-numW, 6, name, "", "L", false)
		}
		if r.MissingReason != "" {
			pdf.SetX(20 + numW)
			pdf.MultiCell(full-numW, 6, L("reason")+" "+r.MissingReason, "", "L", false)
		}
	}
	pdf.Ln(12)
	for _, who := range [][2]string{{L("clerk"), r.Clerk}, {L("applicant"), ""}} {
		pdf.SetFont(FontName, "B", 10)
		pdf.CellFormat(lw, 6, who[0], "", 0, "L", false, 0, "")
		pdf.SetFont(FontName, "", 10)
		pdf.CellFormat(full-lw-60, 6, who[1], "", 0, "L", false, 0, "")
		pdf.CellFormat(60, 6, "________________ "+L("signature"), "", 1, "R", false, 0, "")
		pdf.Ln(4)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("make the receipt PDF: %w", err)
	}
	return pdf.Output(w)
}
