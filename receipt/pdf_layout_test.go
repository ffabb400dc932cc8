package receipt

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

// word is one word of a rendered page and its box, in points.
type word struct {
	page           int
	x0, y0, x1, y1 float64
	text           string
}

var wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// rendered lays the PDF out with poppler's pdftotext and returns its words
// with their boxes; the test skips where poppler-utils is not installed
// (.ci/run installs it).
func rendered(t *testing.T, pdf []byte) []word {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var ws []word
	for p, page := range strings.Split(string(out), "<page ")[1:] {
		for _, m := range wordRe.FindAllStringSubmatch(page, -1) {
			f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
			ws = append(ws, word{p + 1, f(1), f(2), f(3), f(4), m[5]})
		}
	}
	return ws
}

func find(ws []word, text string, from int) (word, int) {
	for i := from; i < len(ws); i++ {
		if ws[i].text == text {
			return ws[i], i
		}
	}
	return word{}, -1
}

// TestPDFLabelsDoNotRunIntoValues: the bold label of every line (the
// clerk's above all) ends before its value starts, in every language and
// with a long clerk's name, which wraps instead of running under the
// signature.
func TestPDFLabelsDoNotRunIntoValues(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk", "en"} {
		r := sample()
		r.Clerk = "Константинопольская-Водопьянова Александра Вячеславовна"
		var b bytes.Buffer
		if err := PDF(r, l, &b); err != nil {
			t.Fatal(err)
		}
		ws := rendered(t, b.Bytes())
		L := labelsFor(l)
		labelWords := strings.Fields(L("clerk"))
		_, sig := find(ws, "________________", 0)
		last, i := word{}, -1
		for k := 0; k < sig; k++ { // the label's last word, the last time before the first signature line
			if ws[k].text == labelWords[len(labelWords)-1] {
				last, i = ws[k], k
			}
		}
		var name word
		for _, w := range ws[max(i, 0):] {
			if strings.HasPrefix(w.text, "Константинопольская") {
				name = w
				break
			}
		}
		if i < 0 || name.text == "" {
			t.Fatalf("%s: the clerk's line is not on the page", l)
		}
		if last.x1 >= name.x0 {
			t.Errorf("%s: the label %q ends at %.1f pt, the name starts at %.1f pt", l, L("clerk"), last.x1, name.x0)
		}
		sign, _ := find(ws, "________________", i)
		patronymic, _ := find(ws, "Вячеславовна", i)
		if patronymic.text == "" || (patronymic.y0 < sign.y1 && patronymic.x1 > sign.x0) {
			t.Errorf("%s: the long name is cut or runs under the signature: %+v %+v", l, patronymic, sign)
		}
		for _, f := range Fields(r, l) {
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
	}
}

// TestPDFTableRows: every row of the documents' table keeps its number,
// its name (wrapped over several lines) and its form on the same page and
// the same first line, also where the table breaks across pages; a row's
// box ends where the next begins.
func TestPDFTableRows(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Accepted = nil
	for i := 1; i <= 40; i++ {
		name := fmt.Sprintf("Документ%02d", i)
		if i%3 == 0 { // every third wraps over three lines
			name += strings.Repeat(" очень длинное название документа", 5)
		}
		r.Accepted = append(r.Accepted, Doc{Name: name, Form: domain.FormCopy, Count: i})
	}
	var b bytes.Buffer
	if err := PDF(r, "ru", &b); err != nil {
		t.Fatal(err)
	}
	ws := rendered(t, b.Bytes())
	pages := map[int]bool{}
	prevBottom := map[int]float64{}
	for i := 1; i <= 40; i++ {
		name, j := find(ws, fmt.Sprintf("Документ%02d", i), 0)
		num, _ := find(ws, fmt.Sprintf("%d.", i), 0)
		var form word
		for _, w := range ws {
			if w.text == "копия" && w.page == name.page && w.y0 == name.y0 {
				form = w
				break
			}
		}
		if j < 0 || num.text == "" {
			t.Fatalf("row %d is missing", i)
		}
		if num.page != name.page || num.y0 != name.y0 || form.text == "" {
			t.Errorf("row %d: number on page %d at %.1f, name on page %d at %.1f, form found %v", i, num.page, num.y0, name.page, name.y0, form.text != "")
		}
		if bottom, ok := prevBottom[name.page]; ok && name.y0 < bottom {
			t.Errorf("row %d starts at %.1f, above the end of the row before (%.1f)", i, name.y0, bottom)
		}
		// The row's last line: the lowest word of its name column.
		bottom := name.y1
		for _, w := range ws[j:] {
			if w.page != name.page || strings.HasPrefix(w.text, "Документ") && w.text != name.text {
				break
			}
			if w.x0 >= name.x0-1 && w.x1 <= name.x0+330 {
				bottom = max(bottom, w.y1)
			}
		}
		prevBottom[name.page] = bottom
		pages[name.page] = true
	}
	if len(pages) < 2 {
		t.Errorf("40 rows fit on %d page: the break across pages is not tested", len(pages))
	}
}
