package receipt

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/okno-mfc/okno/domain"
)

func sample() Receipt {
	return Receipt{
		CaseNumber: "IRK-03-261123-0001-5",
		Date:       time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC),
		Office:     "IRK", Window: 3,
		Visitor: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456",
		Service:    "Согласование переустройства и (или) перепланировки помещения в многоквартирном доме",
		Department: "Жилищный отдел администрации",
		Accepted: []Doc{
			{Name: "Заявление о переустройстве и (или) перепланировке", Form: domain.FormOriginal, Count: 1},
			{Name: "Паспорт или иной документ, удостоверяющий личность", Form: domain.FormOriginal, Count: 1},
			{Name: "Технический паспорт помещения", Form: domain.FormCopy, Count: 2},
		},
		Missing:       []string{"Проект переустройства и (или) перепланировки"},
		MissingReason: "заявитель представит в ведомство сам",
		Deadline:      time.Date(2027, 1, 7, 0, 0, 0, 0, time.UTC),
		DeadlineDays:  45, DeadlineKind: domain.CalendarDays,
		Fee:   500000,
		Clerk: "Иванова Ирина Петровна",
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk", "en"} {
		t.Run(l, func(t *testing.T) {
			t.Parallel()
			out := Text(sample(), l)
			for i, line := range strings.Split(out, "\n") {
				if n := len([]rune(line)); n > Width {
					t.Errorf("line %d is %d characters, more than %d: %q", i+1, n, Width, line)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestTextWithoutMissing(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Missing, r.MissingReason, r.Fee = nil, "", 0
	out := Text(r, "ru")
	if strings.Contains(out, "Не представлены") {
		t.Errorf("a receipt with nothing missing lists missing documents:\n%s", out)
	}
	if !strings.Contains(out, "не взимается") {
		t.Errorf("a free service does not say so:\n%s", out)
	}
}

func TestPDF(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk", "en"} {
		var b bytes.Buffer
		if err := PDF(sample(), l, &b); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		out := b.Bytes()
		if !bytes.HasPrefix(out, []byte("%PDF-")) {
			t.Errorf("%s: the PDF starts with %q", l, out[:min(8, len(out))])
		}
		if !bytes.Contains(bytes.ToLower(out), bytes.ToLower([]byte(FontName))) {
			t.Errorf("%s: the PDF does not embed %s", l, FontName)
		}
		if !bytes.Contains(out, []byte("/FontFile2")) {
			t.Errorf("%s: the PDF has no embedded TrueType font file", l)
		}
		var again bytes.Buffer
		if err := PDF(sample(), l, &again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, again.Bytes()) {
			t.Errorf("%s: the same receipt gives different PDFs", l)
		}
	}
}

func TestPDFLongLists(t *testing.T) {
	t.Parallel()
	r := sample()
	for i := 0; i < 60; i++ {
		r.Accepted = append(r.Accepted, Doc{Name: strings.Repeat("Очень длинное название документа ", 3), Form: domain.FormCopy, Count: i})
	}
	var b bytes.Buffer
	if err := PDF(r, "uk", &b); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b.Bytes(), []byte("/Type /Page\n")); n < 2 {
		t.Errorf("60 more documents fit on %d page(s)?", n)
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		{"", 10, []string{""}},
		{"один два три", 8, []string{"один два", "три"}},
		{"длинноеслово", 5, []string{"длинн", "оесло", "во"}},
	} {
		got := wrap(tc.in, tc.w)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}
