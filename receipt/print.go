package receipt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Printer prints a receipt and an issue record, the same way; where says
// where it went, for the clerk.
type Printer interface {
	Print(ctx context.Context, r Receipt, lang string) (where string, err error)
	PrintIssue(ctx context.Context, r IssueRecord, lang string) (where string, err error)
}

// PrinterSpecs is how a workstation names its printer.
const PrinterSpecs = "cups:NAME | escpos:/dev/usb/lp0 | escpos:HOST:9100 | file:DIR"

// ParsePrinter reads a printer's spec: cups:NAME (A4 through CUPS' lp),
// escpos:PATH or escpos:HOST:PORT (an 80 mm thermal printer on a device or
// on the network, port 9100 by default), file:DIR (the PDF into a folder).
func ParsePrinter(spec string) (Printer, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	if arg == "" {
		return nil, fmt.Errorf("printer %q: give one of %s", spec, PrinterSpecs)
	}
	switch kind {
	case "cups":
		return &CUPS{Name: arg}, nil
	case "escpos":
		return &ESCPOS{Addr: arg}, nil
	case "file":
		return &FilePrinter{Dir: arg}, nil
	}
	return nil, fmt.Errorf("printer %q: %q is not a kind of printer; give one of %s", spec, kind, PrinterSpecs)
}

// CUPS prints the PDF through CUPS' lp client: lp -d NAME -t TITLE FILE.
type CUPS struct {
	Name string
	LP   string // the lp command; "" is lp on PATH
}

// Print hands the receipt's PDF to lp and waits until CUPS has it.
func (p *CUPS) Print(ctx context.Context, r Receipt, lang string) (string, error) {
	var pdf bytes.Buffer
	if err := PDF(r, lang, &pdf); err != nil {
		return "", err
	}
	return p.lp(ctx, r.CaseNumber, pdf.Bytes())
}

// PrintIssue hands the issue record's PDF to lp.
func (p *CUPS) PrintIssue(ctx context.Context, r IssueRecord, lang string) (string, error) {
	var pdf bytes.Buffer
	if err := IssuePDF(r, lang, &pdf); err != nil {
		return "", err
	}
	return p.lp(ctx, r.CaseNumber, pdf.Bytes())
}

// lp prints a PDF through lp, titled title.
func (p *CUPS) lp(ctx context.Context, title string, pdf []byte) (string, error) {
	lp := p.LP
	if lp == "" {
		lp = "lp"
	}
	path, err := exec.LookPath(lp)
	if err != nil {
		return "", fmt.Errorf("print on %s: the CUPS client (lp) is not installed here (apt-get install cups-client): %w", p.Name, err)
	}
	f, err := os.CreateTemp("", "okno-receipt-*.pdf") // mode 0600: personal data
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(pdf); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-d", p.Name, "-t", title, f.Name()).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("print on %s: lp: %w: %s", p.Name, err, strings.TrimSpace(string(out)))
	}
	return "CUPS " + p.Name, nil
}

// ESCPOS sends the receipt's ESC/POS bytes to a thermal printer: a device
// file (/dev/usb/lp0) or a network printer (HOST:PORT, raw TCP).
type ESCPOS struct {
	Addr string
}

// Print writes the receipt to the printer.
func (p *ESCPOS) Print(ctx context.Context, r Receipt, lang string) (string, error) {
	data, err := EscPos(r, lang)
	if err != nil {
		return "", err
	}
	return SendEscPos(ctx, p.Addr, data)
}

// PrintIssue writes the issue record to the printer.
func (p *ESCPOS) PrintIssue(ctx context.Context, r IssueRecord, lang string) (string, error) {
	data, err := IssueEscPos(r, lang)
	if err != nil {
		return "", err
	}
	return SendEscPos(ctx, p.Addr, data)
}

// FilePrinter puts the receipt's PDF into a folder, as DIR/NUMBER.pdf
// (mode 0600): for a folder a print server watches, or for tests.
type FilePrinter struct {
	Dir string
}

// Print writes the receipt's PDF as DIR/NUMBER.pdf.
func (p *FilePrinter) Print(ctx context.Context, r Receipt, lang string) (string, error) {
	var pdf bytes.Buffer
	if err := PDF(r, lang, &pdf); err != nil {
		return "", err
	}
	return p.write(r.CaseNumber, "", pdf.Bytes())
}

// PrintIssue writes the issue record's PDF as DIR/NUMBER-issue.pdf.
func (p *FilePrinter) PrintIssue(ctx context.Context, r IssueRecord, lang string) (string, error) {
	var pdf bytes.Buffer
	if err := IssuePDF(r, lang, &pdf); err != nil {
		return "", err
	}
	return p.write(r.CaseNumber, IssueSuffix, pdf.Bytes())
}

// IssueSuffix ends an issue record's file name, after the case number.
const IssueSuffix = "-issue"

func (p *FilePrinter) write(number, suffix string, pdf []byte) (string, error) {
	if number == "" || strings.ContainsAny(number, `/\`) {
		return "", errors.New("a receipt without a usable case number cannot be named")
	}
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return "", fmt.Errorf("print into %s: %w", p.Dir, err)
	}
	path := filepath.Join(p.Dir, number+suffix+".pdf")
	tmp := path + ".part"
	if err := os.WriteFile(tmp, pdf, 0o600); err != nil {
		return "", fmt.Errorf("print into %s: %w", p.Dir, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("print into %s: %w", p.Dir, err)
	}
	return path, nil
}
