package receipt

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/okno-mfc/okno/domain"
)

func sampleIssue() IssueRecord {
	return IssueRecord{
		Centre:     Centre{Name: "МФЦ «Мои документы»", Address: "г. Иркутск, ул. Ленина, 1"},
		CaseNumber: "IRK-03-261123-0001-5",
		Date:       time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC),
		Office:     "IRK", Window: 3,
		Applicant: "Фёдоров Пётр Ильич",
		Service:   "Согласование переустройства и (или) перепланировки помещения в многоквартирном доме",
		Refused:   true,
		Ground:    "п. 2 ч. 1 ст. 27 Жилищного кодекса РФ: документы представлены в ненадлежащий орган",
		Receiver: domain.Receiver{Kind: domain.ReceiverRepresentative, Name: "Петрова Анна Сергеевна",
			DocType: domain.DocPassportRU, DocNumber: "2510 654321",
			POA: &domain.PowerOfAttorney{Number: "38 АА 1234567", Date: "2026-11-30", IssuedBy: "нотариус Иркутского нотариального округа Сидорова Е. В.",
				Notarised: true, ValidUntil: "2027-11-30"}},
		Clerk: "Иванова Ирина Петровна",
	}
}

func TestIssueText(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk", "en"} {
		t.Run(l, func(t *testing.T) {
			t.Parallel()
			out := IssueText(sampleIssue(), l)
			for i, line := range strings.Split(out, "\n") {
				if n := len([]rune(line)); n > Width {
					t.Errorf("line %d is %d characters, more than %d: %q", i+1, n, Width, line)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// The applicant in person: no power of attorney on the record, and a
// result that is not a refusal prints no ground.
func TestIssueTextApplicant(t *testing.T) {
	t.Parallel()
	r := sampleIssue()
	r.Refused, r.Ground = false, ""
	r.Receiver = domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}
	out := IssueText(r, "ru")
	for _, want := range []string{"заявитель лично", "Паспорт РФ 2504 123456", "документ — результат услуги"} {
		if !strings.Contains(out, want) {
			t.Errorf("the record does not say %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"Доверенность", "Основание отказа"} {
		if strings.Contains(out, not) {
			t.Errorf("the record says %q:\n%s", not, out)
		}
	}
}

// TestIssuePDFLayout: the page names the case, the service, the refusal's
// ground, the representative and the power of attorney, the clerk; every
// label ends before its value, and the receiver signs on their own line.
func TestIssuePDFLayout(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk", "en"} {
		var b bytes.Buffer
		r := sampleIssue()
		if err := IssuePDF(r, l, &b); err != nil {
			t.Fatal(err)
		}
		ws := rendered(t, b.Bytes())
		var all []string
		for _, w := range ws {
			all = append(all, w.text)
		}
		text := strings.Join(all, " ")
		for _, want := range []string{r.CaseNumber, "Фёдоров", "перепланировки", "ненадлежащий", "Петрова", "654321", "1234567", "Сидорова", "Иванова", issueL(l)("issue.title")} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the page does not say %q: %s", l, want, text)
			}
		}
		for _, f := range IssueFields(r, l) {
			lw := strings.Fields(f[0])
			lab, j := find(ws, lw[len(lw)-1], 0)
			val, _ := find(ws, strings.Fields(f[1])[0], j+1)
			if j < 0 || val.text == "" {
				t.Errorf("%s: %q is not on the page", l, f[0])
				continue
			}
			if lab.x1 >= val.x0 && lab.y0 == val.y0 {
				t.Errorf("%s: the label %q runs into %q", l, f[0], f[1])
			}
		}
		// The receiver's name stands again beside the second signature line.
		_, s1 := find(ws, "________________", 0)
		_, s2 := find(ws, "________________", s1+1)
		if s1 < 0 || s2 < 0 {
			t.Fatalf("%s: two signature lines, found %d %d", l, s1, s2)
		}
		if _, i := find(ws, "Петрова", s1); i < 0 {
			t.Errorf("%s: the receiver's name is not by the signatures", l)
		}
	}
}

// The file printer writes the issue record beside the receipt, not over it.
func TestFilePrinterIssue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := &FilePrinter{Dir: dir}
	where, err := p.PrintIssue(context.Background(), sampleIssue(), "ru")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "IRK-03-261123-0001-5-issue.pdf"); where != want {
		t.Fatalf("printed to %s, want %s", where, want)
	}
	b, err := os.ReadFile(where)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	if _, err := IssueEscPos(sampleIssue(), "uk"); err != nil {
		t.Fatal(err)
	}
}
