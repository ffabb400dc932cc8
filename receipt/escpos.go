package receipt

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// EscPosColumns is the width of an 80 mm thermal receipt in font A.
const EscPosColumns = 48

// ESC/POS commands (Epson's set, which 80 mm printers follow).
var (
	escInit     = []byte{0x1b, '@'}
	escCodePage = []byte{0x1b, 't', 46} // WPC1251: Russian and Ukrainian letters alike
	escCenter   = []byte{0x1b, 'a', 1}
	escLeft     = []byte{0x1b, 'a', 0}
	escBoldOn   = []byte{0x1b, 'E', 1}
	escBoldOff  = []byte{0x1b, 'E', 0}
	escDouble   = []byte{0x1d, '!', 0x11}
	escNormal   = []byte{0x1d, '!', 0}
	escFeedCut  = []byte{0x1b, 'd', 4, 0x1d, 'V', 66, 0}
	win1251     = encoding.ReplaceUnsupported(charmap.Windows1251.NewEncoder())
)

// EscPos renders the receipt for an 80 mm thermal printer: 48 columns of
// text in code page 1251 (a character the page lacks prints as ?), every
// line wrapped, never cut; the case number as a Code 128 barcode and a QR
// code in the printer's own symbologies; then a feed and a partial cut.
func EscPos(r Receipt, l string) ([]byte, error) {
	L := labelsFor(l)
	var b bytes.Buffer
	text := func(s string) {
		enc, err := win1251.String(s)
		if err != nil {
			enc = strings.Repeat("?", len([]rune(s)))
		}
		b.WriteString(enc)
		b.WriteByte('\n')
	}
	wrapped := func(s string, indent int) {
		for i, line := range wrap(s, EscPosColumns-indent) {
			if i > 0 || indent > 0 {
				line = strings.Repeat(" ", indent) + line
			}
			text(line)
		}
	}
	b.Write(escInit)
	b.Write(escCodePage)
	b.Write(escCenter)
	b.Write(escBoldOn)
	b.Write(escDouble)
	text(L("title"))
	b.Write(escNormal)
	b.Write(escBoldOff)
	wrapped(L("subtitle"), 0)
	for i, line := range r.Centre.Lines(l) {
		if i == 0 {
			b.Write(escBoldOn)
		}
		wrapped(line, 0)
		b.Write(escBoldOff)
	}
	b.WriteByte('\n')
	b.Write(escLeft)
	for _, f := range Fields(r, l) {
		b.Write(escBoldOn)
		wrapped(f[0]+":", 0)
		b.Write(escBoldOff)
		wrapped(f[1], 2)
	}
	b.WriteByte('\n')
	b.Write(escBoldOn)
	wrapped(L("accepted"), 0)
	b.Write(escBoldOff)
	if len(r.Accepted) == 0 {
		wrapped(L("none"), 2)
	}
	for i, d := range r.Accepted {
		wrapped(fmt.Sprintf("%d. %s", i+1, d.Name), 0)
		wrapped(strings.TrimSpace(L("form."+string(d.Form))+", "+copies(l, d.Count)), 4)
	}
	if len(r.Missing) > 0 {
		b.WriteByte('\n')
		b.Write(escBoldOn)
		wrapped(L("missing"), 0)
		b.Write(escBoldOff)
		for i, name := range r.Missing {
			wrapped(fmt.Sprintf("%d. %s", i+1, name), 0)
		}
		if r.MissingReason != "" {
			wrapped(L("reason")+" "+r.MissingReason, 0)
		}
	}
	b.WriteByte('\n')
	for _, who := range [][2]string{{L("clerk"), r.Clerk}, {L("applicant"), ""}} {
		wrapped(who[0]+": "+who[1], 0)
		b.WriteByte('\n')
		wrapped("________________ "+L("signature"), 0)
		b.WriteByte('\n')
	}
	if err := escBarcode(&b, r.CaseNumber); err != nil {
		return nil, err
	}
	if r.RatingCode != "" && r.RateURL != "" {
		b.WriteByte('\n')
		wrapped(L("rate")+" "+r.RateURL, 0)
	}
	b.Write(escFeedCut)
	return b.Bytes(), nil
}

// escBarcode prints the case number as Code 128 (set B, the number under
// it) and as a QR code (model 2, error level M), centred.
func escBarcode(b *bytes.Buffer, number string) error {
	if _, err := Code128(number); err != nil { // the same limits as the PDF's
		return fmt.Errorf("the receipt's barcode: %w", err)
	}
	b.Write(escCenter)
	b.Write([]byte{0x1d, 'h', 80}) // bar height, dots
	b.Write([]byte{0x1d, 'w', 2})  // module width, dots
	b.Write([]byte{0x1d, 'H', 2})  // the number below the bars
	b.Write([]byte{0x1d, 'f', 0})  // in font A
	data := append([]byte("{B"), number...)
	b.Write([]byte{0x1d, 'k', 73, byte(len(data))})
	b.Write(data)
	b.WriteByte('\n')
	store := append([]byte{49, 80, 48}, number...)
	n := len(store)
	b.Write([]byte{0x1d, '(', 'k', 4, 0, 49, 65, 50, 0})          // QR model 2
	b.Write([]byte{0x1d, '(', 'k', 3, 0, 49, 67, 6})              // module size 6 dots
	b.Write([]byte{0x1d, '(', 'k', 3, 0, 49, 69, 49})             // error correction M
	b.Write([]byte{0x1d, '(', 'k', byte(n % 256), byte(n / 256)}) // store the data
	b.Write(store)
	b.Write([]byte{0x1d, '(', 'k', 3, 0, 49, 81, 48}) // print it
	b.WriteByte('\n')
	b.Write(escLeft)
	return nil
}
