package receipt

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// codes draws the case number as a Code 128 barcode (what a hand scanner at
// the window reads) with the number under it, and as a QR code (what a
// phone reads) to its right, and moves below them.
func codes(pdf *fpdf.Fpdf, number string) error {
	widths, err := Code128(number)
	if err != nil {
		return fmt.Errorf("the receipt's barcode: %w", err)
	}
	qr, err := qrcode.New(number, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("the receipt's QR code: %w", err)
	}
	qr.DisableBorder = true
	bits := qr.Bitmap()
	const barH, qrSize = 14.0, 24.0
	modules := 20 // quiet zones
	for _, w := range widths {
		modules += w
	}
	module := min(0.33, (full-qrSize-10)/float64(modules)) // 0.33 mm: a scanner's comfortable X dimension
	x0, y0 := pdf.GetXY()
	pdf.SetFillColor(0, 0, 0)
	x := x0 + 10*module
	for i, w := range widths {
		if i%2 == 0 { // bars at even positions, spaces at odd
			pdf.Rect(x, y0, float64(w)*module, barH, "F")
		}
		x += float64(w) * module
	}
	pdf.SetXY(x0, y0+barH+1)
	pdf.SetFont(FontName, "", 10)
	pdf.CellFormat(float64(modules)*module, 5, number, "", 0, "C", false, 0, "")
	cell := qrSize / float64(len(bits))
	qx := x0 + full - qrSize
	for r, line := range bits {
		for c, on := range line {
			if on {
				pdf.Rect(qx+float64(c)*cell, y0+float64(r)*cell, cell, cell, "F")
			}
		}
	}
	pdf.SetXY(x0, y0+qrSize)
	return nil
}

// rateBlock draws the rating page's address as a QR code with the words
// and the address beside it (issue 15 §4), on a new page when it does not
// fit, and moves below it.
func rateBlock(pdf *fpdf.Fpdf, words, url string) error {
	qr, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("the receipt's rating QR code: %w", err)
	}
	qr.DisableBorder = true
	bits := qr.Bitmap()
	const qrSize = 24.0
	pdf.Ln(6)
	if pdf.GetY()+qrSize > pageH-topMargin {
		pdf.AddPage()
	}
	x0, y0 := pdf.GetXY()
	pdf.SetFillColor(0, 0, 0)
	cell := qrSize / float64(len(bits))
	for r, line := range bits {
		for c, on := range line {
			if on {
				pdf.Rect(x0+float64(c)*cell, y0+float64(r)*cell, cell, cell, "F")
			}
		}
	}
	pdf.SetXY(x0+qrSize+5, y0+4)
	pdf.SetFont(FontName, "", 10)
	pdf.MultiCell(full-qrSize-5, lineH, words, "", "L", false)
	pdf.SetX(x0 + qrSize + 5)
	pdf.MultiCell(full-qrSize-5, lineH, url, "", "L", false)
	pdf.SetXY(x0, y0+qrSize)
	return nil
}
