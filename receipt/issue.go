package receipt

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// IssueRecord is the issue record (расписка о выдаче результата): the
// result of a case handed over at the window, to whom (the applicant, or a
// representative under a power of attorney), by which clerk. Names are
// given in the language it is printed in.
type IssueRecord struct {
	Centre     Centre
	CaseNumber string
	Date       time.Time // when it was issued, the office's local time
	Office     string
	Window     int
	Applicant  string // the applicant's full name
	Service    string
	Refused    bool   // the result is the department's refusal
	Ground     string // the refusal's legal ground
	Receiver   domain.Receiver
	Note       string
	Clerk      string
}

// issueLabels are the issue record's words: id → {ru, uk, en}.
var issueLabels = map[string][3]string{
	"issue.title":          {"РАСПИСКА", "РОЗПИСКА", "ISSUE RECORD"},
	"issue.subtitle":       {"о выдаче результата предоставления услуги", "про видачу результату надання послуги", "of a service's result handed over"},
	"issue.date":           {"Дата выдачи", "Дата видачі", "Issued on"},
	"issue.place":          {"Место выдачи", "Місце видачі", "Issued at"},
	"issue.result":         {"Результат", "Результат", "Result"},
	"issue.result.ready":   {"документ — результат услуги", "документ — результат послуги", "the service's document"},
	"issue.result.refused": {"отказ в предоставлении услуги", "відмова в наданні послуги", "refusal of the service"},
	"issue.ground":         {"Основание отказа", "Підстава відмови", "Ground of refusal"},
	"issue.received":       {"Получил", "Отримав", "Received by"},
	"issue.by.applicant":   {"заявитель лично", "заявник особисто", "the applicant in person"},
	"issue.by.rep":         {"представитель заявителя", "представник заявника", "the applicant's representative"},
	"issue.name":           {"ФИО получателя", "ПІБ отримувача", "Receiver's name"},
	"issue.doc":            {"Документ получателя", "Документ отримувача", "Receiver's document"},
	"issue.poa":            {"Доверенность", "Довіреність", "Power of attorney"},
	"issue.poa.text":       {"№ %s от %s, выдана: %s", "№ %s від %s, видана: %s", "no. %s of %s, issued by %s"},
	"issue.poa.notarised":  {"удостоверена нотариально", "посвідчена нотаріально", "notarised"},
	"issue.poa.until":      {"действует до %s", "дійсна до %s", "valid until %s"},
	"issue.note":           {"Примечание", "Примітка", "Note"},
	"issue.clerk":          {"Результат выдал", "Результат видав", "Handed over by"},
	"issue.receiver":       {"Результат получил", "Результат отримав", "Received by"},
}

func issueL(l string) func(string) string {
	i, base := lang(l), labelsFor(l)
	return func(id string) string {
		if v, ok := issueLabels[id]; ok {
			return v[i]
		}
		return base(id)
	}
}

// IssueFields are the labelled lines of an issue record, in order.
func IssueFields(r IssueRecord, l string) [][2]string {
	L := issueL(l)
	place := r.Office
	if r.Window > 0 {
		place += ", " + fmt.Sprintf(L("window"), r.Window)
	}
	when := date(l, r.Date)
	if !r.Date.IsZero() {
		when += " " + r.Date.Format("15:04")
	}
	result := L("issue.result.ready")
	if r.Refused {
		result = L("issue.result.refused")
	}
	out := [][2]string{
		{L("case"), r.CaseNumber},
		{L("issue.date"), when},
		{L("issue.place"), place},
		{L("visitor"), r.Applicant},
		{L("service"), r.Service},
		{L("issue.result"), result},
	}
	if r.Refused && r.Ground != "" {
		out = append(out, [2]string{L("issue.ground"), r.Ground})
	}
	rc := r.Receiver
	by := L("issue.by.applicant")
	if rc.Kind == domain.ReceiverRepresentative {
		by = L("issue.by.rep")
	}
	out = append(out,
		[2]string{L("issue.received"), by},
		[2]string{L("issue.name"), rc.Name},
		[2]string{L("issue.doc"), strings.TrimSpace(L("doctype."+string(rc.DocType)) + " " + rc.DocNumber)},
	)
	if p := rc.POA; p != nil {
		made := p.Date
		if d, err := domain.ParseDate(p.Date); err == nil {
			made = date(l, d)
		}
		s := fmt.Sprintf(L("issue.poa.text"), p.Number, made, p.IssuedBy)
		if p.Notarised {
			s += "; " + L("issue.poa.notarised")
		}
		if d, err := domain.ParseDate(p.ValidUntil); err == nil {
			s += "; " + fmt.Sprintf(L("issue.poa.until"), date(l, d))
		}
		out = append(out, [2]string{L("issue.poa"), s})
	}
	if r.Note != "" {
		out = append(out, [2]string{L("issue.note"), r.Note})
	}
	return out
}

// issueSigners are the two lines signed: the clerk's and the receiver's.
func issueSigners(r IssueRecord, l string) [][2]string {
	L := issueL(l)
	return [][2]string{{L("issue.clerk"), r.Clerk}, {L("issue.receiver"), r.Receiver.Name}}
}

// IssueText renders the issue record as fixed-width text, Width columns.
func IssueText(r IssueRecord, l string) string {
	L := issueL(l)
	var b strings.Builder
	center := func(s string) {
		for _, part := range wrap(s, Width) {
			b.WriteString(strings.Repeat(" ", max(0, (Width-runes(part))/2)) + part + "\n")
		}
	}
	center(L("issue.title"))
	center(L("issue.subtitle"))
	for _, line := range r.Centre.Lines(l) {
		center(line)
	}
	b.WriteString("\n")
	const lw = 21
	field := func(label, value string) {
		for i, line := range wrap(value, Width-lw) {
			if i == 0 {
				b.WriteString(pad(label, lw-1) + " " + line + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", lw) + line + "\n")
			}
		}
	}
	for _, f := range IssueFields(r, l) {
		field(f[0], f[1])
	}
	b.WriteString("\n")
	sign := "____________ " + L("signature")
	whoW := Width - lw - runes(sign) - 1
	for _, who := range issueSigners(r, l) {
		for i, line := range wrap(who[1], whoW) {
			if i == 0 {
				b.WriteString(pad(who[0], lw-1) + " " + pad(line, whoW) + " " + sign + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", lw) + line + "\n")
			}
		}
	}
	return b.String()
}

// IssuePDF renders the issue record as an A4 page in l: the centre, the
// case number as a barcode and a QR code, the fields, the two signatures.
// The same record gives the same bytes.
func IssuePDF(r IssueRecord, l string, w io.Writer) error {
	L := issueL(l)
	pdf, err := page(L("issue.title"), L("issue.subtitle"), r.CaseNumber, r.Centre, r.Date, l)
	if err != nil {
		return err
	}
	pdf.SetFont(FontName, "B", 10)
	fields, signers := IssueFields(r, l), issueSigners(r, l)
	lw := 0.0
	for _, f := range append(append([][2]string{}, fields...), signers...) {
		lw = max(lw, pdf.GetStringWidth(f[0]))
	}
	lw = min(lw+4, 70)
	for _, f := range fields {
		labelled(pdf, lw, full-lw, f[0], f[1])
	}
	pdf.Ln(12)
	const signW = 60.0
	for _, who := range signers {
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
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("make the issue record PDF: %w", err)
	}
	return pdf.Output(w)
}

// IssueEscPos renders the issue record for an 80 mm thermal printer, as
// EscPos does the receipt.
func IssueEscPos(r IssueRecord, l string) ([]byte, error) {
	L := issueL(l)
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
		for _, line := range wrap(s, EscPosColumns-indent) {
			text(strings.Repeat(" ", indent) + line)
		}
	}
	b.Write(escInit)
	b.Write(escCodePage)
	b.Write(escCenter)
	b.Write(escBoldOn)
	b.Write(escDouble)
	wrapped(L("issue.title"), 0)
	b.Write(escNormal)
	b.Write(escBoldOff)
	wrapped(L("issue.subtitle"), 0)
	for _, line := range r.Centre.Lines(l) {
		wrapped(line, 0)
	}
	b.WriteByte('\n')
	b.Write(escLeft)
	for _, f := range IssueFields(r, l) {
		b.Write(escBoldOn)
		wrapped(f[0]+":", 0)
		b.Write(escBoldOff)
		wrapped(f[1], 2)
	}
	b.WriteByte('\n')
	for _, who := range issueSigners(r, l) {
		wrapped(who[0]+": "+who[1], 0)
		b.WriteByte('\n')
		wrapped("________________ "+L("signature"), 0)
		b.WriteByte('\n')
	}
	if err := escBarcode(&b, r.CaseNumber); err != nil {
		return nil, err
	}
	b.Write(escFeedCut)
	return b.Bytes(), nil
}
